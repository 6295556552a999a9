import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow to send a request: the whole head within
/// `headTimeout` of the connection opening (or of the previous answer), the body within
/// `bodyTimeout` of the head.
///
/// This is what stops slowloris: a client that trickles one header byte every few seconds
/// never trips an idle timeout (it is never idle), but it cannot stretch a request head
/// past `headTimeout`. Thousands of such sockets then cost a file descriptor and a timer
/// each, for seconds, and never a task or a thread; a normal client is not kept waiting.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    /// When the connection is closed unless the awaited part arrives; nil while a route
    /// answers.
    private var closeAt: NIODeadline?
    /// One timer per connection, never earlier than needed and never later than
    /// ``closeAt``: moving the deadline (twice per request) is a store, not a timer
    /// scheduled and cancelled, which the profile of a `/healthz` load showed at 10% of
    /// the CPU. When the timer fires it closes the connection if the deadline passed, and
    /// otherwise sleeps again until the deadline.
    private var timer: (task: Scheduled<Void>, firesAt: NIODeadline)?

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(headTimeout, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(headTimeout, context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(bodyTimeout, context: context)
        case .body: break
        case .end:
            // The request is in: how long the answer takes is the route's business.
            closeAt = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // The answer is out: the next request head must come in time too.
            arm(headTimeout, context: context)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    private func stop() {
        closeAt = nil
        timer?.task.cancel()
        timer = nil
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + timeout
        closeAt = deadline
        // A timer that fires by the deadline will look at it then.
        if let timer, timer.firesAt <= deadline { return }
        schedule(at: deadline, context: context)
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        timer?.task.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: time) {
            handler.value.fire(context: bound.value)
        }
        timer = (task, time)
    }

    private func fire(context: ChannelHandlerContext) {
        timer = nil
        let now = NIODeadline.now()
        guard let closeAt else {
            // A route is answering; the write of its end arms the next deadline, which a
            // timer set a head timeout from now never overshoots.
            schedule(at: now + headTimeout, context: context)
            return
        }
        if closeAt <= now {
            context.channel.close(promise: nil)
        } else {
            schedule(at: closeAt, context: context)
        }
    }
}

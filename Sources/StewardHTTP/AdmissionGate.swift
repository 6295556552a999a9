import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

/// How many requests are being answered at once, across every connection, and the
/// connections whose request waits for one of them to finish.
///
/// Every request the server has read becomes work for the Swift concurrency pool (two
/// threads here), and the pool takes work in turn. With 5,000 busy connections a request
/// waited behind ~5,000 others, about a second and a half at 3,500 requests a second, and
/// a fresh connection waited longer still (its accept is a turn, and its first request
/// another): a `/healthz` probe took 4 to 5 s, or timed out. The gate keeps at most
/// ``limit`` requests in the pool; the others wait here, unread by the application, in the
/// order they came. The health check and the metrics skip the line, so a monitor gets its
/// answer in one short turn of the pool however busy the server is.
final class AdmissionGate: Sendable {
    /// Requests answered at once; enough to keep two cores busy many times over.
    let limit: Int
    private let state = Mutex(State())

    struct State {
        var inProgress = 0
        var waiting: [Waiter] = []
        /// Index of the first live entry of `waiting` (a queue without moving elements).
        var head = 0
        var nextTicket = 0
    }

    struct Waiter {
        let ticket: Int
        let admit: @Sendable () -> Void
    }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Requests being answered now (for tests).
    var inProgress: Int { state.withLock { $0.inProgress } }

    /// Takes a place for one request if one is free (`nil`), else queues `admit`, which
    /// runs once a place is this request's, and returns its ticket (to cancel it).
    func enter(orWait admit: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state in
            if state.inProgress < limit, state.head == state.waiting.count {
                state.inProgress += 1
                return nil
            }
            state.nextTicket += 1
            state.waiting.append(Waiter(ticket: state.nextTicket, admit: admit))
            return state.nextTicket
        }
    }

    /// Gives a place back; the longest-waiting request, if any, takes it.
    func leave() {
        let next = state.withLock { state -> Waiter? in
            guard state.head < state.waiting.count else {
                state.inProgress -= 1
                return nil
            }
            let waiter = state.waiting[state.head]
            state.head += 1
            if state.head == state.waiting.count {
                state.waiting.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head > 1_024, state.head * 2 > state.waiting.count {
                state.waiting.removeFirst(state.head)
                state.head = 0
            }
            return waiter
        }
        next?.admit()
    }

    /// Withdraws a waiting request (its connection closed). False if it was admitted
    /// meanwhile: then its place is held and must be given back with ``leave()``.
    func cancel(ticket: Int) -> Bool {
        state.withLock { state in
            guard let index = state.waiting[state.head...].firstIndex(where: { $0.ticket == ticket }) else { return false }
            state.waiting.remove(at: index)
            if state.head == state.waiting.count {
                state.waiting.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return true
        }
    }
}

/// One connection's side of the ``AdmissionGate``: holds a request's parts until the gate
/// lets it in, and gives the place back when its answer has been written.
final class AdmissionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let gate: AdmissionGate
    /// Parts read but not yet passed on: a waiting request's, and any that follow it.
    private var held: [HTTPRequestPart] = []
    /// The ticket of the request waiting at the gate, if one is.
    private var ticket: Int?
    /// For each request passed on and not yet answered, in order: whether it holds a place.
    private var answering: [Bool] = []
    /// A read of the socket asked for while a request waits: done once it is let in. Not
    /// reading is what bounds ``held`` (a waiting upload stays in the kernel's buffers).
    private var readPending = false

    init(gate: AdmissionGate) {
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if ticket != nil || !held.isEmpty {
            held.append(part)
            return
        }
        pass(part, context: context)
    }

    /// Passes `part` on, unless it is a request head that must wait: then it is held.
    private func pass(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        if case .head(let head) = part {
            if Self.skipsTheLine(head) {
                answering.append(false)
            } else {
                let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let loop = context.eventLoop
                if let waiting = gate.enter(orWait: { loop.execute { handler.value.admitted(context: bound.value) } }) {
                    ticket = waiting
                    held.insert(part, at: 0)
                    return
                }
                answering.append(true)
            }
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// The gate gave the waiting request a place: pass on what was held, in order, until
    /// another request head has to wait.
    private func admitted(context: ChannelHandlerContext) {
        guard ticket != nil else {
            // The connection went away while the place was on its way.
            gate.leave()
            return
        }
        ticket = nil
        guard !held.isEmpty, case .head = held[0] else {
            gate.leave()
            return
        }
        answering.append(true)
        context.fireChannelRead(wrapInboundOut(held.removeFirst()))
        while ticket == nil, !held.isEmpty {
            pass(held.removeFirst(), context: context)
        }
        context.fireChannelReadComplete()
        if ticket == nil, readPending {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if ticket != nil {
            readPending = true
            return
        }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !answering.isEmpty, answering.removeFirst() {
            gate.leave()
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    /// The connection is gone: every place it holds goes back, and its wait ends.
    private func release() {
        for holdsPlace in answering where holdsPlace { gate.leave() }
        answering = []
        if let waiting = ticket {
            ticket = nil
            // Admitted meanwhile: `admitted` sees no ticket and gives the place back.
            _ = gate.cancel(ticket: waiting)
        }
        held = []
    }

    /// The health check and the metrics, which are never limited (``RateLimitMiddleware``).
    static func skipsTheLine(_ head: HTTPRequest) -> Bool {
        guard let path = head.path else { return false }
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        return RateLimitMiddleware.isExempt(bare)
    }
}

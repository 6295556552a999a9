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
///
/// A waiting request is let in when the server next reads from any connection
/// (``admitWaiting()``), not the moment a place frees up. `steward serve` runs its tasks on
/// the event loops (``EventLoopExecutor``), and a loop polls its sockets only once it has
/// no task left to run. A held request needs no read to proceed, so letting one in for each
/// that finished kept a loop busy with the line of 5,000 for half a second at a time, and a
/// probe's request sat unread behind it (400 to 1,400 ms). Paced by reads, the line moves
/// as fast, and a loop reaches its sockets after each round. When nothing is read for
/// ``sweepInterval`` (every client waiting on the line), a sweep lets them in instead.
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
        /// A sweep is scheduled and has not run yet.
        var sweepPending = false
        /// Reads seen since the pending sweep was scheduled.
        var readsSinceSweep = 0

        var someoneWaits: Bool { head < waiting.count }

        /// Takes the longest-waiting requests while places are free.
        mutating func takeAdmitted(limit: Int) -> [Waiter] {
            var admitted: [Waiter] = []
            while inProgress < limit, someoneWaits {
                admitted.append(waiting[head])
                head += 1
                inProgress += 1
            }
            compact()
            return admitted
        }

        /// Drops the entries before `head` once the queue is empty, or once they are most of it.
        mutating func compact() {
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1_024, head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
        }

        /// True (and a sweep counted as pending) when someone waits and no sweep is pending.
        mutating func asksForSweep() -> Bool {
            guard someoneWaits, !sweepPending else { return false }
            sweepPending = true
            readsSinceSweep = 0
            return true
        }
    }

    /// How long the line may wait for a read before a sweep lets it in.
    static let sweepInterval = TimeAmount.milliseconds(2)

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

    /// Gives a place back. Returns `true` when requests wait and no sweep is pending: the
    /// caller schedules one (``sweep()``, after ``sweepInterval``).
    func leave() -> Bool {
        state.withLock { state in
            state.inProgress -= 1
            return state.asksForSweep()
        }
    }

    /// Lets in the longest-waiting requests while places are free. Called for every request
    /// head read, so the line moves at the pace the server reads.
    func admitWaiting() {
        let admitted = state.withLock { state in
            state.readsSinceSweep += 1
            return state.takeAdmitted(limit: limit)
        }
        for waiter in admitted { waiter.admit() }
    }

    /// The fallback of a line nothing reads for: lets waiters in if no read came since the
    /// sweep was scheduled, and asks for another sweep (`true`) while some still wait.
    func sweep() -> Bool {
        let (admitted, again) = state.withLock { state -> ([Waiter], Bool) in
            state.sweepPending = false
            let admitted = state.readsSinceSweep == 0 ? state.takeAdmitted(limit: limit) : []
            return (admitted, state.asksForSweep())
        }
        for waiter in admitted { waiter.admit() }
        return again
    }

    /// Withdraws a waiting request (its connection closed). False if it was admitted
    /// meanwhile: then its place is held and must be given back with ``leave()``.
    func cancel(ticket: Int) -> Bool {
        state.withLock { state in
            guard let index = state.waiting[state.head...].firstIndex(where: { $0.ticket == ticket }) else { return false }
            state.waiting.remove(at: index)
            state.compact()
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
        // A read: the moment to move the line (see AdmissionGate), before this request queues.
        if case .head = part { gate.admitWaiting() }
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
            giveBack(on: context.eventLoop)
            return
        }
        ticket = nil
        guard !held.isEmpty, case .head = held[0] else {
            giveBack(on: context.eventLoop)
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
            giveBack(on: context.eventLoop)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release(on: context.eventLoop)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release(on: context.eventLoop)
    }

    /// The connection is gone: every place it holds goes back, and its wait ends.
    /// Gives a place back, and schedules a sweep if the gate asks for one.
    private func giveBack(on loop: any EventLoop) {
        if gate.leave() { Self.scheduleSweep(gate, on: loop) }
    }

    private static func scheduleSweep(_ gate: AdmissionGate, on loop: any EventLoop) {
        loop.scheduleTask(in: AdmissionGate.sweepInterval) {
            if gate.sweep() { scheduleSweep(gate, on: loop) }
        }
    }

    private func release(on loop: any EventLoop) {
        for holdsPlace in answering where holdsPlace { giveBack(on: loop) }
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
        return RateLimitMiddleware.isExempt(path[...])
    }
}

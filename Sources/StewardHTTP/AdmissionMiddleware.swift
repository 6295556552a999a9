import Hummingbird
import Synchronization

/// Lets at most a fixed number of requests do their work at once; the others wait, suspended,
/// in arrival order. `/healthz` and `/metrics` never wait.
///
/// Without it, every request that arrives is work queued on the same few threads, first
/// come first served: at 5,000 connections a health probe waited behind thousands of page
/// reads and answered after 4.5 s, so a load balancer would have taken a busy server for a
/// dead one. A waiting request is a suspended task, not a queued job, so the threads only
/// ever see the admitted requests and the probes; throughput is the same (two cores serve
/// the same number of pages), and the probe answers in milliseconds.
///
/// The wait counts in the request's duration (the request-log line and the metrics are
/// outside this middleware).
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext
    let gate: AdmissionGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.uri.path {
        case "/healthz", "/metrics":
            return try await next(request, context)
        default:
            await gate.enter()
            defer { gate.leave() }
            return try await next(request, context)
        }
    }
}

/// An asynchronous counting semaphore with a first-in, first-out line of waiters.
final class AdmissionGate: Sendable {
    private struct State {
        var available: Int
        /// Waiters in arrival order from `head`; the slots before `head` are spent.
        var waiters: [CheckedContinuation<Void, Never>?] = []
        var head = 0

        mutating func takeFirstWaiter() -> CheckedContinuation<Void, Never>? {
            guard head < waiters.count else { return nil }
            let waiter = waiters[head]
            waiters[head] = nil
            head += 1
            if head > 1_024 && head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            return waiter
        }
    }

    private let state: Mutex<State>
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "an admission gate must admit someone")
        self.capacity = capacity
        state = Mutex(State(available: capacity))
    }

    /// Returns once the caller may go on: at once while fewer than `capacity` are in,
    /// else when a `leave` hands its place over.
    func enter() async {
        let admitted = state.withLock { state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if admitted { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives the place to the longest waiter, or back to the gate.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.takeFirstWaiter() { return waiter }
            state.available += 1
            return nil
        }
        next?.resume()
    }

    /// Requests waiting now (for tests and metrics).
    var waiting: Int { state.withLock { $0.waiters.count - $0.head } }
}

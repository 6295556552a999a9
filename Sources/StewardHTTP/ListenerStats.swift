import Synchronization

/// Live request counters for the console's status bar and its Logs sparklines.
///
/// Totals count since creation; ``Snapshot/history`` keeps one bucket per second for the
/// last ``historySeconds`` seconds in a ring, so reading and recording cost the same however
/// long the listener runs.
public final class ListenerStats: Sendable {
    /// One second of traffic.
    public struct Second: Sendable, Equatable {
        public var requests = 0
        /// Answers with a 4xx status.
        public var clientErrors = 0
        /// Answers with a 5xx status.
        public var serverErrors = 0

        public init(requests: Int = 0, clientErrors: Int = 0, serverErrors: Int = 0) {
            self.requests = requests
            self.clientErrors = clientErrors
            self.serverErrors = serverErrors
        }
    }

    /// The counters at one moment.
    public struct Snapshot: Sendable, Equatable {
        public var totalRequests: Int
        /// Answers with a 4xx status, in total.
        public var clientErrors: Int
        /// Answers with a 5xx status, in total.
        public var serverErrors: Int
        /// Requests per second, averaged over the last ``ListenerStats/rateWindowSeconds``
        /// complete seconds.
        public var requestsPerSecond: Double
        /// The last ``ListenerStats/historySeconds`` complete seconds, oldest first.
        public var history: [Second]
    }

    /// How many seconds of history are kept.
    public static let historySeconds = 60
    /// How many seconds ``Snapshot/requestsPerSecond`` averages over.
    public static let rateWindowSeconds = 5

    private struct Slot {
        var second = Int.min
        var counts = Second()
    }

    private struct State {
        var total = Second()
        var ring = [Slot](repeating: Slot(), count: ListenerStats.historySeconds + 1)
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Double

    /// - Parameter now: a monotonic clock in seconds; tests pass their own.
    public init(now: @escaping @Sendable () -> Double = MonotonicClock.seconds) {
        self.now = now
    }

    /// Counts one answered request with `status`.
    public func record(status: Int) {
        let second = Int(now().rounded(.down))
        state.withLock { state in
            let index = Self.slotIndex(second, count: state.ring.count)
            if state.ring[index].second != second {
                state.ring[index] = Slot(second: second)
            }
            Self.count(status, into: &state.ring[index].counts)
            Self.count(status, into: &state.total)
        }
    }

    /// The counters now.
    public func snapshot() -> Snapshot {
        let current = Int(now().rounded(.down))
        return state.withLock { state in
            var history: [Second] = []
            history.reserveCapacity(Self.historySeconds)
            for second in (current - Self.historySeconds)..<current {
                let slot = state.ring[Self.slotIndex(second, count: state.ring.count)]
                history.append(slot.second == second ? slot.counts : Second())
            }
            let recent = history.suffix(Self.rateWindowSeconds).reduce(0) { $0 + $1.requests }
            return Snapshot(
                totalRequests: state.total.requests,
                clientErrors: state.total.clientErrors,
                serverErrors: state.total.serverErrors,
                requestsPerSecond: Double(recent) / Double(Self.rateWindowSeconds),
                history: history
            )
        }
    }

    private static func count(_ status: Int, into counts: inout Second) {
        counts.requests += 1
        if (400..<500).contains(status) { counts.clientErrors += 1 }
        if status >= 500 { counts.serverErrors += 1 }
    }

    private static func slotIndex(_ second: Int, count: Int) -> Int {
        ((second % count) + count) % count
    }
}

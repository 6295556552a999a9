import Synchronization

/// A log entry with its place in the ring's history.
public struct SequencedLogEntry: Sendable, Equatable {
    /// 1 for the first entry the ring ever took, then one more for each. Never reused, so
    /// a reader that remembers the last number it saw can ask for exactly what is new, and
    /// a gap between that number and the oldest one held shows how much it missed.
    public let sequence: UInt64
    public let entry: LogEntry

    public init(sequence: UInt64, entry: LogEntry) {
        self.sequence = sequence
        self.entry = entry
    }
}

/// The last `capacity` log entries, in memory, for the console's live Logs tab.
///
/// Appending never blocks for long and never grows memory: once full, each new entry
/// overwrites the oldest. Readers poll without locking through `latestSequence` (a
/// version counter: it changes exactly when something was appended) and then take what is
/// new with `entries(after:)`; or they `subscribe` to be called for each entry.
public final class LogRing: Sendable {
    /// How many entries the ring holds at most.
    public let capacity: Int

    private struct State {
        /// Grows to `capacity`, then is overwritten in place starting at `oldest`.
        var slots: [SequencedLogEntry] = []
        /// Index in `slots` of the oldest entry once the ring is full; 0 before.
        var oldest = 0
        var nextSequence: UInt64 = 1
        var subscribers: [Subscriber] = []
        var nextSubscriberID: UInt64 = 1
    }

    private struct Subscriber {
        let id: UInt64
        let callback: @Sendable (SequencedLogEntry) -> Void
    }

    /// A handle that stops a subscription when passed to `unsubscribe(_:)`.
    public struct Subscription: Sendable, Hashable {
        let id: UInt64
    }

    private let state: Mutex<State>
    private let latest = Atomic<UInt64>(0)

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0, "a log ring needs room for at least one entry")
        self.capacity = capacity
        var initial = State()
        initial.slots.reserveCapacity(capacity)
        self.state = Mutex(initial)
    }

    /// The sequence number of the newest entry, 0 while the ring is empty. Cheap enough to
    /// read on every frame of the console.
    public var latestSequence: UInt64 { latest.load(ordering: .acquiring) }

    /// How many entries the ring holds now.
    public var count: Int { state.withLock { $0.slots.count } }

    /// Adds an entry, dropping the oldest when full, and returns its sequence number.
    ///
    /// Subscribers are called after the lock is released, on the caller's thread; with
    /// several threads appending at once they may see entries slightly out of order, which
    /// the sequence numbers let them put right.
    @discardableResult
    public func append(_ entry: LogEntry) -> UInt64 {
        let (item, subscribers) = state.withLock { state -> (SequencedLogEntry, [Subscriber]) in
            let item = SequencedLogEntry(sequence: state.nextSequence, entry: entry)
            state.nextSequence += 1
            if state.slots.count < capacity {
                state.slots.append(item)
            } else {
                state.slots[state.oldest] = item
                state.oldest = (state.oldest + 1) % capacity
            }
            return (item, state.subscribers)
        }
        // `max` keeps the counter monotonic when two appenders publish out of order.
        latest.max(item.sequence, ordering: .releasing)
        for subscriber in subscribers { subscriber.callback(item) }
        return item.sequence
    }

    /// Every entry held, oldest first.
    public func snapshot() -> [SequencedLogEntry] {
        entries(after: 0)
    }

    /// The entries newer than `sequence`, oldest first, at most `limit` of them (the oldest
    /// ones, so that a reader paging forward with `limit` misses nothing still held). Entries
    /// already overwritten are gone: if the first one returned is not `sequence + 1`, the
    /// reader fell behind by the difference.
    public func entries(after sequence: UInt64, limit: Int = .max) -> [SequencedLogEntry] {
        state.withLock { state in
            let held = state.slots.count
            guard held > 0, limit > 0 else { return [] }
            let oldestSequence = state.nextSequence - UInt64(held)
            let skip = sequence < oldestSequence ? 0 : Int(min(sequence - oldestSequence + 1, UInt64(held)))
            let take = min(held - skip, limit)
            var result: [SequencedLogEntry] = []
            result.reserveCapacity(take)
            for offset in skip..<(skip + take) {
                result.append(state.slots[(state.oldest + offset) % held])
            }
            return result
        }
    }

    /// Calls `callback` with every entry appended from now on, until `unsubscribe`.
    ///
    /// The callback runs on the thread that logged, inside `LogPipeline.emit`: it must be
    /// quick, must not block and must not log (which would call it again).
    public func subscribe(_ callback: @escaping @Sendable (SequencedLogEntry) -> Void) -> Subscription {
        state.withLock { state in
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            state.subscribers.append(Subscriber(id: id, callback: callback))
            return Subscription(id: id)
        }
    }

    /// Stops a subscription; entries appended afterwards no longer reach its callback.
    public func unsubscribe(_ subscription: Subscription) {
        state.withLock { state in
            state.subscribers.removeAll { $0.id == subscription.id }
        }
    }
}

import Synchronization

/// Answers of a read, kept while the database has not changed since they were read.
///
/// A list page is asked for far more often than anything in it changes; reading and
/// decoding its rows was most of what a list request cost. Entries are stamped with the
/// store's ``DataStore/committedVersion()`` seen *before* the read; a lookup answers only
/// an entry of the version it sees now. Any commit, by this process or another, changes the
/// version, and the first lookup after it empties the cache. So an answer from memory is
/// never older than the last commit that returned before the request came in: a client
/// that wrote and then reads sees its write, as it would from the database.
///
/// Bounded twice: at most `capacity` entries, and at most `budget` bytes as `cost` counts
/// them. Keys are as varied as the filters and cursors clients send, and one page of 100
/// long posts is about a megabyte (twice that with its JSON), so a count alone would let a
/// client fill memory by asking for many such pages. When a bound is reached, entries are
/// dropped (in no particular order) until the new one fits; one larger than the whole
/// budget is not kept.
final class ReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var cost: Int
    }

    private struct State {
        var version: UInt64?
        var entries: [Key: Entry] = [:]
        var cost = 0
    }

    let capacity: Int
    let budget: Int
    private let cost: @Sendable (Value) -> Int
    private let state = Mutex(State())

    init(capacity: Int, budget: Int = .max, cost: @escaping @Sendable (Value) -> Int = { _ in 0 }) {
        self.capacity = capacity
        self.budget = budget
        self.cost = cost
    }

    /// The value read for `key` at `version`, if any.
    func value(for key: Key, at version: UInt64) -> Value? {
        state.withLock { state in
            guard state.version == version else {
                if state.version != nil {
                    state.entries.removeAll(keepingCapacity: true)
                    state.cost = 0
                }
                state.version = version
                return nil
            }
            return state.entries[key]?.value
        }
    }

    /// Keeps `value`, read after `version` was seen, unless the database has moved on.
    func keep(_ value: Value, for key: Key, readAt version: UInt64) {
        let size = cost(value)
        guard size <= budget else { return }
        state.withLock { state in
            guard state.version == version else { return }
            if let old = state.entries.removeValue(forKey: key) { state.cost -= old.cost }
            while !state.entries.isEmpty, state.entries.count >= capacity || state.cost + size > budget {
                let dropped = state.entries.remove(at: state.entries.startIndex)
                state.cost -= dropped.value.cost
            }
            state.entries[key] = Entry(value: value, cost: size)
            state.cost += size
        }
    }

    /// Reads through the cache: `read` runs only when no entry of the current version
    /// answers for `key`. Without a version (`nil`), it always runs and nothing is kept.
    func value(for key: Key, version: UInt64?, read: () async throws -> Value) async rethrows -> Value {
        guard let version else { return try await read() }
        if let kept = value(for: key, at: version) { return kept }
        let value = try await read()
        keep(value, for: key, readAt: version)
        return value
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// The bytes held, as `cost` counts them.
    var heldCost: Int { state.withLock { $0.cost } }
}

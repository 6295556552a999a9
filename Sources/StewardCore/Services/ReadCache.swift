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
/// At most `capacity` entries; when full, one is dropped for each added (keys are as
/// varied as the filters and cursors clients send).
final class ReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var version: UInt64?
        var entries: [Key: Value] = [:]
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value read for `key` at `version`, if any.
    func value(for key: Key, at version: UInt64) -> Value? {
        state.withLock { state in
            guard state.version == version else {
                if state.version.map({ $0 != version }) ?? false { state.entries.removeAll(keepingCapacity: true) }
                state.version = version
                return nil
            }
            return state.entries[key]
        }
    }

    /// Keeps `value`, read after `version` was seen, unless the database has moved on.
    func keep(_ value: Value, for key: Key, readAt version: UInt64) {
        state.withLock { state in
            guard state.version == version else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                state.entries.remove(at: state.entries.startIndex)
            }
            state.entries[key] = value
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
}

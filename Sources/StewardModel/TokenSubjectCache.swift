import Foundation
import Synchronization

/// Who each session's tokens belong to (email, token version, active flag, roles and
/// permissions, whether the session was revoked), kept in memory so that the check every
/// authenticated request makes is a dictionary lookup instead of a database read and two
/// thread hops.
///
/// ## Why it is never stale on this process
///
/// Nothing outside the store decides when to forget: the database does. Migration
/// `v4-auth-epoch` adds a one-row table, `auth_epoch`, and triggers that bump it whenever a
/// row that a subject is made of changes — a user's email, token version or active flag,
/// a user deleted, `user_roles`, `role_permissions`, `revoked_sessions`, a session ended.
/// The bump is part of the writing transaction, whatever store method (or SQL prompt, or
/// future code) wrote it. ``AuthEpochObserver`` watches `auth_epoch` on the pool's writer
/// connection and empties the cache when such a transaction commits, before the write
/// returns to the service that made it: a revocation, a password reset or a role change
/// is refused on the very next request.
///
/// A read that started before an invalidation must not put an old subject back: entries are
/// stored with the ``generation`` seen before the read, and dropped if it moved meanwhile.
///
/// ## Other processes
///
/// Another process on the same file (a console, `steward user …`) writes through its own
/// connection, which this process's observer does not see. Its bumps of `auth_epoch` are
/// caught by a watcher that reads the epoch every ``epochPollInterval`` (one tiny read,
/// whatever the load), and every entry is read again after ``lifetime`` at the latest. So
/// a change made elsewhere takes effect here within about 100 ms, and never later than
/// the lifetime.
public final class TokenSubjectCache: Sendable {
    public struct Key: Hashable, Sendable {
        public var userID: Int64
        public var sessionID: String
        public init(userID: Int64, sessionID: String) {
            self.userID = userID
            self.sessionID = sessionID
        }
    }

    private struct Entry {
        var subject: Store.TokenSubject
        var readAt: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
        /// The last `auth_epoch` value the watcher read.
        var epoch: Int64?
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// The longest an entry is trusted without reading it again.
    public let lifetime: Duration
    /// How often the watcher reads `auth_epoch` for changes made by other processes.
    public let epochPollInterval: Duration
    /// Past this many sessions the cache starts over (a bound on memory, never on safety).
    public let capacity: Int

    public init(lifetime: Duration = .seconds(1), epochPollInterval: Duration = .milliseconds(100), capacity: Int = 50_000) {
        self.lifetime = lifetime
        self.epochPollInterval = epochPollInterval
        self.capacity = capacity
    }

    /// The subject read for `key` within the lifetime, if any.
    public func lookup(_ key: Key) -> Store.TokenSubject? {
        let now = clock.now
        return state.withLock { state in
            guard let entry = state.entries[key], now - entry.readAt < lifetime else { return nil }
            return entry.subject
        }
    }

    /// The generation to pass to ``store(_:for:readAtGeneration:)``: read it before reading
    /// the database.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Keeps `subject`, unless the cache was invalidated since `generation` was read (the
    /// subject may then be from before the change).
    public func store(_ subject: Store.TokenSubject, for key: Key, readAtGeneration generation: UInt64) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(subject: subject, readAt: now)
        }
    }

    /// Forgets every subject: something they are made of changed.
    public func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Records the epoch the watcher read; invalidates when it moved (another process
    /// changed an account, a role or a session).
    public func observeEpoch(_ epoch: Int64) {
        let moved = state.withLock { state -> Bool in
            defer { state.epoch = epoch }
            return state.epoch != nil && state.epoch != epoch
        }
        if moved { invalidateAll() }
    }

    public var count: Int { state.withLock { $0.entries.count } }
}


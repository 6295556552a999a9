import StewardModel
import Foundation
import PostgresNIO

/// The periodic clean-up of rows nothing will read again, done by one instance at a time.
extension PostgresStore {
    /// The advisory lock that makes the clean-up one instance's job at a time.
    static let cleanupLockKey: Int64 = -7_374_283_624

    /// Deletes what has expired, if no other instance is doing it right now: shared log
    /// lines over an hour old, refresh tokens
    /// a day past their expiry (reuse detection needs them only while they could be
    /// presented), signed-out sessions past the expiry of their last access token, throttle
    /// rows a day past their window and lock, and rate buckets idle for a day (refilled
    /// long since). Returns the rows deleted, or `nil` when another instance holds the lock.
    @discardableResult
    public func cleanUpExpired(now: Date) async throws -> Int? {
        try await withConnection { connection in
            let logger = self.logger
            guard try await connection.query("SELECT pg_try_advisory_lock(\(PostgresStore.cleanupLockKey))", logger: logger)
                .values(Bool.self).first == true else { return nil }
            var deleted = 0
            do {
                let time = StoredTime(now)
                let dayAgo = StoredTime(now.addingTimeInterval(-86_400))
                deleted += try await connection.rows("DELETE FROM refresh_tokens WHERE expires_at < \(dayAgo) RETURNING 1", logger: logger).count
                deleted += try await connection.rows("DELETE FROM revoked_sessions WHERE expires_at < \(time) RETURNING 1", logger: logger).count
                deleted += try await connection.rows("""
                    DELETE FROM login_failures WHERE coalesce(locked_until, window_start) < \(dayAgo) AND window_start < \(dayAgo) RETURNING 1
                    """, logger: logger).count
                deleted += try await connection.rows("DELETE FROM rate_buckets WHERE updated_at < \(dayAgo) RETURNING 1", logger: logger).count
                let hourAgo = StoredTime(now.addingTimeInterval(-3_600))
                deleted += try await connection.rows("DELETE FROM request_log WHERE at < \(hourAgo) RETURNING 1", logger: logger).count
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(PostgresStore.cleanupLockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(PostgresStore.cleanupLockKey))", logger: logger)
            return deleted
        }
    }

    /// Runs ``cleanUpExpired(now:)`` every `interval`, for as long as the store is open.
    func scheduleCleanup(every interval: Duration = .seconds(300)) {
        let task = Task.detached(priority: .background) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                _ = try? await self.cleanUpExpired(now: Date())
            }
        }
        cleanup.withLock { $0 = task }
    }
}

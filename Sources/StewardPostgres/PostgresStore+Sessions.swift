import StewardModel
import Foundation
import PostgresNIO

/// Refresh tokens, signed-out sessions and login throttling: correct with any number of
/// instances writing at once, since PostgreSQL, unlike SQLite, does not serialize writers.
extension PostgresStore {
    public func insertSession(familyID: String, userID: Int64, client: String, expiresAt: Date, now: Date) async throws {
        try await withConnection { connection in
            let time = StoredTime(now)
            try await connection.query("""
                INSERT INTO sessions(family_id, user_id, client, created_at, last_used_at, expires_at)
                VALUES (\(familyID), \(userID), \(client), \(time), \(time), \(StoredTime(expiresAt)))
                """, logger: self.logger)
        }
    }

    public func insertRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws {
        _ = try await withConnection { connection in
            try await connection.query("""
                INSERT INTO refresh_tokens(user_id, family_id, token_hash, created_at, expires_at)
                VALUES (\(userID), \(familyID), \(tokenHash), \(StoredTime(now)), \(StoredTime(expiresAt)))
                """, logger: self.logger)
        }
    }

    /// One conditional `UPDATE … RETURNING` claims the presented token: of two instances
    /// rotating the same token at once, the second waits for the first's row lock, then
    /// finds the token already rotated, so exactly one wins and the other is a reuse, which
    /// revokes the family.
    public func rotateRefreshToken(presentedHash: String, newHash: String, expiresAt: Date, now: Date) async throws -> Store.RotationOutcome {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let logger = self.logger
            let time = StoredTime(now)
            if let (userID, family) = try await connection.query("""
                UPDATE refresh_tokens SET rotated_at = \(time)
                WHERE token_hash = \(presentedHash) AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > \(time)
                RETURNING user_id, family_id
                """, logger: logger).all((Int64, String).self).first {
                try await connection.query("""
                    INSERT INTO refresh_tokens(user_id, family_id, token_hash, created_at, expires_at)
                    VALUES (\(userID), \(family), \(newHash), \(time), \(StoredTime(expiresAt)))
                    """, logger: logger)
                try await connection.query("""
                    UPDATE sessions SET last_used_at = \(time), expires_at = \(StoredTime(expiresAt)) WHERE family_id = \(family)
                    """, logger: logger)
                return .rotated(userID: userID, familyID: family)
            }
            guard let (userID, family, rotated, revoked) = try await connection.query("""
                SELECT user_id, family_id, rotated_at IS NOT NULL, revoked_at IS NOT NULL FROM refresh_tokens WHERE token_hash = \(presentedHash)
                """, logger: logger).all((Int64, String, Bool, Bool).self).first else { return .invalid }
            if revoked { return .invalid }
            if rotated {
                try await PostgresStore.revokeFamily(connection, familyID: family, now: now, logger: logger)
                return .reused(userID: userID, familyID: family)
            }
            return .invalid
        }
    }

    public func refreshTokenFamily(tokenHash: String) async throws -> String? {
        try await withConnection { connection in
            try await connection.query("SELECT family_id FROM refresh_tokens WHERE token_hash = \(tokenHash) AND revoked_at IS NULL",
                                       logger: self.logger).values(String.self).first
        }
    }

    public func revokeFamily(_ familyID: String, now: Date, sessionExpiresAt: Date) async throws {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let logger = self.logger
            try await PostgresStore.revokeFamily(connection, familyID: familyID, now: now, logger: logger)
            try await connection.query("""
                INSERT INTO revoked_sessions(family_id, revoked_at, expires_at) VALUES (\(familyID), \(StoredTime(now)), \(StoredTime(sessionExpiresAt)))
                ON CONFLICT (family_id) DO UPDATE SET revoked_at = excluded.revoked_at, expires_at = excluded.expires_at
                """, logger: logger)
            try await connection.query("DELETE FROM revoked_sessions WHERE expires_at < \(StoredTime(now))", logger: logger)
        }
    }

    static func revokeFamily(_ connection: PostgresConnection, familyID: String, now: Date, logger: Logger) async throws {
        let time = StoredTime(now)
        try await connection.query("UPDATE refresh_tokens SET revoked_at = \(time) WHERE family_id = \(familyID) AND revoked_at IS NULL", logger: logger)
        try await connection.query("UPDATE sessions SET ended_at = \(time) WHERE family_id = \(familyID) AND ended_at IS NULL", logger: logger)
    }

    static func revokeRefreshTokens(_ connection: PostgresConnection, userID: Int64, now: Date, logger: Logger) async throws {
        let time = StoredTime(now)
        try await connection.query("UPDATE refresh_tokens SET revoked_at = \(time) WHERE user_id = \(userID) AND revoked_at IS NULL", logger: logger)
        try await connection.query("UPDATE sessions SET ended_at = \(time) WHERE user_id = \(userID) AND ended_at IS NULL", logger: logger)
    }

    public func activeSessionCount(userID: Int64, now: Date) async throws -> Int {
        try await withConnection { connection in
            try await connection.query("""
                SELECT count(*) FROM refresh_tokens
                WHERE user_id = \(userID) AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > \(StoredTime(now))
                """, logger: self.logger).values(Int.self).first ?? 0
        }
    }

    public func listSessions(userID: Int64, now: Date) async throws -> [Store.ActiveSession] {
        try await withConnection { connection in
            try await connection.query("""
                SELECT family_id, client, created_at, last_used_at, expires_at FROM sessions
                WHERE user_id = \(userID) AND ended_at IS NULL AND expires_at > \(StoredTime(now)) ORDER BY created_at DESC, family_id
                """, logger: self.logger).all((String, String, StoredTime, StoredTime, StoredTime).self).map {
                Store.ActiveSession(familyID: $0.0, client: $0.1, createdAt: $0.2.date, lastUsedAt: $0.3.date, expiresAt: $0.4.date)
            }
        }
    }

    public func lastSignIn(userID: Int64) async throws -> Date? {
        try await withConnection { connection in
            let row = try await connection.query("""
                SELECT (SELECT max(created_at) FROM sessions WHERE user_id = \(userID)),
                       (SELECT created_at FROM security_events WHERE user_id = \(userID) AND event = 'SUCCESSFUL_LOGIN' ORDER BY id DESC LIMIT 1)
                """, logger: self.logger).all((StoredTime?, StoredTime?).self).first
            return [row?.0, row?.1].compactMap { $0??.date }.max()
        }
    }

    public func throttleState(key: String) async throws -> Store.ThrottleState? {
        try await withConnection { connection in
            try await connection.query("SELECT failures, locked_until FROM login_failures WHERE key = \(key)", logger: self.logger)
                .all((Int, StoredTime?).self).first.map { Store.ThrottleState(failures: $0.0, lockedUntil: $0.1?.date) }
        }
    }

    // MARK: Login throttling

    /// Reserves one attempt against every key, atomically across instances: the keys' rows
    /// are created if missing and locked (in key order, so two reservations cannot
    /// deadlock), then counted as on SQLite. Twenty parallel failed logins on three
    /// instances count twenty.
    public func reserveLoginAttempt(_ limits: [Store.AttemptLimit], windowSeconds: Int, now: Date) async throws -> Store.AttemptReservation {
        try await transaction { connection in
            let logger = self.logger
            let keys = limits.map(\.key).sorted()
            let windowStart = StoredTime(now.addingTimeInterval(-Double(windowSeconds)))
            try await connection.query("""
                INSERT INTO login_failures(key, failures, window_start) SELECT unnest(\(keys)::text[]), 0, \(StoredTime(now))
                ON CONFLICT (key) DO NOTHING
                """, logger: logger)
            var current: [String: (failures: Int, start: StoredTime, locked: StoredTime?)] = [:]
            for row in try await connection.query("""
                SELECT key, failures, window_start, locked_until FROM login_failures WHERE key = ANY(\(keys)) ORDER BY key FOR UPDATE
                """, logger: logger).all((String, Int, StoredTime, StoredTime?).self) {
                current[row.0] = (row.1, row.2, row.3)
            }
            for limit in limits {
                if let until = current[limit.key]?.locked?.date, until > now {
                    return .locked(key: limit.key, until: until)
                }
            }
            var counts: [String: Int] = [:]
            var locked: [String: Date] = [:]
            for limit in limits {
                let row = current[limit.key]
                let inWindow = row.map { $0.start.millis >= windowStart.millis } ?? false
                let previous = inWindow ? (row?.failures ?? 0) : 0
                let failures = previous + 1
                let start = previous == 0 ? StoredTime(now) : row!.start
                let until = failures >= limit.maximum ? now.addingTimeInterval(Double(windowSeconds)) : nil
                try await connection.query("""
                    UPDATE login_failures SET failures = \(failures), window_start = \(start), locked_until = \(until.map(StoredTime.init))
                    WHERE key = \(limit.key)
                    """, logger: logger)
                counts[limit.key] = failures
                if let until { locked[limit.key] = StoredTime(until).date }
            }
            return .reserved(counts: counts, lockedUntil: locked)
        }
    }

    public func releaseLoginAttempt(key: String, maximum: Int) async throws {
        _ = try await withConnection { connection in
            try await connection.query("""
                UPDATE login_failures SET failures = greatest(failures - 1, 0),
                    locked_until = CASE WHEN failures - 1 < \(maximum) THEN NULL ELSE locked_until END
                WHERE key = \(key)
                """, logger: self.logger)
        }
    }

    @discardableResult
    public func clearLoginFailures(keys: [String]) async throws -> Bool {
        try await withConnection { connection in
            // A placeholder row a reservation created (failures 0) is nothing to forget.
            try await !connection.rows("DELETE FROM login_failures WHERE key = ANY(\(keys)) RETURNING failures", logger: self.logger).isEmpty
        }
    }
}

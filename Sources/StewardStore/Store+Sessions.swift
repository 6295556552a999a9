import StewardModel
import Foundation
import GRDB

/// Refresh tokens, signed-out sessions and login throttling.
extension SQLiteStore {
    public func insertSession(familyID: String, userID: Int64, client: String, expiresAt: Date, now: Date) async throws {
        try await write { db in
            let time = Timestamp.string(now)
            try db.execute(sql: """
                INSERT INTO sessions(family_id, user_id, client, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [familyID, userID, client, time, time, Timestamp.string(expiresAt)])
        }
    }

    public func insertRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO refresh_tokens(user_id, family_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [userID, familyID, tokenHash, Timestamp.string(now), Timestamp.string(expiresAt)])
        }
    }


    /// Rotates a refresh token in one transaction: the presented token is marked used and
    /// `newHash` stored in the same family. Presenting a token that was already rotated
    /// revokes the family (someone holds a stolen copy).
    public func rotateRefreshToken(presentedHash: String, newHash: String, expiresAt: Date, now: Date) async throws -> Store.RotationOutcome {
        try await write { db in
            let time = Timestamp.string(now)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = ?
                """, arguments: [presentedHash]) else { return .invalid }
            let id: Int64 = row["id"]
            let userID: Int64 = row["user_id"]
            let family: String = row["family_id"]
            if row["revoked_at"] as String? != nil { return .invalid }
            if row["rotated_at"] as String? != nil {
                try SQLiteStore.revokeFamily(db, familyID: family, now: now)
                return .reused(userID: userID, familyID: family)
            }
            if row.date("expires_at") <= now { return .invalid }
            try db.execute(sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE id = ?", arguments: [time, id])
            try db.execute(sql: """
                INSERT INTO refresh_tokens(user_id, family_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [userID, family, newHash, time, Timestamp.string(expiresAt)])
            try db.execute(sql: "UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE family_id = ?",
                           arguments: [time, Timestamp.string(expiresAt), family])
            return .rotated(userID: userID, familyID: family)
        }
    }

    /// The family a refresh token belongs to, if it is current (for CSRF checks on refresh).
    public func refreshTokenFamily(tokenHash: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                                arguments: [tokenHash])
        }
    }

    /// Revokes a refresh family and marks the session signed out, so access tokens
    /// carrying its `sid` are refused until they would have expired anyway.
    public func revokeFamily(_ familyID: String, now: Date, sessionExpiresAt: Date) async throws {
        try await write { db in
            try SQLiteStore.revokeFamily(db, familyID: familyID, now: now)
            try db.execute(sql: "INSERT OR REPLACE INTO revoked_sessions(family_id, revoked_at, expires_at) VALUES (?, ?, ?)",
                           arguments: [familyID, Timestamp.string(now), Timestamp.string(sessionExpiresAt)])
            try db.execute(sql: "DELETE FROM revoked_sessions WHERE expires_at < ?", arguments: [Timestamp.string(now)])
        }
    }

    static func revokeFamily(_ db: Database, familyID: String, now: Date) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                       arguments: [Timestamp.string(now), familyID])
        try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE family_id = ? AND ended_at IS NULL",
                       arguments: [Timestamp.string(now), familyID])
    }

    static func revokeRefreshTokens(_ db: Database, userID: Int64, now: Date) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                       arguments: [Timestamp.string(now), userID])
        try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
                       arguments: [Timestamp.string(now), userID])
    }

    /// Active (unrevoked, unexpired, not yet rotated) refresh tokens of a user: one per signed-in session.
    public func activeSessionCount(userID: Int64, now: Date) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM refresh_tokens
                WHERE user_id = ? AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > ?
                """, arguments: [userID, Timestamp.string(now)]) ?? 0
        }
    }

    /// Open sessions of a user, newest first: through `sessions_user(user_id, created_at)`.
    /// Sessions begun in the same millisecond keep one order (by id), so a list read again
    /// after an action lines up with the one on screen.
    public func listSessions(userID: Int64, now: Date) async throws -> [Store.ActiveSession] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT family_id, client, created_at, last_used_at, expires_at FROM sessions
                WHERE user_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC, family_id
                """, arguments: [userID, Timestamp.string(now)]).map { row in
                Store.ActiveSession(familyID: row["family_id"], client: row["client"], createdAt: row.date("created_at"),
                                    lastUsedAt: row.date("last_used_at"), expiresAt: row.date("expires_at"))
            }
        }
    }

    /// The later of the newest session and the newest `SUCCESSFUL_LOGIN` about the user;
    /// both reads are one step down an index (`sessions_user`, `security_events_user`).
    public func lastSignIn(userID: Int64) async throws -> Date? {
        try await read { db in
            let session = try String.fetchOne(db, sql: "SELECT max(created_at) FROM sessions WHERE user_id = ?", arguments: [userID])
            let login = try String.fetchOne(db, sql: """
                SELECT created_at FROM security_events WHERE user_id = ? AND event = 'SUCCESSFUL_LOGIN' ORDER BY id DESC LIMIT 1
                """, arguments: [userID])
            return [session, login].compactMap { $0.flatMap(Timestamp.parse) }.max()
        }
    }

    public func throttleState(key: String) async throws -> Store.ThrottleState? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT failures, locked_until FROM login_failures WHERE key = ?", arguments: [key]).map { row in
                Store.ThrottleState(failures: row["failures"], lockedUntil: (row["locked_until"] as String?).flatMap(Timestamp.parse))
            }
        }
    }

    // MARK: Login throttling

    /// Reserves one attempt against every key, atomically: in one write transaction, a
    /// key that is locked refuses the attempt (nothing is counted), otherwise each key
    /// counts one more attempt inside its sliding window and locks for `windowSeconds`
    /// when it reaches its limit. Because the count goes up *before* the password is
    /// checked, a thousand parallel guesses can never run more verifications than the
    /// limit: the writer hands out reservations one at a time.
    public func reserveLoginAttempt(_ limits: [Store.AttemptLimit], windowSeconds: Int, now: Date) async throws -> Store.AttemptReservation {
        try await write { db in
            let time = Timestamp.string(now)
            let windowStart = Timestamp.string(now.addingTimeInterval(-Double(windowSeconds)))
            var rows: [(key: String, failures: Int, start: String, locked: String?)] = []
            for limit in limits {
                let row = try Row.fetchOne(db, sql: "SELECT failures, window_start, locked_until FROM login_failures WHERE key = ?",
                                           arguments: [limit.key])
                if let until = (row?["locked_until"] as String?).flatMap(Timestamp.parse), until > now {
                    return .locked(key: limit.key, until: until)
                }
                let start: String? = row?["window_start"]
                let current = (start.map { $0 >= windowStart } ?? false) ? (row?["failures"] as Int? ?? 0) : 0
                rows.append((limit.key, current + 1, current == 0 ? time : start!, nil))
            }
            var counts: [String: Int] = [:]
            var locked: [String: Date] = [:]
            for (limit, row) in zip(limits, rows) {
                let until = row.failures >= limit.maximum ? now.addingTimeInterval(Double(windowSeconds)) : nil
                try db.execute(sql: """
                    INSERT INTO login_failures(key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
                        locked_until = excluded.locked_until
                    """, arguments: [row.key, row.failures, row.start, until.map(Timestamp.string)])
                counts[row.key] = row.failures
                if let until { locked[row.key] = until }
            }
            return .reserved(counts: counts, lockedUntil: locked)
        }
    }

    /// Gives back a reservation that turned out to be a success for `key`: one attempt
    /// fewer, and no lock if the count is back under `maximum`.
    public func releaseLoginAttempt(key: String, maximum: Int) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE login_failures SET failures = max(failures - 1, 0),
                    locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END
                WHERE key = ?
                """, arguments: [maximum, key])
        }
    }

    /// Forgets the failures counted for `keys`. Most sign-ins follow no failure at all, so
    /// a read decides first and the write (a commit on the single writer) happens only
    /// when there is something to forget.
    @discardableResult
    public func clearLoginFailures(keys: [String]) async throws -> Bool {
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let any = try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM login_failures WHERE key IN (\(marks)))", arguments: StatementArguments(keys)) ?? false
        }
        guard any else { return false }
        try await write { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM login_failures WHERE key = ?", arguments: [key])
            }
        }
        return true
    }

}

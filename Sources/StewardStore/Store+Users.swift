import StewardModel
import Foundation
import GRDB

/// Users, their roles, and what throttling and token checks need.
extension SQLiteStore {

    /// Inserts a user with roles; a taken email is a conflict, an unknown role bad input.
    public func insertUser(_ new: Store.NewUser, now: Date) async throws -> User {
        try await write { db in
            try SQLiteStore.insertUser(db, new, now: now)
        }
    }

    static func insertUser(_ db: Database, _ new: Store.NewUser, now: Date) throws -> User {
        let time = Timestamp.string(now)
        do {
            try db.execute(sql: """
                INSERT INTO users(email, password_hash, first_name, last_name, is_active, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.email, new.passwordHash, new.firstName, new.lastName, new.isActive, time, time])
        } catch where SQLiteStore.isUniqueViolation(error) {
            throw StewardError.conflict("An account with this email already exists.")
        }
        let id = db.lastInsertedRowID
        try replaceRoles(db, userID: id, roles: new.roles)
        return User(id: id, email: new.email, firstName: new.firstName, lastName: new.lastName,
                    isActive: new.isActive, roles: new.roles.sorted(), createdAt: Timestamp.parse(time) ?? now)
    }

    static func replaceRoles(_ db: Database, userID: Int64, roles: [String]) throws {
        let known = Set(try String.fetchAll(db, sql: "SELECT name FROM roles"))
        let unknown = roles.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw StewardError.badInput(field: "roles", "unknown role: \(unknown.joined(separator: ", "))")
        }
        try db.execute(sql: "DELETE FROM user_roles WHERE user_id = ?", arguments: [userID])
        for role in Set(roles) {
            try db.execute(sql: "INSERT INTO user_roles(user_id, role) VALUES (?, ?)", arguments: [userID, role])
        }
    }

    private static let userColumns = "u.id, u.email, u.first_name, u.last_name, u.is_active, u.created_at"

    private static func user(from row: Row, roles: [String]) -> User {
        User(id: row["id"], email: row["email"], firstName: row["first_name"], lastName: row["last_name"],
             isActive: row["is_active"], roles: roles, createdAt: row.date("created_at"))
    }

    static func roles(_ db: Database, userIDs: [Int64]) throws -> [Int64: [String]] {
        guard !userIDs.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: userIDs.count).joined(separator: ",")
        var result: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT user_id, role FROM user_roles WHERE user_id IN (\(marks)) ORDER BY role",
                                    arguments: StatementArguments(userIDs)) {
            result[row["user_id"], default: []].append(row["role"])
        }
        return result
    }

    static func user(_ db: Database, id: Int64) throws -> User? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.userColumns) FROM users u WHERE u.id = ?", arguments: [id]) else { return nil }
        return user(from: row, roles: try roles(db, userIDs: [id])[id] ?? [])
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in try SQLiteStore.user(db, id: id) }
    }

    public func user(email: String) async throws -> User? {
        try await read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE email = ?", arguments: [email]) else { return nil }
            return try SQLiteStore.user(db, id: id)
        }
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        try await read { db in try SQLiteStore.credentials(db, sql: "u.email = ?", argument: email) }
    }

    public func credentials(id: Int64) async throws -> UserCredentials? {
        try await read { db in try SQLiteStore.credentials(db, sql: "u.id = ?", argument: id) }
    }

    private static func credentials(_ db: Database, sql condition: String, argument: some DatabaseValueConvertible & Sendable) throws -> UserCredentials? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT \(SQLiteStore.userColumns), u.password_hash, u.token_version, u.failed_logins, u.locked_until
            FROM users u WHERE \(condition)
            """, arguments: [argument]) else { return nil }
        let id: Int64 = row["id"]
        return UserCredentials(user: user(from: row, roles: try roles(db, userIDs: [id])[id] ?? []),
                               passwordHash: row["password_hash"], tokenVersion: row["token_version"],
                               failedLogins: row["failed_logins"], lockedUntil: row.optionalDate("locked_until"))
    }


    public func tokenSubject(userID: Int64, sessionID: String, fromMemory: Bool) async throws -> Store.TokenSubject? {
        // Every authenticated request asks this: from memory while nothing it is made of
        // changed (see `TokenSubjectCache`), else one cached statement, columns by position.
        let key = TokenSubjectCache.Key(userID: userID, sessionID: sessionID)
        if fromMemory, let known = subjects.lookup(key) { return known }
        let generation = subjects.generation
        let subject = try await readTokenSubject(userID: userID, sessionID: sessionID)
        if let subject { subjects.store(subject, for: key, readAtGeneration: generation) }
        return subject
    }

    private func readTokenSubject(userID: Int64, sessionID: String) async throws -> Store.TokenSubject? {
        try await readLatest { db in
            let statement = try db.cachedStatement(sql: """
                SELECT u.email, u.token_version, u.is_active,
                       (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role)),
                       (SELECT group_concat(DISTINCT rp.permission) FROM user_roles ur
                          JOIN role_permissions rp ON rp.role = ur.role WHERE ur.user_id = u.id),
                       EXISTS (SELECT 1 FROM revoked_sessions WHERE family_id = ?)
                FROM users u WHERE u.id = ?
                """)
            guard let row = try Row.fetchOne(statement, arguments: [sessionID, userID]) else { return nil }
            let roles = (row[3] as String?).map { $0.split(separator: ",").map(String.init) } ?? []
            let permissions = Set((row[4] as String?).map { $0.split(separator: ",").map(String.init) } ?? [])
            return Store.TokenSubject(email: row[0], tokenVersion: row[1], isActive: row[2],
                                roles: roles, permissions: permissions, sessionRevoked: row[5])
        }
    }

    static func permissions(_ db: Database, roles: [String]) throws -> Set<String> {
        guard !roles.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: roles.count).joined(separator: ",")
        return Set(try String.fetchAll(db, sql: "SELECT DISTINCT permission FROM role_permissions WHERE role IN (\(marks))",
                                       arguments: StatementArguments(roles)))
    }

    public func permissions(roles: [String]) async throws -> Set<String> {
        try await read { db in try SQLiteStore.permissions(db, roles: roles) }
    }

    public func userCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0 }
    }


    /// Users in id order, a page at a time by key.
    public func listUsers(_ query: Store.UserQuery) async throws -> Page<User> {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        return try await read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let after {
                conditions.append(query.descending ? "u.id < ?" : "u.id > ?"); arguments.append(after)
            }
            if let text = query.text, !text.isEmpty {
                let pattern = "%" + SQLiteStore.escapeLike(text.lowercased()) + "%"
                conditions.append("(u.email LIKE ? ESCAPE '\\' OR lower(u.first_name) LIKE ? ESCAPE '\\' OR lower(u.last_name) LIKE ? ESCAPE '\\' OR lower(u.first_name || ' ' || u.last_name) LIKE ? ESCAPE '\\')")
                arguments += [pattern, pattern, pattern, pattern]
            }
            if let role = query.role {
                conditions.append("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)"); arguments.append(role)
            }
            if let active = query.isActive {
                conditions.append("u.is_active = ?"); arguments.append(active)
            }
            if let moment = query.signedInAt {
                // One probe of `sessions_user` per candidate row, stopped at the first hit.
                conditions.append("EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.expires_at > ?)")
                arguments.append(Timestamp.string(moment))
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(query.limit + 1)
            let rows = try Row.fetchAll(db, sql: "SELECT \(SQLiteStore.userColumns) FROM users u \(whereClause) ORDER BY u.id \(query.descending ? "DESC" : "ASC") LIMIT ?",
                                        arguments: StatementArguments(arguments))
            let page = Array(rows.prefix(query.limit))
            let roles = try SQLiteStore.roles(db, userIDs: page.map { $0["id"] })
            let users = page.map { row in SQLiteStore.user(from: row, roles: roles[row["id"]] ?? []) }
            let next = rows.count > query.limit ? users.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: users, nextCursor: next)
        }
    }

    static func escapeLike(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }


    /// Applies the changes; deactivation bumps the token version and revokes refresh tokens.
    /// Refuses, inside the writing transaction (which the error then rolls back), a change
    /// that leaves no active admin where there was one: nobody could manage the system
    /// afterwards. Checked after the change, so two admins demoting each other at once
    /// cannot both succeed.
    static func keepAnActiveAdmin(_ db: Database, hadOne: Bool) throws {
        guard hadOne, try activeAdminCount(db) == 0 else { return }
        throw StewardError.conflict("This is the last active admin; make another admin first.")
    }

    static func activeAdminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.is_active = 1
            """) ?? 0
    }

    public func updateUser(id: Int64, _ changes: Store.UserChanges, now: Date) async throws -> User? {
        try await write { db in
            guard let before = try SQLiteStore.user(db, id: id) else { return nil }
            let time = Timestamp.string(now)
            if let first = changes.firstName {
                try db.execute(sql: "UPDATE users SET first_name = ?, updated_at = ? WHERE id = ?", arguments: [first, time, id])
            }
            if let last = changes.lastName {
                try db.execute(sql: "UPDATE users SET last_name = ?, updated_at = ? WHERE id = ?", arguments: [last, time, id])
            }
            if let active = changes.isActive, active != before.isActive {
                // Only a deactivation can leave the system without an admin.
                let hadAdmin = try (active ? false : SQLiteStore.activeAdminCount(db) > 0)
                try db.execute(sql: "UPDATE users SET is_active = ?, updated_at = ?, token_version = token_version + 1 WHERE id = ?",
                               arguments: [active, time, id])
                if !active {
                    try SQLiteStore.revokeRefreshTokens(db, userID: id, now: now)
                    try SQLiteStore.keepAnActiveAdmin(db, hadOne: hadAdmin)
                }
            }
            return try SQLiteStore.user(db, id: id)
        }
    }

    /// Stores a new hash. With `revokeSessions`, the token version is bumped and every
    /// refresh token revoked, so existing sign-ins stop working at once.
    public func setPasswordHash(userID: Int64, hash: String, revokeSessions: Bool, now: Date) async throws {
        try await write { db in
            let time = Timestamp.string(now)
            let bump = revokeSessions ? ", token_version = token_version + 1" : ""
            try db.execute(sql: "UPDATE users SET password_hash = ?, updated_at = ?, failed_logins = 0, locked_until = NULL\(bump) WHERE id = ?",
                           arguments: [hash, time, userID])
            if revokeSessions { try SQLiteStore.revokeRefreshTokens(db, userID: userID, now: now) }
        }
    }

    /// Replaces the user's roles, bumps the token version and revokes refresh tokens.
    public func setRoles(userID: Int64, roles: [String], now: Date) async throws -> User? {
        try await write { db in
            guard try SQLiteStore.user(db, id: userID) != nil else { return nil }
            let hadAdmin = try SQLiteStore.activeAdminCount(db) > 0
            try SQLiteStore.replaceRoles(db, userID: userID, roles: roles)
            try SQLiteStore.keepAnActiveAdmin(db, hadOne: hadAdmin)
            try db.execute(sql: "UPDATE users SET token_version = token_version + 1, updated_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), userID])
            try SQLiteStore.revokeRefreshTokens(db, userID: userID, now: now)
            return try SQLiteStore.user(db, id: userID)
        }
    }

    /// Signs the user out everywhere: bumps the token version and revokes refresh tokens.
    public func revokeSessions(userID: Int64, now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET token_version = token_version + 1 WHERE id = ?", arguments: [userID])
            try SQLiteStore.revokeRefreshTokens(db, userID: userID, now: now)
        }
    }

    /// Records the account-level sign-in state shown in the users table.
    public func setLoginState(userID: Int64, failedLogins: Int, lockedUntil: Date?) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                           arguments: [failedLogins, lockedUntil.map(Timestamp.string), userID])
        }
    }
}

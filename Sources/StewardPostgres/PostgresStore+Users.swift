import StewardModel
import Foundation
import PostgresNIO

/// Users, their roles, and what throttling and token checks need.
extension PostgresStore {
    static let userColumns = "u.id, u.email, u.first_name, u.last_name, u.is_active, u.created_at"
    typealias UserRow = (Int64, String, String, String, Bool, StoredTime)

    static func user(_ row: UserRow, roles: [String]) -> User {
        User(id: row.0, email: row.1, firstName: row.2, lastName: row.3, isActive: row.4, roles: roles, createdAt: row.5.date)
    }

    public func insertUser(_ new: Store.NewUser, now: Date) async throws -> User {
        try await transaction { connection in
            try await PostgresStore.insertUser(connection, new, now: now, logger: self.logger)
        }
    }

    static func insertUser(_ connection: PostgresConnection, _ new: Store.NewUser, now: Date, logger: Logger) async throws -> User {
        let time = StoredTime(now)
        let id: Int64
        do {
            id = try await connection.rows("""
                INSERT INTO users(email, password_hash, first_name, last_name, is_active, created_at, updated_at)
                VALUES (\(new.email), \(new.passwordHash), \(new.firstName), \(new.lastName), \(new.isActive), \(time), \(time))
                RETURNING id
                """, logger: logger)[0].decode(Int64.self)
        } catch where PostgresStore.isUniqueViolation(error) {
            throw StewardError.conflict("An account with this email already exists.")
        }
        try await replaceRoles(connection, userID: id, roles: new.roles, logger: logger)
        return User(id: id, email: new.email, firstName: new.firstName, lastName: new.lastName,
                    isActive: new.isActive, roles: new.roles.sorted(), createdAt: time.date)
    }

    static func replaceRoles(_ connection: PostgresConnection, userID: Int64, roles: [String], logger: Logger) async throws {
        let known = Set(try await connection.query("SELECT name FROM roles", logger: logger).values(String.self))
        let unknown = roles.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw StewardError.badInput(field: "roles", "unknown role: \(unknown.joined(separator: ", "))")
        }
        try await connection.query("DELETE FROM user_roles WHERE user_id = \(userID)", logger: logger)
        let unique = Array(Set(roles))
        if !unique.isEmpty {
            try await connection.query("INSERT INTO user_roles(user_id, role) SELECT \(userID), unnest(\(unique)::text[])", logger: logger)
        }
    }

    static func roles(_ connection: PostgresConnection, userIDs: [Int64], logger: Logger) async throws -> [Int64: [String]] {
        guard !userIDs.isEmpty else { return [:] }
        var result: [Int64: [String]] = [:]
        for (userID, role) in try await connection.query(
            "SELECT user_id, role FROM user_roles WHERE user_id = ANY(\(userIDs)) ORDER BY role", logger: logger).all((Int64, String).self) {
            result[userID, default: []].append(role)
        }
        return result
    }

    static func user(_ connection: PostgresConnection, id: Int64, logger: Logger) async throws -> User? {
        guard let row = try await connection.query(
            "SELECT \(unescaped: userColumns) FROM users u WHERE u.id = \(id)", logger: logger).all(UserRow.self).first else { return nil }
        return user(row, roles: try await roles(connection, userIDs: [id], logger: logger)[id] ?? [])
    }

    public func user(id: Int64) async throws -> User? {
        try await withConnection { connection in try await PostgresStore.user(connection, id: id, logger: self.logger) }
    }

    public func user(email: String) async throws -> User? {
        try await withConnection { connection in
            guard let id = try await connection.query("SELECT id FROM users WHERE email = \(email)", logger: self.logger)
                .values(Int64.self).first else { return nil }
            return try await PostgresStore.user(connection, id: id, logger: self.logger)
        }
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        try await credentials(where: "u.email = \(email)")
    }

    public func credentials(id: Int64) async throws -> UserCredentials? {
        try await credentials(where: "u.id = \(id)")
    }

    private func credentials(where condition: PostgresQuery) async throws -> UserCredentials? {
        let query = PostgresQuery(unsafeSQL: """
            SELECT \(PostgresStore.userColumns), u.password_hash, u.token_version, u.failed_logins, u.locked_until
            FROM users u WHERE \(condition.sql)
            """, binds: condition.binds)
        return try await withConnection { connection in
            guard let row = try await connection.query(query, logger: self.logger)
                .all((Int64, String, String, String, Bool, StoredTime, String, Int, Int, StoredTime?).self).first else { return nil }
            let roles = try await PostgresStore.roles(connection, userIDs: [row.0], logger: self.logger)[row.0] ?? []
            return UserCredentials(user: PostgresStore.user((row.0, row.1, row.2, row.3, row.4, row.5), roles: roles),
                                   passwordHash: row.6, tokenVersion: row.7, failedLogins: row.8, lockedUntil: row.9?.date)
        }
    }

    public func tokenSubject(userID: Int64, sessionID: String, fromMemory: Bool) async throws -> Store.TokenSubject? {
        // From memory only while the notification connection is up: then every change of
        // rights on any instance empties the cache before the next request is checked.
        let key = TokenSubjectCache.Key(userID: userID, sessionID: sessionID)
        let listening = isListening.load()
        if fromMemory, listening, let known = subjects.lookup(key) { return known }
        let generation = subjects.generation
        let row = try await withConnection { connection in
            try await connection.query("""
                SELECT u.email, u.token_version, u.is_active,
                       coalesce((SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_id = u.id), ''),
                       coalesce((SELECT string_agg(DISTINCT rp.permission, ',') FROM user_roles ur
                                   JOIN role_permissions rp ON rp.role = ur.role WHERE ur.user_id = u.id), ''),
                       EXISTS (SELECT 1 FROM revoked_sessions WHERE family_id = \(sessionID))
                FROM users u WHERE u.id = \(userID)
                """, logger: self.logger).all((String, Int, Bool, String, String, Bool).self).first
        }
        guard let row else { return nil }
        let subject = Store.TokenSubject(email: row.0, tokenVersion: row.1, isActive: row.2,
                                         roles: row.3.split(separator: ",").map(String.init),
                                         permissions: Set(row.4.split(separator: ",").map(String.init)), sessionRevoked: row.5)
        if listening { subjects.store(subject, for: key, readAtGeneration: generation) }
        return subject
    }

    /// Keeps ``isListening`` true only while a connection of its own is listening on
    /// `steward_auth`, and empties the cache on every notification and on every change of
    /// that state: a lost notification connection can never leave a stale subject in use.
    func listenForAuthChanges() {
        let configuration = options.connectionConfiguration
        let logger = self.logger
        let subjects = self.subjects
        let isListening = self.isListening
        let task = Task.detached(priority: .userInitiated) {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                    do {
                        let notifications = try await connection.listen("steward_auth")
                        subjects.invalidateAll()
                        isListening.store(true)
                        for try await _ in notifications {
                            subjects.invalidateAll()
                        }
                    } catch {}
                    try? await connection.close()
                } catch {}
                isListening.store(false)
                subjects.invalidateAll()
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        listener.withLock { $0 = task }
    }

    public func permissions(roles: [String]) async throws -> Set<String> {
        guard !roles.isEmpty else { return [] }
        return try await withConnection { connection in
            Set(try await connection.query("SELECT DISTINCT permission FROM role_permissions WHERE role = ANY(\(roles))",
                                           logger: self.logger).values(String.self))
        }
    }

    public func userCount() async throws -> Int {
        try await withConnection { connection in
            try await connection.query("SELECT count(*) FROM users", logger: self.logger).values(Int.self).first ?? 0
        }
    }

    /// Users in id order, a page at a time by key.
    public func listUsers(_ query: Store.UserQuery) async throws -> Page<User> {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        var sql = SQLBuilder()
        var conditions: [String] = []
        if let after { conditions.append(query.descending ? "u.id < \(sql.bind(after))" : "u.id > \(sql.bind(after))") }
        if let text = query.text, !text.isEmpty {
            let pattern = sql.bind("%" + PostgresStore.escapeLike(text.lowercased()) + "%")
            conditions.append("(u.email LIKE \(pattern) OR lower(u.first_name) LIKE \(pattern) OR lower(u.last_name) LIKE \(pattern) OR lower(u.first_name || ' ' || u.last_name) LIKE \(pattern))")
        }
        if let role = query.role {
            conditions.append("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = \(sql.bind(role)))")
        }
        if let active = query.isActive { conditions.append("u.is_active = \(sql.bind(active))") }
        if let moment = query.signedInAt {
            conditions.append("EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.expires_at > \(sql.bind(StoredTime(moment))))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        sql.text = "SELECT \(PostgresStore.userColumns) FROM users u \(whereClause) ORDER BY u.id \(query.descending ? "DESC" : "ASC") LIMIT \(sql.bind(query.limit + 1))"
        let statement = sql.query
        return try await withConnection { connection in
            let rows = try await connection.query(statement, logger: self.logger).all(UserRow.self)
            let page = Array(rows.prefix(query.limit))
            let roles = try await PostgresStore.roles(connection, userIDs: page.map(\.0), logger: self.logger)
            let users = page.map { PostgresStore.user($0, roles: roles[$0.0] ?? []) }
            let next = rows.count > query.limit ? users.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: users, nextCursor: next)
        }
    }

    /// `LIKE` with `\` as its escape character (PostgreSQL's default).
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Takes the row lock that every change able to remove an admin holds until it commits
    /// (the `admin` role's row): two admins demoting each other at once are serialized, and
    /// the second sees the first's change when it counts.
    static func lockAdmins(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT 1 FROM roles WHERE name = 'admin' FOR UPDATE", logger: logger)
    }

    static func activeAdminCount(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query("""
            SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.is_active
            """, logger: logger).values(Int.self).first ?? 0
    }

    static func keepAnActiveAdmin(_ connection: PostgresConnection, hadOne: Bool, logger: Logger) async throws {
        guard hadOne, try await activeAdminCount(connection, logger: logger) == 0 else { return }
        throw StewardError.conflict("This is the last active admin; make another admin first.")
    }

    public func updateUser(id: Int64, _ changes: Store.UserChanges, now: Date) async throws -> User? {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let logger = self.logger
            if changes.isActive == false { try await PostgresStore.lockAdmins(connection, logger: logger) }
            guard let before = try await PostgresStore.user(connection, id: id, logger: logger) else { return nil }
            let time = StoredTime(now)
            if let first = changes.firstName {
                try await connection.query("UPDATE users SET first_name = \(first), updated_at = \(time) WHERE id = \(id)", logger: logger)
            }
            if let last = changes.lastName {
                try await connection.query("UPDATE users SET last_name = \(last), updated_at = \(time) WHERE id = \(id)", logger: logger)
            }
            if let active = changes.isActive, active != before.isActive {
                let hadAdmin = try await (active ? false : PostgresStore.activeAdminCount(connection, logger: logger) > 0)
                try await connection.query("""
                    UPDATE users SET is_active = \(active), updated_at = \(time), token_version = token_version + 1 WHERE id = \(id)
                    """, logger: logger)
                if !active {
                    try await PostgresStore.revokeRefreshTokens(connection, userID: id, now: now, logger: logger)
                    try await PostgresStore.keepAnActiveAdmin(connection, hadOne: hadAdmin, logger: logger)
                }
            }
            return try await PostgresStore.user(connection, id: id, logger: logger)
        }
    }

    public func setPasswordHash(userID: Int64, hash: String, revokeSessions: Bool, now: Date) async throws {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let time = StoredTime(now)
            try await connection.query("""
                UPDATE users SET password_hash = \(hash), updated_at = \(time), failed_logins = 0, locked_until = NULL,
                    token_version = token_version + \(revokeSessions ? 1 : 0)
                WHERE id = \(userID)
                """, logger: self.logger)
            if revokeSessions { try await PostgresStore.revokeRefreshTokens(connection, userID: userID, now: now, logger: self.logger) }
        }
    }

    public func setRoles(userID: Int64, roles: [String], now: Date) async throws -> User? {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let logger = self.logger
            try await PostgresStore.lockAdmins(connection, logger: logger)
            guard try await PostgresStore.user(connection, id: userID, logger: logger) != nil else { return nil }
            let hadAdmin = try await PostgresStore.activeAdminCount(connection, logger: logger) > 0
            try await PostgresStore.replaceRoles(connection, userID: userID, roles: roles, logger: logger)
            try await PostgresStore.keepAnActiveAdmin(connection, hadOne: hadAdmin, logger: logger)
            try await connection.query("""
                UPDATE users SET token_version = token_version + 1, updated_at = \(StoredTime(now)) WHERE id = \(userID)
                """, logger: logger)
            try await PostgresStore.revokeRefreshTokens(connection, userID: userID, now: now, logger: logger)
            return try await PostgresStore.user(connection, id: userID, logger: logger)
        }
    }

    public func revokeSessions(userID: Int64, now: Date) async throws {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            try await connection.query("UPDATE users SET token_version = token_version + 1 WHERE id = \(userID)", logger: self.logger)
            try await PostgresStore.revokeRefreshTokens(connection, userID: userID, now: now, logger: self.logger)
        }
    }

    public func setLoginState(userID: Int64, failedLogins: Int, lockedUntil: Date?) async throws {
        try await withConnection { connection in
            try await connection.query("""
                UPDATE users SET failed_logins = \(failedLogins), locked_until = \(lockedUntil.map(StoredTime.init)) WHERE id = \(userID)
                """, logger: self.logger)
        }
    }

    // MARK: Roles

    public func listRoles() async throws -> [Role] {
        try await withConnection { connection in
            var byRole: [String: [String]] = [:]
            for (role, permission) in try await connection.query(
                "SELECT role, permission FROM role_permissions ORDER BY role, permission", logger: self.logger).all((String, String).self) {
                byRole[role, default: []].append(permission)
            }
            return try await connection.query("SELECT name, description FROM roles ORDER BY name", logger: self.logger)
                .all((String, String).self).map { Role(name: $0.0, description: $0.1, permissions: byRole[$0.0] ?? []) }
        }
    }

    public func setRolePermissions(role: String, permissions: [String]) async throws -> [Int64]? {
        // This instance forgets at once; the others when the notification reaches them.
        defer { subjects.invalidateAll() }
        return try await transaction { connection in
            let logger = self.logger
            guard try await !connection.rows("SELECT 1 FROM roles WHERE name = \(role) FOR UPDATE", logger: logger).isEmpty else { return nil }
            try await connection.query("DELETE FROM role_permissions WHERE role = \(role)", logger: logger)
            let unique = Array(Set(permissions))
            if !unique.isEmpty {
                try await connection.query("INSERT INTO role_permissions(role, permission) SELECT \(role), unnest(\(unique)::text[])", logger: logger)
            }
            return try await connection.query("SELECT user_id FROM user_roles WHERE role = \(role)", logger: logger).values(Int64.self)
        }
    }
}

import StewardModel
import Foundation
import PostgresNIO

/// Seeding, backups, the signing secret and the SQL prompt on PostgreSQL.
extension PostgresStore {
    /// Inserts the demo set in one transaction (all or nothing), keeping its times.
    public func seedDemo(users: [Store.DemoUser], posts: [Store.DemoPost], comments: [Store.DemoComment]) throws -> Store.SeedReport {
        try withOwnConnection { connection in
            try connection.execute("BEGIN")
            do {
                let report = try PostgresStore.seedDemo(connection, users: users, posts: posts, comments: comments)
                try connection.execute("COMMIT")
                return report
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    private static func seedDemo(_ connection: SyncConnection, users: [Store.DemoUser], posts: [Store.DemoPost],
                                 comments: [Store.DemoComment]) throws -> Store.SeedReport {
        // Serializes with a concurrent seed: the second waits, then finds users.
        try connection.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
        guard try connection.query("SELECT count(*) FROM users").first?.decode(Int.self) == 0 else {
            throw StewardError.conflict("The database already has users; the demo set goes into an empty database.")
        }
        var userIDs: [String: Int64] = [:]
        let firstPost = posts.map(\.createdAt).min() ?? Date()
        let created = StoredTime(firstPost.addingTimeInterval(-30 * 86_400))
        for user in users {
            let id = try connection.query("""
                INSERT INTO users(email, password_hash, first_name, last_name, is_active, created_at, updated_at)
                VALUES (\(user.email), \(user.passwordHash), \(user.firstName), \(user.lastName), \(user.isActive), \(created), \(created))
                RETURNING id
                """)[0].decode(Int64.self)
            if !user.roles.isEmpty {
                try connection.query("INSERT INTO user_roles(user_id, role) SELECT \(id), unnest(\(Array(Set(user.roles)))::text[])")
            }
            userIDs[user.email] = id
        }
        var postIDs: [String: Int64] = [:]
        for post in posts.sorted(by: { $0.createdAt < $1.createdAt }) {
            guard let author = userIDs[post.authorEmail] else {
                throw StewardError.badInput(field: "posts.\(post.key).author", "names no demo user")
            }
            let time = StoredTime(post.createdAt)
            let id = try connection.query("""
                INSERT INTO posts(author_id, title, title_key, content, status, created_at, updated_at, search_title, search_body)
                VALUES (\(author), \(post.title), \(post.titleKey), \(post.content), \(post.status.rawValue), \(time), \(time),
                        to_tsvector('simple', \(SearchText.document(post.title))), to_tsvector('simple', \(SearchText.document(post.visibleText))))
                RETURNING id
                """)[0].decode(Int64.self)
            try connection.query("INSERT INTO post_creations(author_id, created_at) VALUES (\(author), \(time))")
            if !post.tags.isEmpty {
                try connection.query("INSERT INTO tags(name) SELECT unnest(\(post.tags)::text[]) ON CONFLICT (name) DO NOTHING")
                try connection.query("INSERT INTO post_tags(post_id, tag_id) SELECT \(id), id FROM tags WHERE name = ANY(\(post.tags)) ON CONFLICT DO NOTHING")
            }
            postIDs[post.key] = id
        }
        var commentIDs: [String: Int64] = [:]
        for comment in comments.sorted(by: { $0.createdAt < $1.createdAt }) {
            guard let author = userIDs[comment.authorEmail], let post = postIDs[comment.postKey] else {
                throw StewardError.badInput(field: "comments.\(comment.key)", "names no demo user or post")
            }
            let parent = try comment.parentKey.map { key in
                guard let id = commentIDs[key] else { throw StewardError.badInput(field: "comments.\(comment.key).parent", "names no earlier comment") }
                return id
            }
            let time = StoredTime(comment.createdAt)
            commentIDs[comment.key] = try connection.query("""
                INSERT INTO comments(post_id, author_id, parent_id, content, status, created_at, updated_at, search)
                VALUES (\(post), \(author), \(parent), \(comment.content), \(comment.status.rawValue), \(time), \(time),
                        to_tsvector('simple', \(SearchText.document(comment.visibleText))))
                RETURNING id
                """)[0].decode(Int64.self)
        }
        return Store.SeedReport(users: users.count, posts: posts.count, comments: comments.count)
    }

    /// Generated volumes reach PostgreSQL through the core, which makes them on SQLite (the
    /// fast bulk path) and copies them over as a move does; this store is never asked.
    public func seedGenerated(_ volumes: Store.GeneratedVolumes, passwordHash: String, now: Date,
                              progress: (@Sendable (String) -> Void)?) throws -> Store.SeedReport {
        throw StewardError.internalError("generated volumes go through OperationsService on PostgreSQL")
    }

    public var backupExtension: String { "dump" }

    /// A `pg_dump` custom-format archive of the database (or of its schema). The password
    /// reaches pg_dump through a private password file named in its environment, never on a
    /// command line, where every user of the machine could read it.
    public func backup(to destination: String) throws {
        var arguments = ["--format=custom", "--no-owner", "--file=\(destination)"]
        if let schema = options.schema { arguments.append("--schema=\(schema)") }
        try runClientProgram("pg_dump", arguments: arguments + ["--dbname=\(options.database)"])
    }

    /// Reads the archive's table of contents back with `pg_restore --list`: "ok" when the
    /// archive is whole, else what pg_restore said.
    public func integrityCheck(ofCopyAt path: String) throws -> String {
        do {
            let listing = try runClientProgram("pg_restore", arguments: ["--list", path], connects: false)
            return listing.contains("security_events") ? "ok" : "the archive holds no security_events table"
        } catch let error as StewardError {
            return error.message
        }
    }

    /// Runs one of PostgreSQL's client programs with the connection in its environment.
    @discardableResult
    func runClientProgram(_ name: String, arguments: [String], connects: Bool = true) throws -> String {
        guard let program = PostgresStore.clientProgram(name) else {
            throw StewardError.internalError("\(name) was not found (Debian: apt-get install postgresql-client-15)")
        }
        var environment = ProcessInfo.processInfo.environment
        var passwordFile: URL?
        if connects {
            environment["PGHOST"] = options.host
            environment["PGPORT"] = String(options.port)
            environment["PGUSER"] = options.username
            environment["PGSSLMODE"] = options.tls.rawValue
            if let password = options.password {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("steward-pgpass-\(UUID().uuidString)")
                func field(_ text: String) -> String { text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:") }
                let line = "\(field(options.host)):\(options.port):*:\(field(options.username)):\(field(password))\n"
                guard FileManager.default.createFile(atPath: file.path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw StewardError.internalError("cannot write a password file for \(name) in \(file.deletingLastPathComponent().path)")
                }
                passwordFile = file
                environment["PGPASSFILE"] = file.path
            }
        }
        environment.removeValue(forKey: "PGPASSWORD")
        defer { if let passwordFile { try? FileManager.default.removeItem(at: passwordFile) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw StewardError.internalError("\(name) failed: \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Debian's wrapper in /usr/bin picks a version by cluster; the versioned binaries work
    /// without one.
    static func clientProgram(_ name: String) -> String? {
        let candidates = ["/usr/lib/postgresql/15/bin/\(name)", "/usr/lib/postgresql/16/bin/\(name)", "/usr/lib/postgresql/17/bin/\(name)",
                          "/usr/bin/\(name)", "/usr/local/bin/\(name)"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The signing secret all instances share outside production: the first instance to
    /// start stores its random `candidate`; every later one reads that one back.
    public func sharedSecret(candidate: [UInt8]) throws -> [UInt8]? {
        try withOwnConnection { connection in
            // Not migrated yet (`steward migrate` opens the store before it migrates).
            guard try connection.query("SELECT to_regclass('settings') IS NOT NULL").first?.decode(Bool.self) == true else { return nil }
            try connection.query("""
                INSERT INTO settings(name, value) VALUES ('jwt_secret', \(ByteBuffer(bytes: candidate))) ON CONFLICT (name) DO NOTHING
                """)
            guard let row = try connection.query("SELECT value FROM settings WHERE name = 'jwt_secret'").first else { return nil }
            var buffer = try row.decode(ByteBuffer.self)
            return buffer.readBytes(length: buffer.readableBytes)
        }
    }

    /// One upsert, atomic under the row's lock: refill by the time since the last lease (on
    /// the database's clock, so instances' clocks never matter), take what the lease asks
    /// for as far as whole tokens allow, and say what was taken and what is left.
    public func leaseRequests(key: String, capacity: Int, refillPerSecond: Double, lease: Int) async throws -> Store.RequestLease? {
        try await withConnection { connection in
            let row = try await connection.query("""
                INSERT INTO rate_buckets AS b (key, tokens, granted, updated_at)
                VALUES (\(key), \(Double(capacity)) - least(\(lease), \(capacity)), least(\(lease), \(capacity)), now())
                ON CONFLICT (key) DO UPDATE SET
                    granted = least(\(lease), floor(least(\(Double(capacity)),
                        b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)::float8) * \(refillPerSecond))))::integer,
                    tokens = least(\(Double(capacity)), b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)::float8) * \(refillPerSecond))
                        - least(\(lease), floor(least(\(Double(capacity)),
                            b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)::float8) * \(refillPerSecond)))),
                    updated_at = greatest(now(), b.updated_at)
                RETURNING granted, tokens
                """, logger: self.logger).all((Int, Double).self).first
            return row.map { Store.RequestLease(granted: $0.0, remaining: $0.1) }
        }
    }

    public var sharesLogs: Bool { true }

    public func appendLogLines(_ lines: [String], instance: String) async throws {
        guard !lines.isEmpty else { return }
        try await withConnection { connection in
            try await connection.query("INSERT INTO request_log(instance, line) SELECT \(instance), unnest(\(lines)::text[])", logger: self.logger)
        }
    }

    public func logLines(after id: Int64, limit: Int) async throws -> [Store.SharedLogLine] {
        try await withConnection { connection in
            try await connection.query("SELECT id, line FROM request_log WHERE id > \(id) ORDER BY id LIMIT \(limit)", logger: self.logger)
                .all((Int64, String).self).map { Store.SharedLogLine(id: $0.0, line: $0.1) }
        }
    }

    /// The role the console's SQL prompt runs as: it may read the log and the audit trail
    /// and nothing else (set up by the operator, see docs/postgresql.md).
    static let logReaderRole = "steward_log_reader"

    /// The console's SQL prompt on PostgreSQL. The given log entries go into a temporary
    /// table `log` (the same columns as on SQLite, `metadata` as `jsonb`); then, in a
    /// `READ ONLY` transaction that is always rolled back, the statement runs as
    /// `steward_log_reader`, a role that can read `log` and `security_events` only, under
    /// `statement_timeout`. So PostgreSQL itself refuses a write of any kind and a read of
    /// any other table (`users` and its password hashes, sessions), whatever the statement.
    /// The statement is read as one query (a second one is a syntax error), and its rows
    /// come back as text through `row_to_json`, so any column type reads the same.
    public func runReadOnlySQL(_ sql: String, log entries: [Store.LogRow], limits: ReadOnlySQLLimits) async throws -> ReadOnlySQLResult {
        var statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while statement.hasSuffix(";") { statement = String(statement.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !statement.isEmpty else { throw StewardError.badInput(field: "sql", "There is no statement to run.") }
        let role = PostgresStore.logReaderRole
        let schema = options.schema ?? "public"
        let milliseconds = max(1, Int(limits.timeLimit.components.seconds * 1000 + limits.timeLimit.components.attoseconds / 1_000_000_000_000_000))
        do {
            return try await client.withConnection { connection in
                let logger = self.logger
                let member = try await connection.query("""
                    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(role)) AND pg_has_role(current_user, \(role), 'MEMBER')
                    """, logger: logger).values(Bool.self).first ?? false
                guard member else {
                    throw StewardError.badInput(field: "sql", """
                        the SQL prompt runs as the role \(role), which does not exist or is not granted to this account; \
                        see docs/postgresql.md (CREATE ROLE \(role) NOLOGIN; GRANT \(role) TO <the app role>)
                        """)
                }
                // Best effort: where this account owns the schema and the table, it can grant
                // the reader what it needs itself; else the operator did (docs/postgresql.md).
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA \(PostgresStore.quoteIdentifier(schema)) TO \(role)"), logger: logger)
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "GRANT SELECT ON security_events TO \(role)"), logger: logger)
                try await connection.query("""
                    CREATE TEMP TABLE IF NOT EXISTS log (
                        seq bigint PRIMARY KEY, time timestamptz(3) NOT NULL, level text NOT NULL, source text NOT NULL,
                        message text NOT NULL, request_id text, method text, path text, status integer,
                        duration_ms double precision, ip text, user_id bigint, metadata jsonb NOT NULL)
                    """, logger: logger)
                try await connection.query("TRUNCATE pg_temp.log", logger: logger)
                try await PostgresStore.load(entries, into: connection, logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "GRANT SELECT ON pg_temp.log TO \(role)"), logger: logger)
                try await connection.query("BEGIN READ ONLY", logger: logger)
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL ROLE \(role)"), logger: logger)
                    try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(milliseconds)"), logger: logger)
                    try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path = pg_temp, \(PostgresStore.quoteIdentifier(schema))"), logger: logger)
                    let cells = try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT s.n, j.key, j.value
                        FROM (SELECT row_number() OVER () AS n, row_to_json(q) AS r FROM (
                        \(statement)
                        ) AS q LIMIT \(limits.maximumRows + 1)) AS s,
                        LATERAL json_each_text(s.r) WITH ORDINALITY AS j(key, value, ord)
                        ORDER BY s.n, j.ord
                        """), logger: logger).all((Int64, String, String?).self)
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    return PostgresStore.result(cells, limits: limits)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch let error as StewardError {
            throw error
        } catch {
            guard let info = (error as? PSQLError)?.serverInfo, let message = info[.message] else { throw PostgresStore.stewardError(error) }
            switch info[.sqlState] {
            case "57014":
                throw StewardError.badInput(field: "sql", "The statement ran longer than \(limits.timeLimit) and was stopped.")
            case "42501", "25006":
                // No privilege (another table), or a write in the read-only transaction.
                throw StewardError.badInput(field: "sql", "Refused: \(message). The SQL prompt only reads the tables log and security_events.")
            default:
                throw StewardError.badInput(field: "sql", message)
            }
        }
    }

    /// The entries into `pg_temp.log`, in one statement.
    private static func load(_ entries: [Store.LogRow], into connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        let metadata = entries.map { entry -> String in
            var json: [UInt8] = [UInt8(ascii: "{")]
            for (index, key) in entry.metadata.keys.sorted().enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                JSONText.appendString(entry.metadata[key]!, to: &json)
            }
            json.append(UInt8(ascii: "}"))
            return String(decoding: json, as: UTF8.self)
        }
        func field(_ name: String) -> [String] { entries.map { $0.metadata[name] ?? "" } }
        // Arrays carry no NULLs here: an empty string stands for an absent field, and a
        // number that does not read as one stays NULL, as on SQLite.
        try await connection.query("""
            INSERT INTO pg_temp.log
            SELECT seq, time::timestamptz, level, source, message, nullif(request_id, ''), nullif(method, ''), nullif(path, ''),
                   CASE WHEN status ~ '^[0-9]{1,9}$' THEN status::integer END,
                   CASE WHEN duration_ms ~ '^[0-9]{1,12}([.][0-9]{1,9})?$' THEN duration_ms::float8 END,
                   nullif(ip, ''), CASE WHEN user_id ~ '^[0-9]{1,18}$' THEN user_id::bigint END, metadata::jsonb
            FROM unnest(\(entries.map { Int64(bitPattern: $0.sequence) }), \(entries.map { Timestamp.string($0.time) }),
                \(entries.map(\.level)), \(entries.map(\.source)), \(entries.map(\.message)), \(field("requestId")), \(field("method")),
                \(field("path")), \(field("status")), \(field("durationMs")), \(field("ip")), \(field("userId")), \(metadata))
            AS e(seq, time, level, source, message, request_id, method, path, status, duration_ms, ip, user_id, metadata)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Cells (row number, column, text) back into rows, within the limits.
    static func result(_ cells: [(Int64, String, String?)], limits: ReadOnlySQLLimits) -> ReadOnlySQLResult {
        var columns: [String] = []
        var rows: [[String?]] = []
        var currentRow: Int64 = -1
        var bytes = 0
        var truncated = false
        for (number, column, value) in cells {
            if number != currentRow {
                if rows.count == limits.maximumRows || bytes > limits.maximumResultBytes { truncated = true; break }
                currentRow = number
                rows.append([])
            }
            if rows.count == 1 { columns.append(column) }
            var text = value
            if let value, value.count > limits.maximumCellCharacters { text = String(value.prefix(limits.maximumCellCharacters)) + "…" }
            bytes += text?.utf8.count ?? 0
            rows[rows.count - 1].append(text)
        }
        return ReadOnlySQLResult(columns: columns, rows: rows, isTruncated: truncated)
    }
}

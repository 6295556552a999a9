import Foundation
internal import StewardStore
internal import StewardPostgres

/// Moving an SQLite database into an empty PostgreSQL one (`steward migrate --from-sqlite`).
extension OperationsService {
    /// One table as it moves: its key (the order it is read in, by keyset) and its columns,
    /// named alike on both backends.
    struct MovedTable {
        var name: String
        var key: [String]
        var columns: [String]
    }

    /// In foreign-key order: a row's references are always in before it.
    static let movedTables: [MovedTable] = [
        MovedTable(name: "permissions", key: ["name"], columns: ["name", "description"]),
        MovedTable(name: "roles", key: ["name"], columns: ["name", "description"]),
        MovedTable(name: "role_permissions", key: ["role", "permission"], columns: ["role", "permission"]),
        MovedTable(name: "users", key: ["id"], columns: ["id", "email", "password_hash", "first_name", "last_name", "is_active",
                                                      "token_version", "failed_logins", "locked_until", "created_at", "updated_at"]),
        MovedTable(name: "user_roles", key: ["user_id", "role"], columns: ["user_id", "role"]),
        MovedTable(name: "posts", key: ["id"], columns: ["id", "author_id", "title", "title_key", "content", "status", "created_at", "updated_at"]),
        MovedTable(name: "post_creations", key: ["rowid"], columns: ["author_id", "created_at"]),
        MovedTable(name: "tags", key: ["id"], columns: ["id", "name"]),
        MovedTable(name: "post_tags", key: ["post_id", "tag_id"], columns: ["post_id", "tag_id"]),
        MovedTable(name: "comments", key: ["id"], columns: ["id", "post_id", "author_id", "parent_id", "content", "status", "created_at", "updated_at"]),
        MovedTable(name: "refresh_tokens", key: ["id"], columns: ["id", "user_id", "family_id", "token_hash", "created_at", "expires_at",
                                                               "rotated_at", "revoked_at"]),
        MovedTable(name: "revoked_sessions", key: ["family_id"], columns: ["family_id", "revoked_at", "expires_at"]),
        MovedTable(name: "login_failures", key: ["key"], columns: ["key", "failures", "window_start", "locked_until"]),
        MovedTable(name: "sessions", key: ["family_id"], columns: ["family_id", "user_id", "client", "created_at", "last_used_at",
                                                                   "expires_at", "ended_at"]),
        MovedTable(name: "security_events", key: ["id"], columns: ["id", "created_at", "event", "user_id", "actor_id", "client", "details"]),
    ]

    /// Copies every table of the SQLite file at `path` into this PostgreSQL database, which
    /// must be migrated and empty (`server:control`). Rows go over by COPY in batches of
    /// `batchSize`, read by key, so memory stays flat whatever the size; the search columns
    /// are computed from the file's own search tables, folded as every write folds them.
    /// Reports each table's row count to `progress` as it finishes, and returns the counts.
    /// Audited as `BACKUP` on the target with `"action": "migrate-from-sqlite"`.
    public func migrateFromSQLite(_ caller: Caller, path: String, batchSize: Int = 5_000,
                                  progress: (@Sendable (String, Int) -> Void)? = nil) async throws -> [(table: String, rows: Int)] {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        guard let target = context.store as? PostgresStore else {
            throw StewardError.badInput(field: "STEWARD_DB", "must name the PostgreSQL database to move into (postgres://…)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StewardError.badInput(field: "from-sqlite", "no SQLite file at \(path)")
        }
        let source: SQLiteStore
        do { source = try SQLiteStore(path: path, migrate: false, readOnly: true) } catch {
            throw StewardError.badInput(field: "from-sqlite", "\(path) is not a Steward SQLite database")
        }
        defer { try? source.close() }
        guard (try? source.isFullyMigrated()) == true else {
            throw StewardError.badInput(field: "from-sqlite", "\(path) has pending migrations; run steward migrate on it first")
        }
        guard try await target.isEmptyForImport() else {
            throw StewardError.conflict("The PostgreSQL database already holds data; the move goes into an empty one.")
        }
        let counts = try await copy(from: source, to: target, batchSize: batchSize, progress: progress)
        await context.audit.record(.backup, subject: nil, actor: actor,
                                   details: ["action": "migrate-from-sqlite", "path": path,
                                             "posts": String(counts.first { $0.table == "posts" }?.rows ?? 0),
                                             "comments": String(counts.first { $0.table == "comments" }?.rows ?? 0)])
        return counts
    }

    /// Generated volumes for a PostgreSQL database: seeded into a private SQLite file in the
    /// temporary folder (the bulk path SQLite is fast at), then copied over as a move is.
    func seedGeneratedThroughSQLite(_ volumes: Store.GeneratedVolumes, passwordHash: String, now: Date,
                                    progress: (@Sendable (String) -> Void)?) async throws -> Store.SeedReport {
        guard let target = context.store as? PostgresStore else {
            throw StewardError.internalError("generated volumes through SQLite need a PostgreSQL target")
        }
        guard try await target.isEmptyForImport() else {
            throw StewardError.conflict("The database already has users; generated data goes into an empty database.")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-generate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try SQLiteStore(path: folder.appendingPathComponent("generated.sqlite").path)
        defer { try? source.close() }
        let report = try await Offload.run { try source.seedGenerated(volumes, passwordHash: passwordHash, now: now, progress: progress) }
        _ = try await copy(from: source, to: target, batchSize: 5_000) { table, rows in
            if rows > 0 { progress?("copied \(table): \(rows)") }
        }
        return report
    }

    private func copy(from source: SQLiteStore, to target: PostgresStore, batchSize: Int,
                      progress: (@Sendable (String, Int) -> Void)?) async throws -> [(table: String, rows: Int)] {
        try await target.clearRolesForImport()
        var counts: [(table: String, rows: Int)] = []
        for table in Self.movedTables {
            var after: [String?]?
            var total = 0
            while true {
                let rows = try await source.exportRows(table: table.name, key: table.key, columns: table.columns, after: after, limit: batchSize)
                guard !rows.isEmpty else { break }
                try await target.copyRows(table: table.name, columns: table.columns, rows: rows.map { Array($0.dropFirst(table.key.count)) })
                total += rows.count
                after = Array(rows[rows.count - 1].prefix(table.key.count))
                if rows.count < batchSize { break }
            }
            counts.append((table.name, total))
            progress?(table.name, total)
        }
        try await moveSearch(from: source, to: target, batchSize: batchSize)
        try await target.finishImport()
        return counts
    }

    private func moveSearch(from source: SQLiteStore, to target: PostgresStore, batchSize: Int) async throws {
        var after: [String?]?
        while true {
            let rows = try await source.exportRows(table: "posts_fts", key: ["rowid"], columns: ["title", "body"], after: after, limit: batchSize)
            guard !rows.isEmpty else { break }
            try await target.importSearch(posts: rows.compactMap { row in
                guard let id = row[0].flatMap({ Int64($0) }) else { return nil }
                return (id, row[1] ?? "", row[2] ?? "")
            })
            after = [rows[rows.count - 1][0]]
            if rows.count < batchSize { break }
        }
        after = nil
        while true {
            let rows = try await source.exportRows(table: "comments_fts", key: ["rowid"], columns: ["body"], after: after, limit: batchSize)
            guard !rows.isEmpty else { break }
            try await target.importSearch(comments: rows.compactMap { row in
                guard let id = row[0].flatMap({ Int64($0) }) else { return nil }
                return (id, row[1] ?? "")
            })
            after = [rows[rows.count - 1][0]]
            if rows.count < batchSize { break }
        }
    }
}

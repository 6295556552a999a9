import Foundation

/// What an operator does to the database as a whole: health, first run, migrations,
/// seeding and backups. Every call that changes something takes a ``Caller``, checks a
/// permission and is audited, whichever door it came through.
public struct OperationsService: Sendable {
    let context: ServiceContext
    /// Generated volumes (accounts sharing one known password) never go into production.
    let production: Bool

    // MARK: Health and first run

    /// True when the database answers (`/healthz`). Needs no caller: it reveals nothing.
    public func isHealthy() async -> Bool {
        await context.store.ping()
    }

    /// True while the database has no account: the console's first-run screen creates the
    /// first admin (``UserService/createFirstAdmin(email:password:firstName:lastName:client:)``).
    public func needsFirstAdmin() async throws -> Bool {
        try await context.store.userCount() == 0
    }

    /// The database's location as an operator names it.
    public var databaseLocation: String { context.store.location }

    // MARK: Migrations

    /// Every migration and whether this database has it (`server:control`).
    public func migrationStatus(_ caller: Caller) async throws -> [(id: String, applied: Bool)] {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        let store = context.store
        return try await Offload.run { try store.migrationStatus() }
    }

    /// Applies pending migrations (`server:control`); returns their identifiers.
    public func migrate(_ caller: Caller) async throws -> [String] {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        let store = context.store
        return try await Offload.run { try store.migrate() }
    }

    // MARK: Seeding

    /// Loads the demo set compiled into the binary into an empty database (`users:create`).
    public func seedDemo(_ caller: Caller) async throws -> Store.SeedReport {
        let actor = try await context.resolve(caller)
        try await context.require(.usersCreate, actor)
        guard !production else {
            throw StewardError(.badInput, "STEWARD_ENV=production: the demo set's accounts have published passwords; load it into test databases only.")
        }
        let report = try await DemoSet.seed(into: context)
        await context.audit.record(.userUpdate, subject: nil, actor: actor,
                                   details: ["change": "seeded the demo set", "users": String(report.users), "posts": String(report.posts)])
        return report
    }

    /// Fills the database with deterministic generated volumes for load tests
    /// (`users:create`); every generated account has `password`.
    public func seedGenerated(_ caller: Caller, _ volumes: Store.GeneratedVolumes, password: String,
                              progress: (@Sendable (String) -> Void)? = nil) async throws -> Store.SeedReport {
        let actor = try await context.resolve(caller)
        try await context.require(.usersCreate, actor)
        guard !production else {
            throw StewardError(.badInput, "STEWARD_ENV=production: generated volumes share one known password and are for test databases only.")
        }
        let hash = try await context.hash(password)
        let store = context.store, now = context.now()
        let report: Store.SeedReport
        if context.store.sharesLogs {
            // PostgreSQL: generated on SQLite, where a bulk load is fastest, then moved.
            report = try await seedGeneratedThroughSQLite(volumes, passwordHash: hash, now: now, progress: progress)
        } else {
            report = try await Offload.run { try store.seedGenerated(volumes, passwordHash: hash, now: now, progress: progress) }
        }
        await context.audit.record(.userUpdate, subject: nil, actor: actor,
                                   details: ["change": "seeded generated volumes", "users": String(report.users), "posts": String(report.posts),
                                             "comments": String(report.comments), "seed": String(volumes.seed)])
        return report
    }

    // MARK: Backup

    /// What a backup wrote.
    public struct BackupReport: Sendable {
        public var path: String
        public var bytes: Int
        /// Older backups removed by `keep`.
        public var pruned: [String]
    }

    /// A consistent copy of the live database (`server:control`: a copy holds every
    /// account's password hash), safe while the HTTP listener writes.
    ///
    /// `out` names a file, or a folder (trailing `/`, or an existing folder) to write
    /// `steward-YYYYMMDD-HHMMSS.sqlite` into. The copy is written beside the target, passes
    /// SQLite's integrity check, and only then appears under its name, with mode 0600; an
    /// existing file is replaced only with `force`; a failure leaves nothing behind. With
    /// `keep`, only the newest `keep` `steward-*.sqlite` files of the target's folder stay.
    /// Audited as `BACKUP`.
    public func backup(_ caller: Caller, to out: String, force: Bool = false, keep: Int? = nil) async throws -> BackupReport {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        if let keep, keep < 1 { throw StewardError.badInput(field: "keep", "must be at least 1") }
        let ext = context.store.backupExtension
        let file = try OutputFile(out: out, prefix: "steward", ext: ext, force: force, now: context.now())
        let store = context.store
        do {
            try await Offload.run {
                do { try store.backup(to: file.temporary) } catch {
                    throw StewardError(.badInput, "cannot write the backup to \(file.target): \(error)")
                }
                let check = try store.integrityCheck(ofCopyAt: file.temporary)
                guard check == "ok" else { throw StewardError(.internalError, "the backup failed its integrity check: \(check)") }
                try file.publish()
            }
        } catch {
            file.discard()
            throw error
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file.target)[.size] as? Int) ?? 0
        var pruned: [String] = []
        if let keep {
            let folder = (file.target as NSString).deletingLastPathComponent
            pruned = OperationsService.prune(folder: folder.isEmpty ? "." : folder, keep: keep, ext: ext)
        }
        await context.audit.record(.backup, subject: nil, actor: actor,
                                   details: ["path": file.target, "bytes": String(bytes), "pruned": String(pruned.count)])
        return BackupReport(path: file.target, bytes: bytes, pruned: pruned)
    }

    private static func prune(folder: String, keep: Int, ext: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("steward-") && $0.hasSuffix("." + ext) }
            .sorted(by: >)
        var removed: [String] = []
        for name in names.dropFirst(keep) {
            let path = (folder as NSString).appendingPathComponent(name)
            guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            removed.append(path)
        }
        return removed
    }
}

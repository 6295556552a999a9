import StewardModel
import Foundation
import GRDB
import Synchronization

/// The SQLite store: every SQL statement of Steward lives in this folder.
///
/// One `DatabasePool` (WAL: readers never wait for the writer) is shared by everything in
/// the process — the console, the HTTP listener and the CLI commands — beside a read-only
/// connection per reading thread for the short reads every request makes
/// (``ThreadReaders``). Writes run on GRDB's writer queue, so neither the console's input
/// loop nor an HTTP event loop ever waits for one. Services call these methods; they never
/// see SQL.
public final class SQLiteStore: DataStore {
    /// The database file.
    public let path: String
    public var location: String { path }
    let pool: DatabasePool
    /// The subjects of access tokens, answered without a read (see ``TokenSubjectCache``).
    let subjects = TokenSubjectCache()
    /// Empties ``subjects`` when this process commits an `auth_epoch` bump; held here
    /// because GRDB holds its observers weakly.
    private let authObserver: AuthEpochObserver
    /// Reads `auth_epoch` for changes made by other processes.
    private let epochWatcher = Mutex<Task<Void, Never>?>(nil)
    /// Numbers every commit to the file, for ``committedVersion()``.
    private let commits: CommitCounter?
    /// A read-only connection per thread, for ``readLatest(_:)``.
    let readers: ThreadReaders

    /// Opens (and creates) the database file, with WAL, foreign keys, a busy timeout and
    /// `synchronous = NORMAL` — durable across application crashes, fast enough to commit
    /// thousands of small transactions a second.
    ///
    /// - parameter migrate: apply pending migrations before returning. `steward migrate`
    ///   passes `false` so that it can report what it applies.
    public init(path: String, migrate: Bool = true, readOnly: Bool = false) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !readOnly {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        // A new database is private (0600) whatever the umask; SQLite gives its -wal and
        // -shm files the database file's mode.
        if !readOnly && !FileManager.default.fileExists(atPath: path) {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { Glibc.close(descriptor) }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.readonly = readOnly
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StewardError(.internalError, "cannot open the database \(path): \(SQLiteStore.describe(error))")
        }
        readers = ThreadReaders(path: path, configuration: configuration)
        authObserver = AuthEpochObserver(cache: subjects)
        pool.add(transactionObserver: authObserver)
        if migrate && !readOnly {
            try Self.migrateRacingOthers(pool)
        }
        commits = CommitCounter(path: path)
        watchAuthEpoch()
    }

    /// Polls `auth_epoch` (one indexed read of one row) so that what another process changes
    /// reaches ``subjects`` within ``TokenSubjectCache/epochPollInterval``. Without the table
    /// (a database not migrated yet), it waits and tries again; entries expire anyway.
    private func watchAuthEpoch() {
        let pool = self.pool, subjects = self.subjects
        let task = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                if let epoch = try? await pool.read({ db in
                    try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM auth_epoch WHERE id = 1"))
                }) {
                    subjects.observeEpoch(epoch)
                }
                try? await Task.sleep(for: subjects.epochPollInterval)
            }
        }
        epochWatcher.withLock { $0 = task }
    }

    /// Applies pending migrations when other processes may be doing the same on a new file
    /// (three `steward serve` started together): GRDB reads what is applied, then applies
    /// each migration in a transaction of its own, so two processes can both try one and
    /// the loser fails (`table users already exists`). Each migration is atomic, so the
    /// loser only has to read again and carry on from where the winner is.
    private static func migrateRacingOthers(_ pool: DatabasePool) throws {
        var attempt = 0
        while true {
            do {
                try StewardMigrations.migrator.migrate(pool)
                return
            } catch {
                attempt += 1
                if attempt >= 20 { throw error }
                usleep(UInt32.random(in: 20_000...60_000))
                if (try? pool.read({ db in try StewardMigrations.migrator.hasCompletedMigrations(db) })) == true { return }
            }
        }
    }

    /// Identifiers of every migration and whether this database has it.
    public func migrationStatus() throws -> [(id: String, applied: Bool)] {
        let migrator = StewardMigrations.migrator
        let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        return migrator.migrations.map { ($0, applied.contains($0)) }
    }

    /// Applies pending migrations; returns the identifiers it applied.
    @discardableResult
    public func migrate() throws -> [String] {
        let before = Set(try migrationStatus().filter(\.applied).map(\.id))
        try StewardMigrations.migrator.migrate(pool)
        return try migrationStatus().filter { $0.applied && !before.contains($0.id) }.map(\.id)
    }

    public var backupExtension: String { "sqlite" }

    /// SQLite keeps a generated secret in a file beside the database (`StewardConfig`).
    public func sharedSecret(candidate: [UInt8]) throws -> [UInt8]? { nil }

    /// Every process on an SQLite file logs into the folder beside it, which the console
    /// follows: nothing to carry through the database.
    public var sharesLogs: Bool { false }
    public func appendLogLines(_ lines: [String], instance: String) async throws {}
    public func logLines(after id: Int64, limit: Int) async throws -> [Store.SharedLogLine] { [] }

    /// One process serves an SQLite file's HTTP API: its own limiter is the whole limit.
    public func leaseRequests(key: String, capacity: Int, refillPerSecond: Double, lease: Int) async throws -> Store.RequestLease? { nil }

    /// A consistent copy of the live database through SQLite's online backup API:
    /// safe while another connection (or process) writes.
    public func backup(to destination: String) throws {
        let target = try DatabaseQueue(path: destination)
        try pool.backup(to: target, pagesPerStep: 1024)
        // The pages say "WAL" like the live database's; a copy is one self-contained file.
        try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try target.close()
    }

    /// `PRAGMA integrity_check` of the database file at `path`, opened read-only: "ok", or
    /// what SQLite found.
    public func integrityCheck(ofCopyAt path: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        let copy = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? copy.close() }
        return try copy.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    /// True when the database answers a trivial query (for `/healthz`).
    /// Asks the file itself: `PRAGMA data_version` on the commit counter's connection opens
    /// a read transaction (the WAL index in shared memory), where `SELECT 1` on a pooled
    /// connection proved only that SQLite runs. It is also the cheapest question: no pool,
    /// no queue, which matters for a probe that load balancers and `/healthz` floods ask.
    public func ping() async -> Bool {
        if let commits { return commits.current() != nil }
        return (try? readers.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) }) == 1
    }

    public func committedVersion() -> UInt64? {
        commits?.current()
    }

    public func close() throws {
        epochWatcher.withLock { $0?.cancel(); $0 = nil }
        commits?.close()
        readers.close()
        try pool.close()
    }

    deinit {
        epochWatcher.withLock { $0?.cancel() }
    }

    // MARK: - Running work

    /// Runs a read on the calling thread, with one of the pool's reader connections.
    ///
    /// Reads are short (a page, a row, by key through an index: tens to hundreds of
    /// microseconds), so sending each to a GRDB queue and back cost more than the read: the
    /// profile of a list load showed a quarter of the CPU in the kernel, switching threads
    /// for those two hops. Running it here blocks the calling thread for the read only, and
    /// cannot deadlock the cooperative pool however many requests arrive: a reader is
    /// held only by a synchronous closure, which needs no task to finish, so a caller
    /// waiting for a free reader always gets one (there are `maximumReaderCount` of them).
    /// Writes still go to GRDB's writer queue: they may wait for one another.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try SQLiteStore.reportingErrors { try readHere(body) }
    }

    /// `pool.read` on this thread: a synchronous function, so the synchronous overload.
    private func readHere<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// A read on this thread *without* a transaction around it: for the reads every request
    /// makes (the token check, a page of posts, one post, the health ping), where the
    /// `BEGIN`/`COMMIT` pair cost as much as the read. Each statement still sees one
    /// committed state; two statements may see two (a page's tags a moment newer than the
    /// page), which these reads tolerate. Anything that must agree with itself uses ``read``.
    ///
    /// These run on the calling thread's own connection (``ThreadReaders``), not the pool's:
    /// the pool's queues were a third of the cost of reading one post.
    func readLatest<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try SQLiteStore.reportingErrors { try readers.read(body) }
    }

    /// Runs `work`, passing a `StewardError` on as it is and turning anything else (SQLite's
    /// errors) into an internal error that says what SQLite said.
    private static func reportingErrors<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as StewardError {
            throw error
        } catch {
            throw StewardError.internalError(describe(error))
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as StewardError {
            throw error
        } catch {
            throw StewardError.internalError(SQLiteStore.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return String(describing: error)
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
    }
}

extension Row {
    func date(_ column: String) -> Date {
        let text: String = self[column]
        return Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0)
    }

    func optionalDate(_ column: String) -> Date? {
        guard let text: String = self[column] else { return nil }
        return Timestamp.parse(text)
    }
}

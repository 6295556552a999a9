import StewardModel
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL store: the same `DataStore` as the SQLite one, for a team that runs several
/// `steward serve` instances on one database.
///
/// Nothing that must be shared lives in this object: sessions, revocations, token versions,
/// throttling, the rate limit's buckets and the signing secret are rows. The only state
/// here is a cache of token subjects, and it is emptied on every instance the moment any
/// of them commits a change to what a subject is made of (see ``listenForAuthChanges()``).
///
/// Two ways to reach the server:
/// - the services' calls are `async` and borrow a connection from a `PostgresClient` pool
///   (`STEWARD_DB_POOL` connections), whose `run()` this object drives in a task of its own;
/// - the few synchronous calls (migrations at start-up, seeding, the signing secret) open a
///   connection of their own and wait on NIO futures, never on a Swift task, so they cannot
///   tie up the two threads of the cooperative pool.
public final class PostgresStore: DataStore {
    /// Where the server is and who we are; parsed from `STEWARD_DB` by the configuration.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// A schema of its own inside the database (`?schema=`): several Stewards, or a
        /// test each, in one database. `nil`: PostgreSQL's default (`public`).
        public var schema: String?
        /// `sslmode`: `disable`, `prefer` (the default, as libpq) or `require`.
        public var tls: TLSMode
        /// Connections per instance (`STEWARD_DB_POOL`).
        public var poolSize: Int

        public enum TLSMode: String, Sendable { case disable, prefer, require }

        public init(host: String, port: Int, username: String, password: String?, database: String,
                    schema: String? = nil, tls: TLSMode = .prefer, poolSize: Int = 10) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.schema = schema
            self.tls = tls
            self.poolSize = poolSize
        }

        /// The URL without its password, as operators see it (status bar, logs, errors).
        public var displayName: String {
            var text = "postgres://\(username)@\(host):\(port)/\(database)"
            if let schema { text += "?schema=\(schema)" }
            return text
        }

        var connectionConfiguration: PostgresConnection.Configuration {
            var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                                 database: database, tls: connectionTLS)
            configuration.options.additionalStartupParameters = startupParameters
            return configuration
        }

        var clientConfiguration: PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                             database: database, tls: clientTLS)
            configuration.options.maximumConnections = poolSize
            configuration.options.minimumConnections = 0
            configuration.options.additionalStartupParameters = startupParameters
            return configuration
        }

        private var startupParameters: [(String, String)] {
            // Every time is UTC on the wire; the schema is the first on the search path.
            var parameters = [("TimeZone", "UTC"), ("application_name", "steward")]
            if let schema { parameters.append(("search_path", PostgresStore.quoteIdentifier(schema))) }
            return parameters
        }

        private var connectionTLS: PostgresConnection.Configuration.TLS {
            switch tls {
            case .disable: return .disable
            case .prefer: return .prefer(try! NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: return .require(try! NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        }

        private var clientTLS: PostgresClient.Configuration.TLS {
            switch tls {
            case .disable: return .disable
            case .prefer: return .prefer(.makeClientConfiguration())
            case .require: return .require(.makeClientConfiguration())
            }
        }
    }

    public let options: Options
    public var location: String { options.displayName }
    let client: PostgresClient
    let logger: Logger
    private let runner = Mutex<Task<Void, Never>?>(nil)
    let listener = Mutex<Task<Void, Never>?>(nil)
    let cleanup = Mutex<Task<Void, Never>?>(nil)
    /// The subjects of access tokens, answered without a read while ``isListening``.
    let subjects = TokenSubjectCache()
    /// True while the notification connection is up: only then can the cache trust that it
    /// hears of every change. When it drops, the cache is emptied and bypassed until it is back.
    let isListening = Flag()

    /// Connects (lazily: the first query opens the first connection), applies pending
    /// migrations unless `migrate` is false, and starts listening for changes of rights.
    public init(options: Options, migrate: Bool = true) throws {
        self.options = options
        var logger = Logger(label: "steward.postgres")
        logger.logLevel = .critical
        self.logger = logger
        client = PostgresClient(configuration: options.clientConfiguration, backgroundLogger: logger)
        let client = self.client
        runner.withLock { $0 = Task.detached { await client.run() } }
        do {
            if migrate { try self.migrate() } else { _ = try migrationStatus() }
        } catch {
            shutDown()
            throw error
        }
        listenForAuthChanges()
        scheduleCleanup()
    }

    public func ping() async -> Bool {
        (try? await client.withConnection { connection in
            try await connection.query("SELECT 1", logger: self.logger).collect().count
        }) == 1
    }

    /// `nil`: another instance's commit is known here only through a notification that
    /// arrives a moment later, too late for a client that wrote there and reads here.
    public func committedVersion() -> UInt64? { nil }

    public func close() throws {
        shutDown()
    }

    private func shutDown() {
        listener.withLock { $0?.cancel(); $0 = nil }
        cleanup.withLock { $0?.cancel(); $0 = nil }
        runner.withLock { $0?.cancel(); $0 = nil }
    }

    deinit {
        shutDown()
    }

    // MARK: - Running work

    /// Runs `body` on one pooled connection, outside a transaction: for single statements.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw PostgresStore.stewardError(error)
        }
    }

    /// Runs `body` in a transaction on one pooled connection, and runs it again (up to five
    /// times, after a short random pause) when PostgreSQL gives up on it for a serialization
    /// failure or a deadlock: two instances writing the same rows is normal here.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: self.logger)
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: self.logger)
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: self.logger)
                        throw error
                    }
                }
            } catch where attempt < 5 && PostgresStore.isRetryable(error) {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            } catch {
                throw PostgresStore.stewardError(error)
            }
        }
    }

    /// Runs a synchronous body with a connection of its own, opened and closed around it.
    func withOwnConnection<T>(_ body: (SyncConnection) throws -> T) throws -> T {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                        configuration: options.connectionConfiguration,
                                                        id: 0, logger: logger).wait()
        } catch {
            throw StewardError.internalError("cannot connect to PostgreSQL at \(options.displayName): \(PostgresStore.describe(error))")
        }
        defer { try? connection.close().wait() }
        do {
            return try body(SyncConnection(connection: connection, logger: logger))
        } catch {
            throw PostgresStore.stewardError(error)
        }
    }

    // MARK: - Errors

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func isUniqueViolation(_ error: any Error) -> Bool { sqlState(error) == "23505" }

    static func isRetryable(_ error: any Error) -> Bool {
        let state = sqlState(error)
        return state == "40001" || state == "40P01"
    }

    /// What went wrong, in PostgreSQL's words: never the query's values (a bound password
    /// hash or token hash), never the connection's password.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState].map { " (\($0))" } ?? ""
                return "PostgreSQL error\(state): \(info[.message] ?? "unknown")"
            }
            return "PostgreSQL connection: \(error.code)"
        }
        return String(describing: error)
    }

    /// A `StewardError` passed on as it is; anything else becomes an internal error naming
    /// what PostgreSQL said (and 409 for a unique violation the store did not expect).
    static func stewardError(_ error: any Error) -> any Error {
        if error is StewardError { return error }
        if error is CancellationError { return error }
        if isUniqueViolation(error) { return StewardError.conflict("That already exists.") }
        return StewardError.internalError(describe(error))
    }

    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A boolean shared between tasks.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func load() -> Bool { value.load(ordering: .acquiring) }
    func store(_ newValue: Bool) { value.store(newValue, ordering: .releasing) }
}

/// A connection used from synchronous code: every call waits on its NIO future.
struct SyncConnection {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        Array(try connection.query(query, logger: logger).wait().rows)
    }

    /// Several statements without parameters, one after the other: postgres-nio speaks only
    /// the extended protocol, which takes one statement at a time.
    func execute(_ sql: String) throws {
        for statement in SyncConnection.statements(sql) {
            _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
        }
    }

    /// `sql` cut at each `;` that ends a line outside a `$$` quoted body (the migrations'
    /// form: one statement per line or block, functions in `$$`).
    static func statements(_ sql: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") { continue }
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody && trimmed.hasSuffix(";") {
                result.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result.append(current) }
        return result
    }
}

/// A time as PostgreSQL stores it (`timestamptz(3)`), carried as whole milliseconds.
///
/// postgres-nio's own `Date` encoding truncates through a `Double`, so a time read back and
/// written again could lose a millisecond, and a page cursor (`created_at`, id) would then
/// skip a row. This type converts exactly: microseconds since 2000 on the wire, integer
/// milliseconds here, and the same `Date` as `Timestamp.parse` of the stored text.
struct StoredTime: PostgresCodable, Sendable {
    var millis: Int64

    init(_ date: Date) {
        millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    init(millis: Int64) { self.millis = millis }

    var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static let postgresEpochMillis: Int64 = 946_684_800_000

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger((millis - StoredTime.postgresEpochMillis) * 1000)
    }

    init<JSONDecoder: PostgresJSONDecoder>(from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
                                           context: PostgresDecodingContext<JSONDecoder>) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary,
              buffer.readableBytes == 8, let micros = buffer.readInteger(as: Int64.self) else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        // Floor division: times before 2000 are negative.
        let millisSince2000 = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        millis = millisSince2000 + StoredTime.postgresEpochMillis
    }
}

/// A statement assembled from parts (a list's optional filters): text with `$n` markers and
/// the values they stand for, in order.
struct SQLBuilder {
    var text = ""
    var binds = PostgresBindings()
    private var count = 0

    /// Binds `value` and returns its marker.
    mutating func bind<Value: PostgresEncodable>(_ value: Value) -> String {
        try! binds.append(value)
        count += 1
        return "$\(count)"
    }

    mutating func bindNull() -> String {
        binds.appendNull()
        count += 1
        return "$\(count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

extension PostgresRowSequence {
    /// Every row, decoded into a tuple of the columns' types.
    func all<each Column: PostgresDecodable>(_ columns: (repeat each Column).Type) async throws -> [(repeat each Column)] {
        var result: [(repeat each Column)] = []
        for try await row in self {
            result.append(try row.decode(columns))
        }
        return result
    }
}

extension PostgresRowSequence {
    /// Every row's one column.
    func values<Column: PostgresDecodable>(_ column: Column.Type) async throws -> [Column] {
        var result: [Column] = []
        for try await row in self {
            result.append(try row.decode(Column.self))
        }
        return result
    }
}

extension PostgresConnection {
    /// Runs `query` and returns its rows.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

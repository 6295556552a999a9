import Foundation
import Logging
internal import StewardStore
internal import StewardPostgres

/// Steward's core, opened once per process: the store and every service over it.
///
/// The doors (HTTP, console, command line) hold one of these and call its services with a
/// ``Caller``. They cannot reach the store: it is internal to this module, and the module
/// that implements it (`StewardStore`) is imported `internal`, so no type of it appears in
/// this module's public interface and no door can import it through this one.
public struct Services: Sendable {
    public let config: StewardConfig
    public let context: ServiceContext
    public let auth: AuthService
    public let users: UserService
    public let roles: RoleService
    public let posts: PostService
    public let comments: CommentService
    public let securityEvents: SecurityEventService
    public let operations: OperationsService
    public let exports: ExportService
    public let server: ServerControlService
    /// The per-IP rate limit every instance shares (PostgreSQL); the HTTP door falls back to
    /// its own limiter when it says `.unavailable`.
    public let sharedRateLimit: SharedRateLimit

    /// Opens the database named by `config` (migrating it unless `migrate` is false) and
    /// builds the services.
    ///
    /// - Parameters:
    ///   - commonPasswords: the list of refused passwords; the one compiled into the binary
    ///     (``CommonPasswords/builtIn``) when `nil`. Tests pass a short list of their own.
    ///   - now: the clock (tests fix it).
    public static func open(config: StewardConfig, migrate: Bool = true, commonPasswords: CommonPasswords? = nil,
                            now: @escaping @Sendable () -> Date = { Date() }) throws -> Services {
        do { try PasswordHasher.validate(config.argon2) } catch {
            throw StewardError(.badInput, "STEWARD_ARGON2_*: \(error)")
        }
        let store: any DataStore
        let secret: [UInt8]
        if let url = config.postgres {
            let options = PostgresStore.Options(host: url.host, port: url.port, username: url.username, password: url.password,
                                                database: url.database, schema: url.schema,
                                                tls: PostgresStore.Options.TLSMode(rawValue: url.sslMode) ?? .prefer,
                                                poolSize: config.databasePool)
            let postgres = try PostgresStore(options: options, migrate: migrate)
            store = postgres
            // Outside production with no secret configured, the instances on one database
            // share a generated one kept in the database itself.
            if config.jwtSecret == nil && config.environment != .production {
                secret = try postgres.sharedSecret(candidate: GeneratedSecretFile.randomSecret()) ?? GeneratedSecretFile.randomSecret()
            } else {
                do { secret = try config.resolveJWTSecret() } catch { throw StewardError(.badInput, error.description) }
            }
        } else {
            do { secret = try config.resolveJWTSecret() } catch { throw StewardError(.badInput, error.description) }
            store = try SQLiteStore(path: config.databasePath, migrate: migrate)
        }
        let passwords = try commonPasswords ?? CommonPasswords.builtIn
        return Services(config: config, store: store, secret: secret, commonPasswords: passwords, now: now)
    }

    init(config: StewardConfig, store: any DataStore, secret: [UInt8], commonPasswords: CommonPasswords, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        let audit = AuditLog(store: store, now: now)
        let context = ServiceContext(store: store, hasher: PasswordHasher(parameters: config.argon2), commonPasswords: commonPasswords,
                                     audit: audit, now: now, loginMaxFailures: config.loginMaxFailures,
                                     loginWindowSeconds: config.loginWindowSeconds)
        self.context = context
        auth = AuthService(context: context, secret: secret, accessTTL: config.accessTTL, refreshTTL: config.refreshTTL)
        users = UserService(context: context)
        roles = RoleService(context: context)
        posts = PostService(context: context)
        comments = CommentService(context: context, posts: posts)
        securityEvents = SecurityEventService(context: context)
        operations = OperationsService(context: context, production: config.environment == .production)
        exports = ExportService(context: context, users: users, posts: posts, comments: comments, securityEvents: securityEvents)
        server = ServerControlService(context: context)
        sharedRateLimit = SharedRateLimit(store: store, limit: config.rateLimit)
    }

    /// A read-only SQL prompt over the audit trail and the given log lines.
    public func logQueries(limits: ReadOnlySQLLimits = ReadOnlySQLLimits()) -> LogQueryService {
        LogQueryService(context: context, limits: limits)
    }

    /// Closes the database.
    public func close() throws { try context.store.close() }

    /// True when the database carries every instance's log lines (PostgreSQL).
    public var sharesLogs: Bool { context.store.sharesLogs }

    /// On a database that carries log lines between instances, sends this process's lines
    /// there too, named `host:pid`, so that a console anywhere sees them. Does nothing on
    /// SQLite, where the log folder beside the file serves that purpose.
    public func shareLogs(from pipeline: LogPipeline) {
        guard context.store.sharesLogs else { return }
        let host = ProcessInfo.processInfo.hostName
        pipeline.add(sink: SharedLogSink(store: context.store, instance: "\(host):\(getpid())"))
    }
}

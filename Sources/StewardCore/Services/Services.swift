import Foundation
import Logging

/// Steward's core, opened once per process: the store and every service over it.
///
/// Both doors hold one of these. Nothing here knows about HTTP or the terminal.
public struct Services: Sendable {
    public let config: StewardConfig
    public let context: ServiceContext
    public let auth: AuthService
    public let users: UserService
    public let roles: RoleService
    public let posts: PostService
    public let comments: CommentService

    public var store: Store { context.store }
    public var audit: AuditLog { context.audit }

    /// Opens the database named by `config` (migrating it) and builds the services.
    ///
    /// - parameter dataDirectory: where `common-passwords.txt` and the demo set live;
    ///   found by `DataFiles.locate` when `nil`.
    public static func open(config: StewardConfig, migrate: Bool = true, now: @escaping @Sendable () -> Date = { Date() }) throws -> Services {
        let secret: [UInt8]
        do { secret = try config.resolveJWTSecret() } catch { throw StewardError(.badInput, error.description) }
        do { try PasswordHasher.validate(config.argon2) } catch {
            throw StewardError(.badInput, "STEWARD_ARGON2_*: \(error)")
        }
        let store = try Store(path: config.databasePath, migrate: migrate)
        let passwords = try DataFiles.commonPasswords(near: [config.databasePath])
        return Services(config: config, store: store, secret: secret, commonPasswords: passwords, now: now)
    }

    public init(config: StewardConfig, store: Store, secret: [UInt8], commonPasswords: CommonPasswords, now: @escaping @Sendable () -> Date = { Date() }) {
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
    }
}

/// The files Steward ships in `data/`: the common-password list and the demo set.
public enum DataFiles {
    /// Looks for `data/` beside the working folder, the executable, or the given paths.
    public static func locateDirectory(near extra: [String] = []) -> URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path
        let candidates = [FileManager.default.currentDirectoryPath, executable] + extra
        return CommonPasswords.locate(near: candidates)?.deletingLastPathComponent()
    }

    public static func commonPasswords(near extra: [String] = []) throws -> CommonPasswords {
        guard let folder = locateDirectory(near: extra) else {
            throw StewardError(.internalError, "cannot find data/common-passwords.txt beside the working folder or the steward binary")
        }
        return try CommonPasswords(contentsOf: folder.appendingPathComponent("common-passwords.txt"))
    }
}

import Dispatch
import Foundation
import Logging

/// What every service shares: the store, the clock, the hasher, the audit trail and the
/// rules' settings. One per process; both doors reach the services through it.
public struct ServiceContext: Sendable {
    public var store: Store
    public var hasher: PasswordHasher
    public var commonPasswords: CommonPasswords
    public var audit: AuditLog
    public var now: @Sendable () -> Date
    /// SPEC §4: at most this many posts per author in any 24 hours.
    public var dailyPostLimit: Int
    public var loginMaxFailures: Int
    public var loginWindowSeconds: Int

    public init(store: Store, hasher: PasswordHasher, commonPasswords: CommonPasswords, audit: AuditLog,
                now: @escaping @Sendable () -> Date = { Date() }, dailyPostLimit: Int = 10,
                loginMaxFailures: Int = 5, loginWindowSeconds: Int = 900) {
        self.store = store
        self.hasher = hasher
        self.commonPasswords = commonPasswords
        self.audit = audit
        self.now = now
        self.dailyPostLimit = dailyPostLimit
        self.loginMaxFailures = loginMaxFailures
        self.loginWindowSeconds = loginWindowSeconds
    }

    /// Returns the signed-in principal holding `permission`, or throws: unauthenticated for
    /// an anonymous actor, forbidden (and a `PERMISSION_DENIED` audit record) otherwise.
    @discardableResult
    func require(_ permission: String, _ actor: Actor, target: Int64? = nil) async throws -> Principal {
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        guard principal.permissions.contains(permission) else {
            await denied(permission, actor, target: target)
            throw StewardError.forbidden(permission)
        }
        return principal
    }

    /// Allows an action to the author holding `own` (e.g. `posts:delete:own`) or to anyone
    /// holding `any` (`posts:delete`); otherwise audits and throws forbidden, naming the
    /// permission the actor would have needed.
    func requireOwnOrAny(_ actor: Actor, isAuthor: Bool, own: String, any: String, target: Int64) async throws {
        guard actor.can(any) || (isAuthor && actor.can(own)) else {
            let missing = isAuthor ? own : any
            await denied(missing, actor, target: target)
            throw StewardError.forbidden(missing)
        }
    }

    /// Records a refused action in the audit trail.
    func denied(_ permission: String, _ actor: Actor, target: Int64? = nil) async {
        var details = ["permission": permission]
        if let target { details["target"] = String(target) }
        await audit.record(.permissionDenied, subject: actor.userID, actor: actor, details: details)
    }

    /// Cleans and checks a new account's fields (every failing field at once), hashes the
    /// password and stores the account. Registration and admin creation both come here.
    func insertAccount(email rawEmail: String, password: String, firstName: String, lastName: String, roles: [String]) async throws -> User {
        let email = Email.normalize(rawEmail)
        let first = PlainText.clean(firstName)
        let last = PlainText.clean(lastName)
        var validator = Validator()
        validator.check("email", email, .email)
        validator.check("password", password, .password(commonPasswords))
        validator.check("firstName", first, .personName)
        validator.check("lastName", last, .personName)
        if roles.isEmpty { validator.add("roles", "must name at least one role") }
        try validator.validate()
        let hash = try await hash(password)
        return try await store.insertUser(Store.NewUser(email: email, passwordHash: hash, firstName: first, lastName: last, roles: roles), now: now())
    }

    /// Hashes off the cooperative thread pool: argon2id takes tens of milliseconds of CPU,
    /// which would stall every other task scheduled on that thread.
    public func hash(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await Offload.run {
            do { return try hasher.hash(password) } catch { throw StewardError.internalError("argon2: \(error)") }
        }
    }

    func verify(_ password: String, against phc: String?) async -> Bool {
        let hasher = self.hasher
        return await Offload.run {
            guard let phc else {
                hasher.performDummyVerification(password)
                return false
            }
            return hasher.verify(password, against: phc)
        }
    }
}

/// Runs CPU-heavy work on a Dispatch queue and resumes the caller when it is done.
enum Offload {
    private static let queue = DispatchQueue(label: "steward.offload", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}

extension Actor {
    /// The operator at the command line: a local user with the database file in hand, who
    /// may do anything. Audited with client `cli` and no acting user.
    public static let commandLine = Actor(
        principal: Principal(userID: 0, email: "cli", roles: ["admin"], permissions: Permission.names),
        client: "cli")

    /// The acting user's id for the audit trail (`nil` for the command line).
    var auditID: Int64? {
        guard let id = principal?.userID, id > 0 else { return nil }
        return id
    }
}

/// Checks shared by the list endpoints of both doors.
enum ListLimit {
    static func check(_ limit: Int, into validator: inout Validator) {
        validator.check("limit", limit, .range(1...100))
    }
}

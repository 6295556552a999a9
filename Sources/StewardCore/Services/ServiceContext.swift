import Dispatch
import Foundation
import Logging

/// What every service shares: the store, the clock, the hasher, the audit trail and the
/// rules' settings. One per process.
///
/// The store is internal: only the services in this module call it, so every read and
/// write passes a permission check, validation and the audit trail.
public struct ServiceContext: Sendable {
    var store: any DataStore
    public var hasher: PasswordHasher
    public var commonPasswords: CommonPasswords
    /// Internal: an audit record says what a service did, so only services write one.
    var audit: AuditLog
    public var now: @Sendable () -> Date
    /// docs/security.md: at most this many posts per author in any 24 hours.
    public var dailyPostLimit: Int
    public var loginMaxFailures: Int
    public var loginWindowSeconds: Int
    /// At most this many argon2 computations at once; the rest wait their turn.
    let hashing: HashingGate
    /// Pages of posts, by filters and visibility, while the database has not changed: at
    /// most 512 pages and 32 MiB (each page counted twice: its posts and their JSON).
    let postPages = ReadCache<PostPageKey, Page<Post>>(capacity: 512, budget: 32 << 20) { page in
        page.items.reduce(256) { $0 + 2 * ($1.title.utf8.count + $1.content.utf8.count + 256) }
    }

    init(store: any DataStore, hasher: PasswordHasher, commonPasswords: CommonPasswords, audit: AuditLog,
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
        self.hashing = HashingGate(width: max(1, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Checks who is calling, for this call: a console session is looked up again exactly
    /// as an access token is on every request (session not revoked, account active, same
    /// token version) and must still hold the permissions it signed in with. Returns a
    /// caller holding the current principal; throws `unauthenticated` (audited as
    /// `PERMISSION_DENIED`) when the session has ended. Other callers pass through.
    func resolve(_ caller: Caller) async throws -> Caller {
        guard case .consoleSession(let session) = caller.credential else { return caller }
        // Read, never remembered: a console acts seldom, and a change made by another
        // process (a revocation from `steward user`, another console) must stop it at once.
        let subject = try await store.tokenSubject(userID: session.userID, sessionID: session.sessionID, fromMemory: false)
        let reason: String? = switch subject {
        case nil: "the account no longer exists"
        case let subject? where subject.sessionRevoked: "the session was signed out or revoked"
        case let subject? where !subject.isActive: "the account was deactivated"
        case let subject? where subject.tokenVersion != session.tokenVersion: "the account's password, roles or sessions changed"
        case let subject? where subject.permissions != session.permissions: "the account's permissions changed"
        default: nil
        }
        guard let subject, reason == nil else {
            let because = reason ?? "the session ended"
            await audit.record(.permissionDenied, subject: session.userID, actor: caller,
                               details: ["reason": "console session ended: \(because)"])
            throw StewardError.sessionEnded(because)
        }
        return Caller(Principal(userID: session.userID, email: subject.email, roles: subject.roles,
                                           permissions: subject.permissions, sessionID: session.sessionID), client: caller.client)
    }

    /// Resolves the caller and returns its principal holding `permission`, or throws:
    /// unauthenticated for an anonymous caller, forbidden (and a `PERMISSION_DENIED` audit
    /// record) otherwise.
    @discardableResult
    func require(_ permission: Permission, _ actor: Caller, target: Int64? = nil) async throws -> Principal {
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        guard principal.can(permission) else {
            await denied(permission, actor, target: target)
            throw StewardError.forbidden(permission.name)
        }
        return principal
    }

    /// Allows an action to the author holding `own` (e.g. `posts:delete:own`) or to anyone
    /// holding `any` (`posts:delete`); otherwise audits and throws forbidden, naming the
    /// permission the actor would have needed.
    func requireOwnOrAny(_ actor: Caller, isAuthor: Bool, own: Permission, any: Permission, target: Int64) async throws {
        guard actor.can(any) || (isAuthor && actor.can(own)) else {
            let missing = isAuthor ? own : any
            await denied(missing, actor, target: target)
            throw StewardError.forbidden(missing.name)
        }
    }

    /// The privilege ceiling: nobody acts on an account holding a permission they lack
    /// (`target`), nor grants roles holding one (`granting`). Otherwise an admin whose
    /// role was trimmed could reset the password of, or promote themselves through, a
    /// more powerful account. Refusals are audited and name the first missing permission.
    func requireCeiling(_ actor: Caller, over target: User?, granting roles: [String] = []) async throws {
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        var needed = Set<String>()
        if let target { needed.formUnion(try await store.permissions(roles: target.roles)) }
        if !roles.isEmpty { needed.formUnion(try await store.permissions(roles: roles)) }
        guard let missing = needed.subtracting(principal.permissions).sorted().first else { return }
        var details = ["permission": missing, "rule": "privilege ceiling"]
        if let target { details["target"] = String(target.id) }
        await audit.record(.permissionDenied, subject: target?.id ?? actor.userID, actor: actor, details: details)
        throw StewardError(.forbidden, "You cannot act on or grant the permission \(missing), which your account does not hold.")
    }

    /// Records a refused action in the audit trail.
    func denied(_ permission: Permission, _ actor: Caller, target: Int64? = nil) async {
        var details = ["permission": permission.name]
        if let target { details["target"] = String(target) }
        await audit.record(.permissionDenied, subject: actor.userID, actor: actor, details: details)
    }

    /// Cleans and checks a new account's fields (every failing field at once), hashes the
    /// password and stores the account. Registration and admin creation both come here.
    func insertAccount(email rawEmail: String, password: String, firstName: String, lastName: String, roles: [String],
                       inputErrors: [FieldError] = []) async throws -> User {
        let email = Email.normalize(rawEmail)
        let first = PlainText.clean(firstName)
        let last = PlainText.clean(lastName)
        var validator = Validator(inputErrors: inputErrors)
        validator.limitSubmitted("email", rawEmail, to: Email.maximumLength)
        validator.limitSubmitted("password", password, to: 128)
        validator.limitSubmitted("firstName", firstName, to: 50)
        validator.limitSubmitted("lastName", lastName, to: 50)
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
        try await hashing.enter()
        let outcome: Result<String, StewardError> = await Offload.run {
            do { return .success(try hasher.hash(password)) } catch { return .failure(.internalError("argon2: \(error)")) }
        }
        await hashing.leave()
        return try outcome.get()
    }

    /// Verifies in constant time; with no hash (unknown email) a dummy verification takes
    /// the same time, so the answer's timing says nothing about which emails exist.
    func verify(_ password: String, against phc: String?) async throws -> Bool {
        let hasher = self.hasher
        try await hashing.enter()
        let matches = await Offload.run {
            guard let phc else {
                hasher.performDummyVerification(password)
                return false
            }
            return hasher.verify(password, against: phc)
        }
        await hashing.leave()
        return matches
    }

}

/// Checks shared by the list endpoints of both doors.
enum ListLimit {
    static func check(_ limit: Int, into validator: inout Validator) {
        validator.check("limit", limit, .range(1...100))
    }
}

/// Bounds argon2: at most `width` hashes or verifications run at once (one a core: each
/// takes ~19 MiB and tens of milliseconds of CPU), at most `queueLimit` wait, and a burst
/// beyond that is refused at once with 429 instead of piling up memory and latency.
actor HashingGate {
    let width: Int
    let queueLimit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int, queueLimit: Int = 256) {
        self.width = width
        self.queueLimit = queueLimit
    }

    func enter() async throws {
        if running < width {
            running += 1
            return
        }
        guard waiting.count < queueLimit else {
            throw StewardError.throttled(retryAfter: 1, "The server is busy; try again in a moment.")
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the next waiter, if any.
    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

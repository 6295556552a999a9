import Foundation

/// Accounts: listing, editing, activation, password resets, roles and sessions.
public struct UserService: Sendable {
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    /// Filters of the users list, as every door receives them.
    public typealias ListRequest = Store.UserQuery

    public func list(_ caller: Caller, _ query: ListRequest) async throws -> Page<User> {
        let actor = try await context.resolve(caller)
        try await context.require(.usersRead, actor)
        var validator = Validator()
        ListLimit.check(query.limit, into: &validator)
        try validator.validate()
        return try await context.store.listUsers(query)
    }

    public func get(_ caller: Caller, id: Int64) async throws -> User {
        let actor = try await context.resolve(caller)
        try await context.require(.usersRead, actor, target: id)
        guard let user = try await context.store.user(id: id) else { throw StewardError.notFound("The user") }
        return user
    }

    public func find(_ caller: Caller, email: String) async throws -> User {
        let actor = try await context.resolve(caller)
        try await context.require(.usersRead, actor)
        guard let user = try await context.store.user(email: Email.normalize(email)) else { throw StewardError.notFound("The user") }
        return user
    }

    /// Creates an account (`users:create`); the first admin is made this way too.
    public func create(_ caller: Caller, email rawEmail: String, password: String, firstName: String, lastName: String, roles: [String]) async throws -> User {
        let actor = try await context.resolve(caller)
        try await context.require(.usersCreate, actor)
        try await context.requireCeiling(actor, over: nil, granting: roles)
        let user = try await context.insertAccount(email: rawEmail, password: password, firstName: firstName, lastName: lastName, roles: roles)
        await context.audit.record(.userUpdate, subject: user.id, actor: actor,
                                   details: ["change": "created", "roles": user.roles.joined(separator: ",")])
        return user
    }

    /// Creates the first admin of an empty database. Refused once any account exists,
    /// so it cannot be used to add admins later.
    public func createFirstAdmin(email: String, password: String, firstName: String, lastName: String, client: String) async throws -> User {
        guard try await context.store.userCount() == 0 else {
            throw StewardError.conflict("The database already has accounts; sign in instead.")
        }
        return try await create(Caller(credential: Caller.commandLine.credential, client: client), email: email, password: password,
                                firstName: firstName, lastName: lastName, roles: ["admin"])
    }

    /// Edits names and the active flag (`users:update`). Deactivation ends every session.
    public func update(_ caller: Caller, id: Int64, firstName: String? = nil, lastName: String? = nil, isActive: Bool? = nil, inputErrors: [FieldError] = []) async throws -> User {
        let actor = try await context.resolve(caller)
        try await context.require(.usersUpdate, actor, target: id)
        let first = firstName.map(PlainText.clean)
        let last = lastName.map(PlainText.clean)
        var validator = Validator(inputErrors: inputErrors)
        validator.limitSubmitted("firstName", firstName, to: 50)
        validator.limitSubmitted("lastName", lastName, to: 50)
        validator.check("firstName", first, required: false, .personName)
        validator.check("lastName", last, required: false, .personName)
        try validator.validate()
        // Not a property of the input but of who sends it: a 403, like any refusal.
        if isActive == false && id == actor.principal?.userID {
            throw StewardError(.forbidden, "You cannot deactivate your own account; ask another admin.")
        }
        guard let target = try await context.store.user(id: id) else { throw StewardError.notFound("The user") }
        try await context.requireCeiling(actor, over: target)
        guard let user = try await context.store.updateUser(id: id, Store.UserChanges(firstName: first, lastName: last, isActive: isActive),
                                                            now: context.now()) else {
            throw StewardError.notFound("The user")
        }
        var details: [String: String] = [:]
        if first != nil { details["firstName"] = "changed" }
        if last != nil { details["lastName"] = "changed" }
        if let isActive { details["isActive"] = String(isActive) }
        await context.audit.record(.userUpdate, subject: id, actor: actor, details: details)
        return user
    }

    /// Sets a new password (`users:reset-password`): the given one, or a generated one-time
    /// password that is returned once and never stored in clear. Every session of the user ends.
    public func resetPassword(_ caller: Caller, id: Int64, newPassword: String? = nil) async throws -> String {
        let actor = try await context.resolve(caller)
        try await context.require(.usersResetPassword, actor, target: id)
        let password = newPassword ?? Crypto.generatePassword(length: 20)
        var validator = Validator()
        validator.check("password", password, .password(context.commonPasswords))
        try validator.validate()
        guard let target = try await context.store.user(id: id) else { throw StewardError.notFound("The user") }
        try await context.requireCeiling(actor, over: target)
        let hash = try await context.hash(password)
        try await context.store.setPasswordHash(userID: id, hash: hash, revokeSessions: true, now: context.now())
        // A reset is also how a locked-out user gets back in: the throttle starts afresh.
        try await Throttle.clear(email: target.email, in: context)
        await context.audit.record(.passwordReset, subject: id, actor: actor, details: ["generated": String(newPassword == nil)])
        return password
    }

    /// Replaces the user's roles (`roles:assign`); the user's sessions end. The last active
    /// admin cannot lose the admin role: nobody could manage the system afterwards.
    public func setRoles(_ caller: Caller, id: Int64, roles: [String], inputErrors: [FieldError] = []) async throws -> User {
        let actor = try await context.resolve(caller)
        try await context.require(.rolesAssign, actor, target: id)
        let cleaned = Array(Set(roles.map { PlainText.clean($0).lowercased() })).sorted()
        var validator = Validator(inputErrors: inputErrors)
        if cleaned.isEmpty { validator.add("roles", "must name at least one role") }
        try validator.validate()
        guard let before = try await context.store.user(id: id) else { throw StewardError.notFound("The user") }
        try await context.requireCeiling(actor, over: before, granting: cleaned)
        guard let user = try await context.store.setRoles(userID: id, roles: cleaned, now: context.now()) else {
            throw StewardError.notFound("The user")
        }
        await context.audit.record(.roleChange, subject: id, actor: actor,
                                   details: ["from": before.roles.joined(separator: ","), "to": user.roles.joined(separator: ",")])
        return user
    }

    /// Clears the sign-in throttle of `email` (`users:update`), whether or not an account
    /// has it, and the account's failure count. Returns whether anything was locked or
    /// counted. Recorded as `ACCOUNT_UNLOCKED`.
    @discardableResult
    public func unlock(_ caller: Caller, email rawEmail: String) async throws -> Bool {
        let actor = try await context.resolve(caller)
        try await context.require(.usersUpdate, actor)
        let email = Email.normalize(rawEmail)
        var validator = Validator()
        validator.check("email", email, .email)
        try validator.validate()
        let credentials = try await context.store.credentials(email: email)
        let user = credentials?.user
        let hadState = (credentials?.failedLogins ?? 0) > 0 || credentials?.lockedUntil != nil
        let cleared = try await context.store.clearLoginFailures(keys: ["email:" + email])
        if let user { try await context.store.setLoginState(userID: user.id, failedLogins: 0, lockedUntil: nil) }
        await context.audit.record(.accountUnlocked, subject: user?.id, actor: actor, details: ["email": email])
        return cleared || hadState
    }

    /// Signs the user out everywhere (`users:update`).
    public func revokeSessions(_ caller: Caller, id: Int64) async throws {
        let actor = try await context.resolve(caller)
        try await context.require(.usersUpdate, actor, target: id)
        guard try await context.store.user(id: id) != nil else { throw StewardError.notFound("The user") }
        try await context.store.revokeSessions(userID: id, now: context.now())
        await context.audit.record(.userUpdate, subject: id, actor: actor, details: ["change": "sessions revoked"])
    }

    /// Signs the user out of one session (`users:update`): the refresh family `sessionID`
    /// is revoked and access tokens carrying it are refused from the next request on, while
    /// the user's other sessions go on. The session must be one of the user's open ones, so
    /// an id read off one account cannot end another account's session by mistake.
    /// Recorded as `USER_UPDATE` with the session and its client.
    public func revokeSession(_ caller: Caller, userID: Int64, sessionID: String) async throws {
        let actor = try await context.resolve(caller)
        try await context.require(.usersUpdate, actor, target: userID)
        guard try await context.store.user(id: userID) != nil else { throw StewardError.notFound("The user") }
        let now = context.now()
        guard let session = try await context.store.listSessions(userID: userID, now: now).first(where: { $0.familyID == sessionID }) else {
            throw StewardError.notFound("The open session")
        }
        // No token of the family outlives its session's expiry, so the refusal list can
        // forget it then.
        try await context.store.revokeFamily(sessionID, now: now, sessionExpiresAt: session.expiresAt)
        await context.audit.record(.userUpdate, subject: userID, actor: actor,
                                   details: ["change": "session revoked", "sid": sessionID, "client": session.client])
    }

    /// How the account stands with signing in (`users:read`): when it last signed in, its
    /// open sessions and whether it is locked out. See ``SignInState``.
    public func signInState(_ caller: Caller, id: Int64) async throws -> SignInState {
        let actor = try await context.resolve(caller)
        try await context.require(.usersRead, actor, target: id)
        guard let credentials = try await context.store.credentials(id: id) else { throw StewardError.notFound("The user") }
        let now = context.now()
        let throttle = try await context.store.throttleState(key: "email:" + credentials.user.email)
        let lock = [credentials.lockedUntil, throttle?.lockedUntil].compactMap { $0 }.filter { $0 > now }.max()
        return SignInState(lastSignIn: try await context.store.lastSignIn(userID: id),
                           sessions: try await context.store.listSessions(userID: id, now: now),
                           failedLogins: max(credentials.failedLogins, throttle?.failures ?? 0),
                           lockedUntil: lock)
    }

    /// The user's recent security events (`logs:read`).
    public func recentEvents(_ caller: Caller, id: Int64, limit: Int = 20) async throws -> [SecurityEvent] {
        let actor = try await context.resolve(caller)
        return try await SecurityEventService(context: context).list(actor, SecurityEventService.ListRequest(userID: id, limit: limit)).items
    }
}

/// An account's standing with signing in, as an admin needs it to answer "is she locked
/// out, and where is she signed in?".
public struct SignInState: Sendable, Equatable {
    /// The newest sign-in (session or `SUCCESSFUL_LOGIN`); nil if it never signed in.
    public var lastSignIn: Date?
    /// Sessions open now, newest first.
    public var sessions: [Store.ActiveSession]
    /// Failed attempts counted against the account or its email throttle, whichever is more.
    public var failedLogins: Int
    /// When the lock ends, if sign-in is locked now: the later of the account's own lock
    /// and the email throttle's, since either one refuses the password.
    public var lockedUntil: Date?

    public init(lastSignIn: Date?, sessions: [Store.ActiveSession], failedLogins: Int, lockedUntil: Date?) {
        self.lastSignIn = lastSignIn
        self.sessions = sessions
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
    }

    public var isLocked: Bool { lockedUntil != nil }
}

import Foundation

/// Registration, sign-in, token refresh and sign-out, password changes, and the check of
/// every access token (docs/security.md).
public struct AuthService: Sendable {
    let context: ServiceContext
    let signer: JWTSigner
    let secret: [UInt8]
    public let accessTTL: Int
    public let refreshTTL: Int

    public init(context: ServiceContext, secret: [UInt8], accessTTL: Int, refreshTTL: Int) {
        self.context = context
        self.signer = JWTSigner(secret: secret, rememberingTokens: 4_096)
        self.secret = secret
        self.accessTTL = accessTTL
        self.refreshTTL = refreshTTL
    }

    /// A signed-in session: the answer to a login or a refresh.
    public struct Session: Sendable {
        public var accessToken: String
        public var expiresIn: Int
        public var refreshToken: String
        public var user: User
        /// The refresh family (`sid`), which the CSRF token is bound to.
        public var sessionID: String
    }

    // MARK: Register

    /// Registration has its own budget per client (ten times the sign-in limit per window,
    /// every attempt counted): an address cannot mint accounts, or burn argon2, at will.
    public func register(email rawEmail: String, password: String, firstName: String, lastName: String, caller: Caller,
                         inputErrors: [FieldError] = []) async throws -> User {
        let actor = try await context.resolve(caller)
        let now = context.now()
        let budget = Store.AttemptLimit(key: "register:" + actor.client, maximum: context.loginMaxFailures * 10)
        if case .locked(_, let until) = try await context.store.reserveLoginAttempt([budget], windowSeconds: context.loginWindowSeconds, now: now) {
            throw StewardError.throttled(retryAfter: Int(until.timeIntervalSince(now).rounded(.up)), "Too many registrations from this address; try again later.")
        }
        let user = try await context.insertAccount(email: rawEmail, password: password, firstName: firstName, lastName: lastName, roles: ["user"],
                                                   inputErrors: inputErrors)
        await context.audit.record(.userUpdate, subject: user.id, actor: actor, details: ["change": "registered"])
        return user
    }

    // MARK: Login

    /// Signs in with the same time and the same answer for an unknown email, a wrong
    /// password and an inactive account; throttles per submitted email and per client.
    public func login(email rawEmail: String, password: String, caller: Caller, inputErrors: [FieldError] = []) async throws -> Session {
        let actor = try await context.resolve(caller)
        let now = context.now()
        let credentials = try await checkPassword(email: rawEmail, password: password, actor: actor, now: now, inputErrors: inputErrors)
        let session = try await startSession(for: credentials, client: actor.client, now: now)
        await context.audit.record(.successfulLogin, subject: credentials.user.id, actor: actor, details: ["sid": session.sessionID])
        return session
    }

    /// The checks of a sign-in, shared by both doors: input, throttling, the password (in
    /// constant time whatever the outcome), the active flag; failures are counted and
    /// audited. Returns the account, its failure count cleared and its hash renewed if
    /// the hashing cost changed.
    ///
    /// The attempt is reserved against the email and the client *before* the password is
    /// verified (``Throttle``), so parallel guesses cannot outrun the limit.
    private func checkPassword(email rawEmail: String, password: String, actor: Caller, now: Date,
                               inputErrors: [FieldError] = []) async throws -> UserCredentials {
        let email = Email.normalize(rawEmail)
        var validator = Validator(inputErrors: inputErrors)
        validator.check("email", email, .length(1...Email.maximumLength))
        validator.check("password", password, .length(1...1024))
        try validator.validate()

        let throttle = Throttle(context: context, email: email, client: actor.client)
        let reservation = try await throttle.reserve(actor: actor, now: now)
        let credentials = try await context.store.credentials(email: email)
        let passwordMatches: Bool
        do {
            passwordMatches = try await context.verify(password, against: credentials?.passwordHash)
        } catch {
            // Busy (429) before the password was even looked at: the attempt is given back.
            try? await throttle.released()
            throw error
        }
        guard let credentials, passwordMatches, credentials.user.isActive else {
            try await throttle.failed(reservation, userID: credentials?.user.id, actor: actor)
            throw StewardError(.unauthenticated, "The email or password is not correct.")
        }
        try await throttle.succeeded()
        if credentials.failedLogins > 0 || credentials.lockedUntil != nil {
            try await context.store.setLoginState(userID: credentials.user.id, failedLogins: 0, lockedUntil: nil)
        }
        if context.hasher.needsRehash(credentials.passwordHash) {
            let rehashed = try await context.hash(password)
            try await context.store.setPasswordHash(userID: credentials.user.id, hash: rehashed, revokeSessions: false, now: now)
        }
        return credentials
    }

    private func startSession(for credentials: UserCredentials, client: String, now: Date) async throws -> Session {
        let family = Crypto.randomToken(byteCount: 16)
        let refresh = Crypto.randomToken(byteCount: 32)
        try await context.store.insertSession(familyID: family, userID: credentials.user.id, client: client,
                                              expiresAt: now.addingTimeInterval(Double(refreshTTL)), now: now)
        try await context.store.insertRefreshToken(userID: credentials.user.id, familyID: family, tokenHash: Crypto.sha256Hex(refresh),
                                                   expiresAt: now.addingTimeInterval(Double(refreshTTL)), now: now)
        return Session(accessToken: accessToken(for: credentials, sessionID: family, now: now), expiresIn: accessTTL,
                       refreshToken: refresh, user: credentials.user, sessionID: family)
    }

    private func accessToken(for credentials: UserCredentials, sessionID: String, now: Date) -> String {
        let issued = Int(now.timeIntervalSince1970)
        return signer.sign(AccessClaims(sub: String(credentials.user.id), roles: credentials.user.roles, sid: sessionID,
                                        tv: credentials.tokenVersion, iat: issued, exp: issued + accessTTL))
    }

    // MARK: Refresh

    /// Rotates the refresh token. A token that was already rotated revokes its whole
    /// family and records `TOKEN_REUSE`: one of its holders is not the user.
    public func refresh(refreshToken: String, caller: Caller) async throws -> Session {
        let actor = try await context.resolve(caller)
        guard !refreshToken.isEmpty, refreshToken.utf8.count <= 256 else { throw StewardError.unauthenticated }
        let now = context.now()
        let replacement = Crypto.randomToken(byteCount: 32)
        let outcome = try await context.store.rotateRefreshToken(
            presentedHash: Crypto.sha256Hex(refreshToken), newHash: Crypto.sha256Hex(replacement),
            expiresAt: now.addingTimeInterval(Double(refreshTTL)), now: now)
        switch outcome {
        case .invalid:
            throw StewardError.unauthenticated
        case .reused(let userID, let family):
            try await context.store.revokeFamily(family, now: now, sessionExpiresAt: now.addingTimeInterval(Double(accessTTL + 60)))
            await context.audit.record(.tokenReuse, subject: userID, actor: actor, details: ["sid": family])
            throw StewardError(.unauthenticated, "This refresh token was already used; the session is now closed.")
        case .rotated(let userID, let family):
            guard let credentials = try await context.store.credentials(id: userID), credentials.user.isActive else {
                throw StewardError.unauthenticated
            }
            return Session(accessToken: accessToken(for: credentials, sessionID: family, now: now), expiresIn: accessTTL,
                           refreshToken: replacement, user: credentials.user, sessionID: family)
        }
    }

    /// The refresh family of a current refresh token, for binding a cookie refresh to its CSRF token.
    public func sessionID(ofRefreshToken token: String) async throws -> String? {
        try await context.store.refreshTokenFamily(tokenHash: Crypto.sha256Hex(token))
    }

    // MARK: Logout

    /// Ends the session named by the token's `sid`: its refresh family is revoked and its
    /// access tokens are refused from now on.
    public func logout(_ caller: Caller) async throws {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal, let sid = principal.sessionID else { throw StewardError.unauthenticated }
        let now = context.now()
        try await context.store.revokeFamily(sid, now: now, sessionExpiresAt: now.addingTimeInterval(Double(accessTTL + 60)))
        await context.audit.record(.logout, subject: principal.userID, actor: actor, details: ["sid": sid])
    }

    /// Ends the session a current refresh token belongs to: for a client whose access
    /// token has expired. An unknown or spent refresh token is `unauthenticated`.
    public func logout(refreshToken: String, caller: Caller) async throws {
        let actor = try await context.resolve(caller)
        guard !refreshToken.isEmpty, refreshToken.utf8.count <= 256,
              let family = try await context.store.refreshTokenFamily(tokenHash: Crypto.sha256Hex(refreshToken)) else {
            throw StewardError.unauthenticated
        }
        let now = context.now()
        try await context.store.revokeFamily(family, now: now, sessionExpiresAt: now.addingTimeInterval(Double(accessTTL + 60)))
        await context.audit.record(.logout, subject: nil, actor: actor, details: ["sid": family, "by": "refresh token"])
    }

    // MARK: Access tokens

    /// Checks an access token and returns who holds it: a valid HS256 signature, issuer,
    /// time window, a token version equal to the account's, an active account and a
    /// session that was not signed out. Every failure is the same 401.
    public func authenticate(accessToken: String) async throws -> Principal {
        let claims: AccessClaims
        do {
            claims = try signer.verify(accessToken, now: Int(context.now().timeIntervalSince1970))
        } catch {
            throw StewardError.unauthenticated
        }
        guard let userID = Int64(claims.sub),
              let subject = try await context.store.tokenSubject(userID: userID, sessionID: claims.sid, fromMemory: true),
              subject.isActive, subject.tokenVersion == claims.tv, !subject.sessionRevoked else {
            throw StewardError.unauthenticated
        }
        return Principal(userID: userID, email: subject.email, roles: subject.roles, permissions: subject.permissions, sessionID: claims.sid)
    }

    // MARK: Console sessions

    /// Signs in at the console: the same checks, throttling and audit as `login`. Instead
    /// of tokens it opens a session (client `console`, revocable like any other) that
    /// every later service call re-checks (see ``ServiceContext/resolve(_:)``).
    public func consoleSignIn(email: String, password: String) async throws -> ConsoleSession {
        let actor = Caller.anonymous(client: "console")
        let now = context.now()
        let credentials = try await checkPassword(email: email, password: password, actor: actor, now: now)
        let family = Crypto.randomToken(byteCount: 16)
        try await context.store.insertSession(familyID: family, userID: credentials.user.id, client: actor.client,
                                              expiresAt: now.addingTimeInterval(Double(refreshTTL)), now: now)
        guard let subject = try await context.store.tokenSubject(userID: credentials.user.id, sessionID: family, fromMemory: false) else {
            throw StewardError.unauthenticated
        }
        let principal = Principal(userID: credentials.user.id, email: subject.email, roles: subject.roles,
                                  permissions: subject.permissions, sessionID: family)
        await context.audit.record(.successfulLogin, subject: credentials.user.id, actor: actor, details: ["sid": family])
        return ConsoleSession(userID: credentials.user.id, sessionID: family, tokenVersion: subject.tokenVersion,
                              permissions: subject.permissions, principalAtSignIn: principal)
    }

    /// Ends a console session (quitting, or signing out): audited as `LOGOUT`.
    public func consoleSignOut(_ session: ConsoleSession) async throws {
        let now = context.now()
        try await context.store.revokeFamily(session.sessionID, now: now, sessionExpiresAt: now.addingTimeInterval(Double(refreshTTL)))
        await context.audit.record(.logout, subject: session.userID, actor: .console(session), details: ["sid": session.sessionID])
    }

    // MARK: CSRF

    /// A CSRF token bound to a session: `random.HMAC(secret, sid|random)`. It cannot be
    /// forged without the server secret nor moved to another session.
    public func csrfToken(sessionID: String) -> String {
        let nonce = Crypto.randomToken(byteCount: 16)
        let mac = Crypto.hmacSHA256(key: secret, message: Array("csrf|\(sessionID)|\(nonce)".utf8))
        return nonce + "." + Crypto.base64URLEncode(mac)
    }

    public func verifyCSRF(token: String, sessionID: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let presented = Crypto.base64URLDecode(parts[1]) else { return false }
        let expected = Crypto.hmacSHA256(key: secret, message: Array("csrf|\(sessionID)|\(parts[0])".utf8))
        return Crypto.constantTimeEquals(presented, expected)
    }

    // MARK: Me and password

    /// The signed-in user with roles and effective permissions.
    public func me(_ caller: Caller) async throws -> (user: User, permissions: [String]) {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        guard let user = try await context.store.user(id: principal.userID) else { throw StewardError.unauthenticated }
        return (user, principal.permissions.sorted())
    }

    /// Changes the actor's own password; every existing sign-in of the account ends.
    public func changePassword(_ caller: Caller, currentPassword: String, newPassword: String, inputErrors: [FieldError] = []) async throws {
        let actor = try await context.resolve(caller)
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        var validator = Validator(inputErrors: inputErrors)
        validator.check("currentPassword", currentPassword, .length(1...1024))
        validator.check("newPassword", newPassword, .password(context.commonPasswords))
        if currentPassword == newPassword { validator.add("newPassword", "must differ from the current password") }
        try validator.validate()
        guard let credentials = try await context.store.credentials(id: principal.userID) else { throw StewardError.unauthenticated }
        // A stolen access token must not become an oracle for the password: failed checks
        // of the current password count under the sign-in throttle of the account's email.
        let throttle = Throttle(context: context, email: credentials.user.email, client: actor.client)
        let reservation = try await throttle.reserve(actor: actor, now: context.now())
        guard try await context.verify(currentPassword, against: credentials.passwordHash) else {
            try await throttle.failed(reservation, userID: principal.userID, actor: actor)
            throw StewardError.badInput(field: "currentPassword", "is not correct")
        }
        try await throttle.succeeded()
        let hash = try await context.hash(newPassword)
        try await context.store.setPasswordHash(userID: principal.userID, hash: hash, revokeSessions: true, now: context.now())
        await context.audit.record(.passwordChange, subject: principal.userID, actor: actor)
    }
}

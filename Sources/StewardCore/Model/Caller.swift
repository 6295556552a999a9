/// Who is calling a service, and from where.
///
/// Every door builds one for every call into a service: the HTTP door from the access token
/// that ``AuthService/authenticate(accessToken:)`` verified and the client IP, the console
/// from its ``ConsoleSession``, the command line as ``commandLine``. A door cannot make up
/// a signed-in caller: ``Principal`` has no public initializer, so the only principals are
/// the ones the auth service hands out.
///
/// Services resolve the caller first thing (``ServiceContext/resolve(_:)``): a console
/// session is checked then, on every call, exactly as an access token is checked on every
/// request. An unresolved console caller holds no permission at all, so a service path that
/// forgot to resolve fails closed.
public struct Caller: Sendable {
    /// The client: an IP address, `console`, or `cli` for the command line.
    public let client: String
    let credential: Credential

    enum Credential: Sendable {
        case anonymous
        /// A verified principal: from an access token, or a resolved console session.
        case principal(Principal)
        /// A console sign-in, not yet checked for this call.
        case consoleSession(ConsoleSession)
    }

    init(credential: Credential, client: String) {
        self.credential = credential
        self.client = client
    }

    /// A caller without credentials (anyone may read published posts, register, sign in).
    public static func anonymous(client: String) -> Caller { Caller(credential: .anonymous, client: client) }

    /// The holder of a verified access token.
    public init(_ principal: Principal, client: String) {
        self.init(credential: .principal(principal), client: client)
    }

    /// The account signed in at this console. Each service call re-checks the session.
    public static func console(_ session: ConsoleSession) -> Caller {
        Caller(credential: .consoleSession(session), client: "console")
    }

    /// The operator at the command line: a local user with the database file in hand, who
    /// may do anything. Audited with client `cli` and no acting user.
    public static let commandLine = Caller(
        credential: .principal(Principal(userID: 0, email: "cli", roles: ["admin"], permissions: Permission.names)),
        client: "cli")

    /// The verified principal; `nil` for an anonymous caller and for a console session that
    /// has not been resolved for this call.
    public var principal: Principal? {
        if case .principal(let principal) = credential { return principal }
        return nil
    }

    /// The account acting, verified or not (for the audit trail of a refusal).
    public var userID: Int64? {
        switch credential {
        case .anonymous: nil
        case .principal(let principal): principal.userID
        case .consoleSession(let session): session.userID
        }
    }

    /// True when the verified principal holds `permission`.
    public func can(_ permission: Permission) -> Bool {
        principal?.permissions.contains(permission.name) ?? false
    }

    /// The acting user's id for the audit trail (`nil` for the command line).
    var auditID: Int64? {
        guard let id = userID, id > 0 else { return nil }
        return id
    }
}

/// A signed-in account as the services see it: identity, roles and effective permissions.
///
/// Only the auth service makes these, after checking a token or a console session.
public struct Principal: Sendable, Equatable {
    public let userID: Int64
    public let email: String
    public let roles: [String]
    /// Permission names (`posts:publish`); ask with ``can(_:)``.
    public let permissions: Set<String>
    /// The session (refresh family, `sid`) this sign-in belongs to.
    public let sessionID: String?

    init(userID: Int64, email: String, roles: [String], permissions: Set<String>, sessionID: String? = nil) {
        self.userID = userID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.sessionID = sessionID
    }

    public func can(_ permission: Permission) -> Bool { permissions.contains(permission.name) }
}

/// A console sign-in: the session it created and what the account was at that moment.
///
/// The console holds this, not a principal. Every service call resolves it again against
/// the database (``ServiceContext/resolve(_:)``): the session must not be revoked, the
/// account must be active with the same token version, and its permissions must be the
/// ones it signed in with (the console shows only what they allow). Any change ends the
/// console's session, and the console goes back to its sign-in screen.
public struct ConsoleSession: Sendable, Equatable {
    public let userID: Int64
    let sessionID: String
    let tokenVersion: Int
    let permissions: Set<String>
    /// The principal as it was at sign-in: for what the console shows (name, roles, which
    /// keys to offer). Never used to authorize anything.
    public let principalAtSignIn: Principal
}

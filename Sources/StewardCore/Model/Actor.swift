/// Who is acting, and from where.
///
/// Both doors build one for every call into a service: the HTTP door from the verified
/// access token and the client IP, the console from the signed-in account and `console`.
/// Services check permissions against `principal` and write `client` into the audit trail.
public struct Actor: Sendable {
    /// The signed-in account, or `nil` for an anonymous caller.
    public var principal: Principal?
    /// The client: an IP address, or `console`, or `cli` for the command line.
    public var client: String

    public init(principal: Principal?, client: String) {
        self.principal = principal
        self.client = client
    }

    public static func anonymous(client: String) -> Actor { Actor(principal: nil, client: client) }

    public var userID: Int64? { principal?.userID }

    /// True when the signed-in account holds `permission`.
    public func can(_ permission: String) -> Bool {
        principal?.permissions.contains(permission) ?? false
    }
}

/// A signed-in account as the services see it: identity, roles and effective permissions.
public struct Principal: Sendable, Equatable {
    public var userID: Int64
    public var email: String
    public var roles: [String]
    public var permissions: Set<String>
    /// The refresh-token family this sign-in belongs to (`sid`), when it came from a token.
    public var sessionID: String?

    public init(userID: Int64, email: String, roles: [String], permissions: Set<String>, sessionID: String? = nil) {
        self.userID = userID
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.sessionID = sessionID
    }
}

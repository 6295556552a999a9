/// A permission: a `resource:action` string with a line saying what it allows.
public struct Permission: Sendable, Hashable {
    public var name: String
    public var description: String

    /// Every permission of SPEC §3, in a stable order for the console's matrix.
    public static let all: [Permission] = [
        Permission(name: "posts:create", description: "write posts"),
        Permission(name: "posts:update:own", description: "edit one's own posts"),
        Permission(name: "posts:delete:own", description: "delete one's own posts"),
        Permission(name: "posts:read:any", description: "read posts in every status"),
        Permission(name: "posts:publish", description: "publish posts"),
        Permission(name: "posts:archive", description: "archive posts"),
        Permission(name: "posts:delete", description: "delete any post"),
        Permission(name: "posts:update", description: "edit any post"),
        Permission(name: "comments:create", description: "write comments"),
        Permission(name: "comments:delete:own", description: "delete one's own comments"),
        Permission(name: "comments:hide", description: "hide comments"),
        Permission(name: "comments:delete", description: "delete any comment"),
        Permission(name: "users:read", description: "list and view users"),
        Permission(name: "users:create", description: "create users"),
        Permission(name: "users:update", description: "edit and deactivate users"),
        Permission(name: "users:reset-password", description: "reset passwords"),
        Permission(name: "roles:read", description: "view roles"),
        Permission(name: "roles:update", description: "edit role permissions"),
        Permission(name: "roles:assign", description: "assign roles to users"),
        Permission(name: "logs:read", description: "read logs and the audit trail"),
        Permission(name: "server:control", description: "start and stop the HTTP listener"),
    ]

    public static let names: Set<String> = Set(all.map(\.name))
}

/// The roles every new database starts with (SPEC §3). Admins may edit them afterwards.
public enum BuiltinRoles {
    public struct Definition: Sendable {
        public var name: String
        public var description: String
        public var permissions: [String]
    }

    static let userPermissions = ["posts:create", "posts:update:own", "posts:delete:own", "comments:create", "comments:delete:own"]
    static let moderatorPermissions = userPermissions + ["posts:read:any", "posts:publish", "posts:archive", "posts:delete", "comments:hide", "comments:delete", "users:read"]
    static let adminPermissions = moderatorPermissions + ["posts:update", "users:create", "users:update", "users:reset-password", "roles:read", "roles:update", "roles:assign", "logs:read", "server:control"]

    public static let all: [Definition] = [
        Definition(name: "user", description: "writes posts and comments", permissions: userPermissions),
        Definition(name: "moderator", description: "publishes, archives and hides content", permissions: moderatorPermissions),
        Definition(name: "admin", description: "manages users, roles and the server", permissions: adminPermissions),
    ]
}

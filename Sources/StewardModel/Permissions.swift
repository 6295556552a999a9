/// A permission: a `resource:action` name with a line saying what it allows.
///
/// Code names a permission by its constant (`.postsPublish`), never by a string, so a typo
/// does not compile. The names are what the database, the API and the audit trail store.
public struct Permission: Sendable, Hashable {
    public let name: String
    public let description: String

    private init(_ name: String, _ description: String) {
        self.name = name
        self.description = description
    }

    public static let postsCreate = Permission("posts:create", "write posts")
    public static let postsUpdateOwn = Permission("posts:update:own", "edit one's own posts")
    public static let postsDeleteOwn = Permission("posts:delete:own", "delete one's own posts")
    public static let postsReadAny = Permission("posts:read:any", "read posts in every status")
    public static let postsPublish = Permission("posts:publish", "publish posts")
    public static let postsArchive = Permission("posts:archive", "archive posts")
    public static let postsDelete = Permission("posts:delete", "delete any post")
    public static let postsUpdate = Permission("posts:update", "edit any post")
    public static let commentsCreate = Permission("comments:create", "write comments")
    public static let commentsDeleteOwn = Permission("comments:delete:own", "delete one's own comments")
    public static let commentsHide = Permission("comments:hide", "hide comments")
    public static let commentsDelete = Permission("comments:delete", "delete any comment")
    public static let usersRead = Permission("users:read", "list and view users")
    public static let usersCreate = Permission("users:create", "create users")
    public static let usersUpdate = Permission("users:update", "edit and deactivate users")
    public static let usersResetPassword = Permission("users:reset-password", "reset passwords")
    public static let rolesRead = Permission("roles:read", "view roles")
    public static let rolesUpdate = Permission("roles:update", "edit role permissions")
    public static let rolesAssign = Permission("roles:assign", "assign roles to users")
    public static let logsRead = Permission("logs:read", "read logs and the audit trail")
    public static let serverControl = Permission("server:control", "start and stop the HTTP listener")

    /// Every permission, in a stable order for the console's matrix.
    public static let all: [Permission] = [
        .postsCreate, .postsUpdateOwn, .postsDeleteOwn, .postsReadAny, .postsPublish, .postsArchive, .postsDelete, .postsUpdate,
        .commentsCreate, .commentsDeleteOwn, .commentsHide, .commentsDelete,
        .usersRead, .usersCreate, .usersUpdate, .usersResetPassword,
        .rolesRead, .rolesUpdate, .rolesAssign, .logsRead, .serverControl,
    ]

    public static let names: Set<String> = Set(all.map(\.name))

    /// The permission called `name`, if there is one.
    public static func named(_ name: String) -> Permission? { all.first { $0.name == name } }
}

/// The roles every new database starts with. Admins may edit them afterwards.
public enum BuiltinRoles {
    public struct Definition: Sendable {
        public let name: String
        public let description: String
        public let permissions: [Permission]
    }

    public static let userPermissions: [Permission] = [.postsCreate, .postsUpdateOwn, .postsDeleteOwn, .commentsCreate, .commentsDeleteOwn]
    public static let moderatorPermissions: [Permission] = userPermissions + [
        .postsReadAny, .postsPublish, .postsArchive, .postsDelete, .commentsHide, .commentsDelete, .usersRead,
    ]
    public static let adminPermissions: [Permission] = moderatorPermissions + [
        .postsUpdate, .usersCreate, .usersUpdate, .usersResetPassword, .rolesRead, .rolesUpdate, .rolesAssign, .logsRead, .serverControl,
    ]

    public static let all: [Definition] = [
        Definition(name: "user", description: "writes posts and comments", permissions: userPermissions),
        Definition(name: "moderator", description: "publishes, archives and hides content", permissions: moderatorPermissions),
        Definition(name: "admin", description: "manages users, roles and the server", permissions: adminPermissions),
    ]
}

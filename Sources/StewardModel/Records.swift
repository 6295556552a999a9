import Foundation
import Synchronization

/// An account as both doors show it. Never carries the password hash.
public struct User: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var email: String
    public var firstName: String
    public var lastName: String
    public var isActive: Bool
    public var roles: [String]
    public var createdAt: Date

    public init(id: Int64, email: String, firstName: String, lastName: String, isActive: Bool, roles: [String], createdAt: Date) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.isActive = isActive
        self.roles = roles
        self.createdAt = createdAt
    }

    public var displayName: String { "\(firstName) \(lastName)" }
}

/// The stored account row, for the services only: it holds the hash and the sign-in state.
public struct UserCredentials: Sendable, Equatable {
    public var user: User
    public var passwordHash: String
    public var tokenVersion: Int
    public var failedLogins: Int
    public var lockedUntil: Date?

    public init(user: User, passwordHash: String, tokenVersion: Int, failedLogins: Int, lockedUntil: Date?) {
        self.user = user
        self.passwordHash = passwordHash
        self.tokenVersion = tokenVersion
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
    }
}

public enum PostStatus: String, Sendable, Codable, CaseIterable {
    case draft, published, archived
}

public enum CommentStatus: String, Sendable, Codable, CaseIterable {
    case visible, hidden
}

/// Who wrote something, as lists show it.
public struct AuthorSummary: Sendable, Equatable, Codable {
    public var id: Int64
    public var firstName: String
    public var lastName: String
    public var name: String { "\(firstName) \(lastName)" }

    public init(id: Int64, firstName: String, lastName: String) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
    }
}

public struct Post: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var author: AuthorSummary
    public var title: String
    /// Sanitized HTML.
    public var content: String
    public var status: PostStatus
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, author: AuthorSummary, title: String, content: String, status: PostStatus, tags: [String], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.author = author
        self.title = title
        self.content = content
        self.status = status
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct Comment: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var postID: Int64
    public var author: AuthorSummary
    public var parentID: Int64?
    /// Sanitized HTML.
    public var content: String
    public var status: CommentStatus
    public var createdAt: Date

    public init(id: Int64, postID: Int64, author: AuthorSummary, parentID: Int64?, content: String, status: CommentStatus, createdAt: Date) {
        self.id = id
        self.postID = postID
        self.author = author
        self.parentID = parentID
        self.content = content
        self.status = status
        self.createdAt = createdAt
    }
}

public struct Role: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var permissions: [String]

    public init(name: String, description: String, permissions: [String]) {
        self.name = name
        self.description = description
        self.permissions = permissions
    }
}

/// Names of the audit trail's events (see docs/security.md).
public enum SecurityEventKind: String, Sendable, Codable, CaseIterable {
    case successfulLogin = "SUCCESSFUL_LOGIN"
    case failedLogin = "FAILED_LOGIN"
    case accountLocked = "ACCOUNT_LOCKED"
    case logout = "LOGOUT"
    case passwordChange = "PASSWORD_CHANGE"
    case passwordReset = "PASSWORD_RESET"
    case roleChange = "ROLE_CHANGE"
    case userUpdate = "USER_UPDATE"
    case permissionDenied = "PERMISSION_DENIED"
    case tokenReuse = "TOKEN_REUSE"
    case contentModerated = "CONTENT_MODERATED"
    case suspiciousActivity = "SUSPICIOUS_ACTIVITY"
    case accountUnlocked = "ACCOUNT_UNLOCKED"
    case backup = "BACKUP"
    case export = "EXPORT"
    case listenerStarted = "LISTENER_STARTED"
    case listenerStopped = "LISTENER_STOPPED"
}

public struct SecurityEvent: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var createdAt: Date
    public var event: SecurityEventKind
    /// The user the event is about.
    public var userID: Int64?
    /// The user who acted.
    public var actorID: Int64?
    /// An IP address or `console`.
    public var client: String
    /// Details as a flat string map (never a password or a token).
    public var details: [String: String]

    public init(id: Int64, createdAt: Date, event: SecurityEventKind, userID: Int64?, actorID: Int64?, client: String, details: [String: String]) {
        self.id = id
        self.createdAt = createdAt
        self.event = event
        self.userID = userID
        self.actorID = actorID
        self.client = client
        self.details = details
    }
}

/// One page of a keyset-paginated list. `nextCursor` is `nil` on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item] { didSet { rendering = nil } }
    public var nextCursor: String? { didSet { rendering = nil } }
    /// Set on a page the core keeps and hands to many callers (``Rendering``); any change to
    /// the page drops it, so it always describes these items.
    public var rendering: Rendering?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Equal pages hold equal items and cursors, whether or not one carries a ``Rendering``.
extension Page: Equatable where Item: Equatable {
    public static func == (lhs: Page, rhs: Page) -> Bool {
        lhs.items == rhs.items && lhs.nextCursor == rhs.nextCursor
    }
}

/// What a door makes of a value the core hands out many times, made once and shared.
///
/// A cached page of posts is answered to every client that asks for it until the database
/// changes; the HTTP door would otherwise write the same 10 KB of JSON for each. The core
/// does not know what the door makes (JSON, here); it keeps the slot beside the value:
///
/// ```swift
/// let bytes: ByteBuffer = page.rendering?.value { encode(page) } ?? encode(page)
/// ```
public final class Rendering: Sendable {
    private let slot = Mutex<(any Sendable)?>(nil)

    public init() {}

    /// What `make` returned the first time it was asked for a value of this type.
    /// Concurrent first callers may each run `make`; one result is kept.
    public func value<Made: Sendable>(_ make: () -> Made) -> Made {
        if let made = slot.withLock({ $0 }) as? Made { return made }
        let made = make()
        slot.withLock { $0 = made }
        return made
    }
}

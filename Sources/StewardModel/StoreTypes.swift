import Foundation

// MARK: - Comments
extension Store {
    public struct CommentQuery: Sendable {
        /// Comments of one post, in thread order (oldest first); `nil` for every post, newest first.
        public var postID: Int64?
        public var includeHidden: Bool
        public var status: CommentStatus?
        public var text: String?
        /// Only the comments written by this account (a user's comments, across posts).
        public var authorID: Int64?
        public var limit: Int
        public var cursor: String?
        /// The opposite of the usual order (newest first within a post, oldest first
        /// across posts): the console's upward paging and reverse sort.
        public var reversed: Bool
        public init(postID: Int64?, includeHidden: Bool, status: CommentStatus? = nil, text: String? = nil, authorID: Int64? = nil,
                    limit: Int = 20, cursor: String? = nil, reversed: Bool = false) {
            self.reversed = reversed
            self.authorID = authorID
            self.postID = postID
            self.includeHidden = includeHidden
            self.status = status
            self.text = text
            self.limit = limit
            self.cursor = cursor
        }
    }
    public struct NewComment: Sendable {
        public var postID: Int64
        public var authorID: Int64
        public var parentID: Int64?
        public var content: String
        public var visibleText: String
        public init(postID: Int64, authorID: Int64, parentID: Int64?, content: String, visibleText: String) {
            self.postID = postID
            self.authorID = authorID
            self.parentID = parentID
            self.content = content
            self.visibleText = visibleText
        }
    }
}

// MARK: - Posts
extension Store {
    /// Which posts a reader may see in a list.
    public enum PostVisibility: Sendable, Hashable {
        /// Every status (`posts:read:any`).
        case any
        /// Published posts, plus every post of this author.
        case publishedOrOwn(authorID: Int64)
        /// Published posts only (anonymous readers).
        case published
    }
    /// Filters of a posts list, as the doors receive them (`PostService.ListRequest`).
    /// Which statuses a reader may see is not a filter: the service decides it
    /// (``PostVisibility``) and passes it beside.
    public struct PostQuery: Sendable, Hashable {
        public var status: PostStatus?
        public var authorID: Int64?
        public var tag: String?
        /// Full-text search over title and visible content.
        public var text: String?
        public var limit: Int
        public var cursor: String?
        /// Oldest first (the rows *before* a cursor in the usual newest-first order): lets
        /// the console page upwards by key and sort by time either way.
        public var ascending: Bool
        public init(status: PostStatus? = nil, authorID: Int64? = nil, tag: String? = nil,
                    text: String? = nil, limit: Int = 20, cursor: String? = nil, ascending: Bool = false) {
            self.ascending = ascending
            self.status = status
            self.authorID = authorID
            self.tag = tag
            self.text = text
            self.limit = limit
            self.cursor = cursor
        }
    }
    public struct NewPost: Sendable {
        public var authorID: Int64
        public var title: String
        public var titleKey: String
        public var content: String
        public var visibleText: String
        public var status: PostStatus
        public var tags: [String]
        public init(authorID: Int64, title: String, titleKey: String, content: String, visibleText: String, status: PostStatus, tags: [String]) {
            self.authorID = authorID
            self.title = title
            self.titleKey = titleKey
            self.content = content
            self.visibleText = visibleText
            self.status = status
            self.tags = tags
        }
    }
    public struct PostChanges: Sendable {
        public var title: String?
        public var titleKey: String?
        public var content: String?
        public var visibleText: String?
        public var status: PostStatus?
        public var tags: [String]?
        public init(title: String? = nil, titleKey: String? = nil, content: String? = nil, visibleText: String? = nil,
                    status: PostStatus? = nil, tags: [String]? = nil) {
            self.title = title
            self.titleKey = titleKey
            self.content = content
            self.visibleText = visibleText
            self.status = status
            self.tags = tags
        }
    }
}

// MARK: - SecurityEvents
extension Store {
    public struct NewSecurityEvent: Sendable {
        public var event: SecurityEventKind
        public var userID: Int64?
        public var actorID: Int64?
        public var client: String
        public var details: [String: String]
        public init(event: SecurityEventKind, userID: Int64?, actorID: Int64?, client: String, details: [String: String]) {
            self.event = event
            self.userID = userID
            self.actorID = actorID
            self.client = client
            self.details = details
        }
    }
    /// Filters of the security-event list (`SecurityEventService.ListRequest`). Every filter
    /// narrows the list; pages are keyed by id, newest first (or oldest first with
    /// `ascending`), so a page costs the same at the end of a long trail as at its start.
    public struct SecurityEventQuery: Sendable, Equatable {
        public var event: SecurityEventKind?
        /// Events *involving* the user: as the subject or as the actor (a user's history).
        public var userID: Int64?
        /// Events *about* the user only (the subject, `user_id`).
        public var subjectID: Int64?
        /// Events done by this account (`actor_id`).
        public var actorID: Int64?
        /// Events from this door: `http`, `console`, `cli`.
        public var client: String?
        /// Events at or after this time.
        public var since: Date?
        /// Events strictly before this time (an exclusive bound, so consecutive ranges
        /// never count an event twice).
        public var until: Date?
        public var limit: Int
        public var cursor: String?
        /// Oldest first: the console's upward paging and reverse sort.
        public var ascending: Bool
        public init(event: SecurityEventKind? = nil, userID: Int64? = nil, subjectID: Int64? = nil, actorID: Int64? = nil,
                    client: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 20, cursor: String? = nil,
                    ascending: Bool = false) {
            self.event = event
            self.userID = userID
            self.subjectID = subjectID
            self.actorID = actorID
            self.client = client
            self.since = since
            self.until = until
            self.limit = limit
            self.cursor = cursor
            self.ascending = ascending
        }
    }
}

// Sessions and sign-in state, as an admin sees them
extension Store {
    /// A session that is open now: a refresh family neither ended nor expired.
    public struct ActiveSession: Sendable, Equatable {
        /// The refresh family, which access tokens carry as `sid` (audit rows name it too).
        public var familyID: String
        public var client: String
        public var createdAt: Date
        public var lastUsedAt: Date
        public var expiresAt: Date
        public init(familyID: String, client: String, createdAt: Date, lastUsedAt: Date, expiresAt: Date) {
            self.familyID = familyID
            self.client = client
            self.createdAt = createdAt
            self.lastUsedAt = lastUsedAt
            self.expiresAt = expiresAt
        }
    }

    /// A sign-in throttle row (`login_failures`): attempts counted in the window, and the
    /// lock they caused.
    public struct ThrottleState: Sendable, Equatable {
        public var failures: Int
        public var lockedUntil: Date?
        public init(failures: Int, lockedUntil: Date?) {
            self.failures = failures
            self.lockedUntil = lockedUntil
        }
    }
}

// MARK: - Seeding
extension Store {
    /// Deterministic generated volumes for load tests and benchmarks.
    public struct GeneratedVolumes: Sendable {
        public var users: Int
        public var posts: Int
        public var comments: Int
        public var seed: UInt64
        public init(users: Int, posts: Int, comments: Int, seed: UInt64) {
            self.users = users
            self.posts = posts
            self.comments = comments
            self.seed = seed
        }
    }
    public struct SeedReport: Sendable {
        public var users = 0
        public var posts = 0
        public var comments = 0
        public init(users: Int = 0, posts: Int = 0, comments: Int = 0) {
            self.users = users
            self.posts = posts
            self.comments = comments
        }
    }
    /// A demo account to insert, with its already-hashed password.
    public struct DemoUser: Sendable {
        public var email, passwordHash, firstName, lastName: String
        public var roles: [String]
        public var isActive: Bool
        public init(email: String, passwordHash: String, firstName: String, lastName: String, roles: [String], isActive: Bool) {
            self.email = email
            self.passwordHash = passwordHash
            self.firstName = firstName
            self.lastName = lastName
            self.roles = roles
            self.isActive = isActive
        }
    }
    public struct DemoPost: Sendable {
        public var key, authorEmail, title, titleKey, content, visibleText: String
        public var status: PostStatus
        public var tags: [String]
        public var createdAt: Date
        public init(key: String, authorEmail: String, title: String, titleKey: String, content: String, visibleText: String, status: PostStatus, tags: [String], createdAt: Date) {
            self.key = key
            self.authorEmail = authorEmail
            self.title = title
            self.titleKey = titleKey
            self.content = content
            self.visibleText = visibleText
            self.status = status
            self.tags = tags
            self.createdAt = createdAt
        }
    }
    public struct DemoComment: Sendable {
        public var key, postKey, authorEmail: String
        public var parentKey: String?
        public var content, visibleText: String
        public var status: CommentStatus
        public var createdAt: Date
        public init(key: String, postKey: String, authorEmail: String, parentKey: String?, content: String, visibleText: String, status: CommentStatus, createdAt: Date) {
            self.key = key
            self.postKey = postKey
            self.authorEmail = authorEmail
            self.parentKey = parentKey
            self.content = content
            self.visibleText = visibleText
            self.status = status
            self.createdAt = createdAt
        }
    }
}

// MARK: - Sessions
extension Store {
    public enum RotationOutcome: Sendable {
        /// The token was current: it is now rotated and the new one stored.
        case rotated(userID: Int64, familyID: String)
        /// The token was already rotated: its whole family is now revoked.
        case reused(userID: Int64, familyID: String)
        /// Unknown, expired or revoked.
        case invalid
    }
}

// MARK: - Users
extension Store {
    public struct NewUser: Sendable {
        public var email: String
        public var passwordHash: String
        public var firstName: String
        public var lastName: String
        public var isActive: Bool
        public var roles: [String]
        public init(email: String, passwordHash: String, firstName: String, lastName: String, isActive: Bool = true, roles: [String]) {
            self.email = email
            self.passwordHash = passwordHash
            self.firstName = firstName
            self.lastName = lastName
            self.isActive = isActive
            self.roles = roles
        }
    }
    /// What an access token check needs, in one indexed read: the account's token version,
    /// whether it is active, its roles and their permissions, and whether the session was
    /// signed out.
    public struct TokenSubject: Sendable {
        public var email: String
        public var tokenVersion: Int
        public var isActive: Bool
        public var roles: [String]
        public var permissions: Set<String>
        public var sessionRevoked: Bool
        public init(email: String, tokenVersion: Int, isActive: Bool, roles: [String], permissions: Set<String>, sessionRevoked: Bool) {
            self.email = email
            self.tokenVersion = tokenVersion
            self.isActive = isActive
            self.roles = roles
            self.permissions = permissions
            self.sessionRevoked = sessionRevoked
        }
    }
    /// Filters of a users list (`UserService.ListRequest`).
    public struct UserQuery: Sendable, Equatable {
        public var text: String?
        public var role: String?
        public var isActive: Bool?
        /// Only the users with a session open at this moment ("who is signed in now").
        /// A time rather than a flag, because the store has no clock of its own.
        public var signedInAt: Date?
        public var limit: Int
        public var cursor: String?
        /// Highest id first (the console's reverse sort and upward paging).
        public var descending: Bool
        public init(text: String? = nil, role: String? = nil, isActive: Bool? = nil, signedInAt: Date? = nil, limit: Int = 20,
                    cursor: String? = nil, descending: Bool = false) {
            self.signedInAt = signedInAt
            self.descending = descending
            self.text = text
            self.role = role
            self.isActive = isActive
            self.limit = limit
            self.cursor = cursor
        }
    }
    public struct UserChanges: Sendable {
        public var firstName: String?
        public var lastName: String?
        public var isActive: Bool?
        public init(firstName: String? = nil, lastName: String? = nil, isActive: Bool? = nil) {
            self.firstName = firstName
            self.lastName = lastName
            self.isActive = isActive
        }
    }
}

// Cursors the doors may build from a row they show (the console pages by key).
extension Store {
    /// The cursor that starts a list right after (or, ascending, right before) `post`:
    /// lets a client that holds a row, not a page, continue from it.
    public static func cursor(createdAt: Date, id: Int64) -> String {
        // Half a microsecond up: stored times are whole milliseconds, and a Date read back
        // may sit a hair below its millisecond, which `Timestamp.string` would round down.
        PageCursor.encode([Timestamp.string(createdAt.addingTimeInterval(0.000_000_5)), String(id)])
    }

    /// The cursor that starts a users or comments list right after the row with `id`.
    public static func cursor(afterID id: Int64) -> String {
        PageCursor.encode([String(id)])
    }

}

/// The answer to a read-only SQL statement: column names and rows as text.
public struct ReadOnlySQLResult: Sendable, Equatable {
    /// Column names in the statement's order.
    public var columns: [String]
    /// The rows, each value as text (`nil` for SQL NULL). Integers and reals are written as
    /// Swift prints them; a blob as `x'…'` hex, cut after 64 bytes.
    public var rows: [[String?]]
    /// True when the statement had more rows than ``ReadOnlySQLLimits/maximumRows``: only
    /// the first ones are here.
    public var isTruncated: Bool

    public init(columns: [String], rows: [[String?]], isTruncated: Bool) {
        self.columns = columns
        self.rows = rows
        self.isTruncated = isTruncated
    }
}

/// How much one statement of the Logs tab's SQL prompt may cost.
public struct ReadOnlySQLLimits: Sendable, Equatable {
    /// Rows returned at most; the statement stops there.
    public var maximumRows: Int
    /// Wall-clock time the statement may run before it is interrupted.
    public var timeLimit: Duration
    /// The longest string or blob a statement may build (`SQLITE_LIMIT_LENGTH`), so that
    /// `zeroblob(1e9)` or a runaway `group_concat` cannot take the process's memory.
    public var maximumValueBytes: Int32
    /// A cell's text is cut after this many characters (with "…").
    public var maximumCellCharacters: Int
    /// The rows of one answer stop (truncated) once their text passes this many bytes.
    public var maximumResultBytes: Int

    public init(maximumRows: Int = 1_000, timeLimit: Duration = .seconds(2), maximumValueBytes: Int32 = 8 * 1024 * 1024,
                maximumCellCharacters: Int = 2_000, maximumResultBytes: Int = 2 * 1024 * 1024) {
        self.maximumRows = maximumRows
        self.timeLimit = timeLimit
        self.maximumValueBytes = maximumValueBytes
        self.maximumCellCharacters = maximumCellCharacters
        self.maximumResultBytes = maximumResultBytes
    }
}


extension Store {
    /// One line of the log as the read-only SQL prompt's `log` table holds it.
    public struct LogRow: Sendable {
        public var sequence: UInt64
        public var time: Date
        public var level: String
        public var source: String
        public var message: String
        public var metadata: [String: String]
        public init(sequence: UInt64, time: Date, level: String, source: String, message: String, metadata: [String: String]) {
            self.sequence = sequence
            self.time = time
            self.level = level
            self.source = source
            self.message = message
            self.metadata = metadata
        }
    }
}

extension Store {
    /// A throttling key (`email:…`, `ip:…`) and how many attempts its window allows.
    public struct AttemptLimit: Sendable, Equatable {
        public var key: String
        public var maximum: Int
        public init(key: String, maximum: Int) {
            self.key = key
            self.maximum = maximum
        }
    }

    /// The answer to a reservation of an attempt.
    public enum AttemptReservation: Sendable, Equatable {
        /// The attempt may go ahead; it is counted as a failure until released. `counts`
        /// holds each key's attempts in the window, this one included; `lockedUntil` the
        /// keys this attempt locked.
        case reserved(counts: [String: Int], lockedUntil: [String: Date])
        /// A key is locked until the given time; nothing was counted.
        case locked(key: String, until: Date)
    }
}

extension Store {
    /// What a shared rate-limit bucket gave: whole requests, and the tokens left after.
    public struct RequestLease: Sendable, Equatable {
        public var granted: Int
        public var remaining: Double
        public init(granted: Int, remaining: Double) {
            self.granted = granted
            self.remaining = remaining
        }
    }
}

extension Store {
    /// One log line as instances share it: its place in the shared log, and the JSON line.
    public struct SharedLogLine: Sendable, Equatable {
        public var id: Int64
        public var line: String
        public init(id: Int64, line: String) {
            self.id = id
            self.line = line
        }
    }
}

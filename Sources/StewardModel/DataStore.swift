import Foundation

/// Everything the services ask of a database, and nothing more.
///
/// The services in `StewardCore` are the only callers: they hold a `DataStore` privately,
/// check permissions, validate and audit, then call one of these methods. The doors (the
/// HTTP API, the console, the command line) cannot reach a store at all: the SQLite
/// implementation lives in the `StewardStore` module, which only `StewardCore` depends on.
///
/// A method here states *what* the service needs in its own words (a page of users after a
/// cursor, a refresh token rotated atomically), never how: SQL, connection pools and
/// transactions are the implementation's business. A second backend implements this
/// protocol and the services do not change.
///
/// Rules the database can hold for every writer (unique emails, append-only audit rows, a
/// reply on the same post as its parent) are the implementation's duty too; rules that
/// need an actor or a permission are the services'.
public protocol DataStore: Sendable {
    /// Where the data lives, as shown to an operator: a file path.
    var location: String { get }

    // MARK: Lifecycle

    /// Identifiers of every migration and whether this database has it.
    func migrationStatus() throws -> [(id: String, applied: Bool)]
    /// Applies pending migrations; returns the identifiers it applied.
    func migrate() throws -> [String]
    /// The file name extension of ``backup(to:)``'s files: `sqlite`, or `dump` for a
    /// `pg_dump` archive.
    var backupExtension: String { get }
    /// Writes a consistent copy of the live database to `destination` (a new file).
    func backup(to destination: String) throws
    /// Checks a copy made by `backup(to:)`: "ok", or what the check found.
    func integrityCheck(ofCopyAt path: String) throws -> String
    /// The signing secret every instance on this database shares when none is configured:
    /// the stored one, or `candidate` stored first. `nil` when this backend keeps no
    /// secret (SQLite keeps it in a file beside the database instead).
    func sharedSecret(candidate: [UInt8]) throws -> [UInt8]?
    /// Takes up to `lease` requests from the shared token bucket `key` (at most `capacity`
    /// tokens, refilled at `refillPerSecond` on the database's clock), for the per-IP rate
    /// limit every instance shares. `nil` when this backend keeps no shared state.
    func leaseRequests(key: String, capacity: Int, refillPerSecond: Double, lease: Int) async throws -> Store.RequestLease?
    /// True when this backend carries log lines between instances (PostgreSQL), so that a
    /// console sees every instance's request lines.
    var sharesLogs: Bool { get }
    /// Appends this process's log lines (JSON, one entry each) for the other instances.
    func appendLogLines(_ lines: [String], instance: String) async throws
    /// Log lines of every instance after `id`, oldest first, at most `limit`.
    func logLines(after id: Int64, limit: Int) async throws -> [Store.SharedLogLine]
    /// True when the database answers a trivial query.
    func ping() async -> Bool
    /// A number that changes whenever anything is committed to the database, by this
    /// process or another, read at once (no I/O, no wait); `nil` when the backend cannot
    /// tell that cheaply. What was read after seeing a number is at least as new as it, so
    /// services may answer a read again from memory while the number stays the same.
    func committedVersion() -> UInt64?
    func close() throws

    // MARK: Users

    func insertUser(_ new: Store.NewUser, now: Date) async throws -> User
    func user(id: Int64) async throws -> User?
    func user(email: String) async throws -> User?
    func credentials(email: String) async throws -> UserCredentials?
    func credentials(id: Int64) async throws -> UserCredentials?
    /// What a token or console-session check needs, in one read. With `fromMemory`, the
    /// store may answer from what it read lately, provided that nothing the subject is made
    /// of changed in this process since (and no more than a moment ago in another): the
    /// HTTP door's check on every request. Without it, the database is read: a console
    /// action, rare and often right after a change made by another process.
    func tokenSubject(userID: Int64, sessionID: String, fromMemory: Bool) async throws -> Store.TokenSubject?
    func userCount() async throws -> Int
    func listUsers(_ query: Store.UserQuery) async throws -> Page<User>
    /// The union of the permissions of `roles`.
    func permissions(roles: [String]) async throws -> Set<String>
    /// Applies the changes; deactivation bumps the token version and ends every session.
    /// Refuses (409) to leave no active admin where there was one, in the same transaction.
    func updateUser(id: Int64, _ changes: Store.UserChanges, now: Date) async throws -> User?
    /// Stores a new hash; with `revokeSessions` the token version is bumped and sessions end.
    func setPasswordHash(userID: Int64, hash: String, revokeSessions: Bool, now: Date) async throws
    /// Replaces the user's roles, bumps the token version and ends every session. Refuses
    /// (409) to leave no active admin where there was one, in the same transaction.
    func setRoles(userID: Int64, roles: [String], now: Date) async throws -> User?
    /// Bumps the token version and ends every session of the user.
    func revokeSessions(userID: Int64, now: Date) async throws
    func setLoginState(userID: Int64, failedLogins: Int, lockedUntil: Date?) async throws

    // MARK: Roles

    func listRoles() async throws -> [Role]
    /// Replaces a role's permissions; `nil` when the role does not exist.
    func setRolePermissions(role: String, permissions: [String]) async throws -> [Int64]?

    // MARK: Sessions and throttling

    /// Records a signed-in session (a refresh family) and where it came from.
    func insertSession(familyID: String, userID: Int64, client: String, expiresAt: Date, now: Date) async throws
    func insertRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws
    /// Rotates a refresh token atomically; a token already rotated revokes its family.
    func rotateRefreshToken(presentedHash: String, newHash: String, expiresAt: Date, now: Date) async throws -> Store.RotationOutcome
    func refreshTokenFamily(tokenHash: String) async throws -> String?
    /// Ends a session: its refresh tokens are revoked and its `sid` refused from now on.
    func revokeFamily(_ familyID: String, now: Date, sessionExpiresAt: Date) async throws
    func activeSessionCount(userID: Int64, now: Date) async throws -> Int
    /// The user's sessions open at `now` (not ended, not expired), newest first.
    func listSessions(userID: Int64, now: Date) async throws -> [Store.ActiveSession]
    /// When the user last signed in: the newest session or `SUCCESSFUL_LOGIN`, whichever
    /// is later (sessions predate no login, but the audit trail outlives pruned sessions).
    func lastSignIn(userID: Int64) async throws -> Date?
    /// The throttle row of `key` (`email:…`), if attempts are counted against it.
    func throttleState(key: String) async throws -> Store.ThrottleState?
    /// Reserves one attempt against every key at once, atomically, before the password is
    /// checked; a locked key refuses it. See ``Store/AttemptReservation``.
    func reserveLoginAttempt(_ limits: [Store.AttemptLimit], windowSeconds: Int, now: Date) async throws -> Store.AttemptReservation
    /// Gives back one reserved attempt of `key` (the attempt succeeded).
    func releaseLoginAttempt(key: String, maximum: Int) async throws
    /// Forgets every attempt counted for `keys` (a success for that email, an unlock, a
    /// reset); returns whether there was anything to forget.
    @discardableResult
    func clearLoginFailures(keys: [String]) async throws -> Bool

    // MARK: Posts

    func listPosts(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> Page<Post>
    /// The query plan of exactly the statement `listPosts` runs for `query`.
    func explainPostList(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> [String]
    func post(id: Int64) async throws -> Post?
    /// Creates a post unless the author reached `dailyLimit` in the last 24 hours (429) or
    /// already has the title (409).
    func createPost(_ new: Store.NewPost, dailyLimit: Int, now: Date) async throws -> Post
    func updatePost(id: Int64, _ changes: Store.PostChanges, now: Date) async throws -> Post?
    func deletePost(id: Int64) async throws -> Bool
    func postCount() async throws -> Int

    // MARK: Comments

    func listComments(_ query: Store.CommentQuery) async throws -> Page<Comment>
    func comment(id: Int64) async throws -> Comment?
    func insertComment(_ new: Store.NewComment, now: Date) async throws -> Comment
    func setCommentStatus(id: Int64, status: CommentStatus, now: Date) async throws -> Bool
    func deleteComment(id: Int64) async throws -> Bool

    // MARK: Audit trail

    func insertSecurityEvent(_ new: Store.NewSecurityEvent, now: Date) async throws -> SecurityEvent
    func listSecurityEvents(_ query: Store.SecurityEventQuery) async throws -> Page<SecurityEvent>
    /// The query plan of exactly the statement `listSecurityEvents` runs for `query`.
    func explainSecurityEventList(_ query: Store.SecurityEventQuery) async throws -> [String]
    /// One read-only statement over the audit trail and the given log lines (table `log`).
    func runReadOnlySQL(_ sql: String, log entries: [Store.LogRow], limits: ReadOnlySQLLimits) async throws -> ReadOnlySQLResult

    // MARK: Seeding

    /// Deterministic generated volumes for load tests, in bulk.
    func seedGenerated(_ volumes: Store.GeneratedVolumes, passwordHash: String, now: Date,
                       progress: (@Sendable (String) -> Void)?) throws -> Store.SeedReport
    /// The demo set, already cleaned and hashed by the caller, into an empty database.
    func seedDemo(users: [Store.DemoUser], posts: [Store.DemoPost], comments: [Store.DemoComment]) throws -> Store.SeedReport
}

/// The namespace of the values that cross the `DataStore` boundary: new rows, changes,
/// queries and outcomes.
public enum Store {}

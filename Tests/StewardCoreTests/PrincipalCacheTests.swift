import Foundation
import Synchronization
import XCTest
@testable import StewardCore
@testable import StewardStore

/// The token check answered from memory (`TokenSubjectCache`): it is used, and it is never
/// behind a change of this process — a revocation, a deactivation, a password reset, a
/// role or permission change refuses the very next request — nor, for long, behind a
/// change made by another process on the same database file.
final class PrincipalCacheTests: XCTestCase {
    private func subjects(_ world: TestWorld) throws -> TokenSubjectCache {
        try XCTUnwrap(world.services.store as? SQLiteStore).subjects
    }

    private func signedIn(_ world: TestWorld, email: String, roles: [String] = ["user"]) async throws -> AuthService.Session {
        _ = try await world.services.users.create(.commandLine, email: email, password: "Str0ng!Passphrase", firstName: "Cache", lastName: "Test", roles: roles)
        return try await world.services.auth.login(email: email, password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
    }

    func testTheSecondCheckOfASessionIsAnsweredFromMemory() async throws {
        try skipOnPostgres("the SQLite cache and its epoch watcher")
        let world = try TestWorld()
        let session = try await signedIn(world, email: "memo@example.com")
        let cache = try subjects(world)
        XCTAssertEqual(cache.count, 0)
        _ = try await world.services.auth.authenticate(accessToken: session.accessToken)
        XCTAssertEqual(cache.count, 1)
        let key = TokenSubjectCache.Key(userID: session.user.id, sessionID: session.sessionID)
        XCTAssertEqual(cache.lookup(key)?.email, "memo@example.com")
        // Writes that do not touch an account's rights keep it (a post, a failed login).
        let author = Caller(try await world.services.auth.authenticate(accessToken: session.accessToken), client: "t")
        _ = try await world.services.posts.create(author, title: "A post does not evict", content: "<p>Nothing about rights here.</p>")
        _ = try? await world.services.auth.login(email: "memo@example.com", password: "Wr0ng!Passphrase", caller: .anonymous(client: "t"))
        XCTAssertNotNil(cache.lookup(key))
    }

    func testEveryChangeOfRightsRefusesOrChangesTheNextRequest() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        let admin = try await world.actor("admin")
        let session = try await signedIn(world, email: "rights@example.com")
        let id = session.user.id

        // A role's permissions change: the next request carries the new set.
        var principal = try await auth.authenticate(accessToken: session.accessToken)
        XCTAssertFalse(principal.can(.postsPublish))
        let roles = try await world.services.roles.list(admin)
        let userRole = try XCTUnwrap(roles.first { $0.name == "user" })
        _ = try await world.services.roles.setPermissions(admin, role: "user", permissions: userRole.permissions + ["posts:publish"])
        principal = try await auth.authenticate(accessToken: session.accessToken)
        XCTAssertTrue(principal.can(.postsPublish))
        _ = try await world.services.roles.setPermissions(admin, role: "user", permissions: userRole.permissions)
        principal = try await auth.authenticate(accessToken: session.accessToken)
        XCTAssertFalse(principal.can(.postsPublish))

        // Deactivated, then active again (the token version moved: a new sign-in is needed).
        _ = try await world.services.users.update(admin, id: id, isActive: false)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: session.accessToken) }
        _ = try await world.services.users.update(admin, id: id, isActive: true)

        // Roles changed, sessions revoked, password reset: each refuses the next request.
        var current = try await auth.login(email: "rights@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        _ = try await auth.authenticate(accessToken: current.accessToken)
        _ = try await world.services.users.setRoles(admin, id: id, roles: ["user", "moderator"])
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: current.accessToken) }

        current = try await auth.login(email: "rights@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        _ = try await auth.authenticate(accessToken: current.accessToken)
        try await world.services.users.revokeSession(admin, userID: id, sessionID: current.sessionID)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: current.accessToken) }

        current = try await auth.login(email: "rights@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        _ = try await auth.authenticate(accessToken: current.accessToken)
        _ = try await world.services.users.resetPassword(admin, id: id)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: current.accessToken) }
    }

    /// Requests race a revocation: whatever they found in memory before, none that starts
    /// after the revocation returned is let through, and a subject read before the
    /// revocation is not put back into memory after it.
    func testARevocationRacingRequestsIsNeverUndone() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        let admin = try await world.actor("admin")
        for round in 0..<5 {
            let session = try await signedIn(world, email: "race\(round)@example.com")
            _ = try await auth.authenticate(accessToken: session.accessToken)
            let revoked = Shared(false)
            let lateSuccesses = Shared(0)
            let token = session.accessToken
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<200 {
                            let startedAfterRevocation = revoked.value
                            let accepted = (try? await auth.authenticate(accessToken: token)) != nil
                            if accepted && startedAfterRevocation { lateSuccesses.update { $0 += 1 } }
                            await Task.yield()
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(2))
                    try await world.services.users.revokeSessions(admin, id: session.user.id)
                    revoked.update { $0 = true }
                }
                try await group.waitForAll()
            }
            XCTAssertEqual(lateSuccesses.value, 0, "round \(round): a request after the revocation was let through")
            await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: token) }
        }
    }

    /// Another process (here: a second store on the same file, with a connection of its
    /// own) revokes a session; this one stops accepting it once its watcher reads the
    /// epoch (entries older than the cache's lifetime are read again anyway).
    func testAChangeMadeByAnotherProcessIsSeenWithinTheLifetime() async throws {
        try skipOnPostgres("the SQLite cache and its epoch watcher")
        let world = try TestWorld()
        let session = try await signedIn(world, email: "elsewhere@example.com")
        _ = try await world.services.auth.authenticate(accessToken: session.accessToken)
        let other = try SQLiteStore(path: world.services.config.databasePath)
        defer { try? other.close() }
        let now = world.clock.now
        try await other.revokeFamily(session.sessionID, now: now, sessionExpiresAt: now.addingTimeInterval(3_600))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        var refusedAfter: Duration?
        let started = clock.now
        while clock.now < deadline {
            if (try? await world.services.auth.authenticate(accessToken: session.accessToken)) == nil {
                refusedAfter = clock.now - started
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertNotNil(refusedAfter, "the revocation made by the other connection was never seen")
    }
}

/// A value tasks share, behind a lock.
private final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func update(_ change: (inout Value) -> Void) { storage.withLock { change(&$0) } }
}

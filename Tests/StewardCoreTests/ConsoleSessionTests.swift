import XCTest
@testable import StewardCore

/// A console session is checked on every service call exactly as an access token is on
/// every request: any change to the account made elsewhere ends it at once.
final class ConsoleSessionTests: XCTestCase {
    private func signedInModerator(_ world: TestWorld) async throws -> (ConsoleSession, User) {
        let user = try await world.services.users.create(.commandLine, email: "mod@example.com", password: "Str0ng!Passphrase",
                                                         firstName: "Mo", lastName: "Derator", roles: ["moderator"])
        let session = try await world.services.auth.consoleSignIn(email: "mod@example.com", password: "Str0ng!Passphrase")
        return (session, user)
    }

    /// Runs one console action after `change`, expects it refused as a session end,
    /// audited as denied, and checks nothing was changed.
    private func assertNextActionRefused(after change: (TestWorld, User) async throws -> Void,
                                         file: StaticString = #filePath, line: UInt = #line) async throws {
        let world = try TestWorld()
        let (session, user) = try await signedInModerator(world)
        let admin = try await world.actor("admin")
        let post = try await world.services.posts.create(admin, title: "A draft to publish", content: "<p>Content of the draft.</p>")
        // Before the change the session works.
        _ = try await world.services.posts.get(.console(session), id: post.id)
        try await change(world, user)
        let deniedBefore = try await world.events(.permissionDenied).count
        do {
            _ = try await world.services.posts.publish(.console(session), id: post.id)
            XCTFail("the console action should be refused", file: file, line: line)
        } catch let error as StewardError {
            XCTAssertTrue(error.isSessionEnded, "\(error)", file: file, line: line)
            XCTAssertEqual(error.kind, .unauthenticated, file: file, line: line)
        }
        let denied = try await world.events(.permissionDenied)
        XCTAssertEqual(denied.count, deniedBefore + 1, file: file, line: line)
        XCTAssertEqual(denied.first?.client, "console", file: file, line: line)
        XCTAssertEqual(denied.first?.actorID, user.id, file: file, line: line)
        XCTAssertTrue(denied.first?.details["reason"]?.hasPrefix("console session ended") == true, file: file, line: line)
        let unchanged = try await world.services.posts.get(admin, id: post.id)
        XCTAssertEqual(unchanged.status, .draft, "nothing was changed", file: file, line: line)
    }

    func testDeactivationEndsAnOpenConsole() async throws {
        try await assertNextActionRefused { world, user in
            _ = try await world.services.users.update(.commandLine, id: user.id, isActive: false)
        }
    }

    func testARoleChangeEndsAnOpenConsole() async throws {
        try await assertNextActionRefused { world, user in
            _ = try await world.services.users.setRoles(.commandLine, id: user.id, roles: ["user"])
        }
    }

    func testAPasswordResetEndsAnOpenConsole() async throws {
        try await assertNextActionRefused { world, user in
            _ = try await world.services.users.resetPassword(.commandLine, id: user.id)
        }
    }

    func testRevokingSessionsEndsAnOpenConsole() async throws {
        try await assertNextActionRefused { world, user in
            try await world.services.users.revokeSessions(.commandLine, id: user.id)
        }
    }

    func testAPermissionRemovedFromTheRoleEndsAnOpenConsole() async throws {
        try await assertNextActionRefused { world, _ in
            let permissions = BuiltinRoles.moderatorPermissions.map(\.name).filter { $0 != Permission.usersRead.name }
            _ = try await world.services.roles.setPermissions(.commandLine, role: "moderator", permissions: permissions)
        }
    }

    func testLosingLogsReadStopsTheSQLPrompt() async throws {
        try skipOnPostgres("the SQL prompt reads SQLite only")
        let world = try TestWorld()
        _ = try await world.services.users.create(.commandLine, email: "boss@example.com", password: "Str0ng!Passphrase",
                                                  firstName: "Bo", lastName: "Ss", roles: ["admin"])
        let session = try await world.services.auth.consoleSignIn(email: "boss@example.com", password: "Str0ng!Passphrase")
        let ring = LogRing(capacity: 10)
        _ = try await world.services.logQueries().query(.console(session), sql: "SELECT count(*) FROM security_events", ring: ring)
        let permissions = BuiltinRoles.adminPermissions.map(\.name).filter { $0 != Permission.logsRead.name }
        _ = try await world.services.roles.setPermissions(.commandLine, role: "admin", permissions: permissions)
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.logQueries().query(.console(session), sql: "SELECT count(*) FROM security_events", ring: ring)
        }
    }

    func testSigningOutEndsTheSessionAndIsAudited() async throws {
        let world = try TestWorld()
        let (session, _) = try await signedInModerator(world)
        try await world.services.auth.consoleSignOut(session)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await world.services.users.list(.console(session), UserService.ListRequest()) }
        let logouts = try await world.events(.logout)
        XCTAssertEqual(logouts.first?.client, "console")
    }

    func testConsoleSignInLeavesNoRefreshTokenBehind() async throws {
        let world = try TestWorld()
        let (session, user) = try await signedInModerator(world)
        let active = try await world.services.store.activeSessionCount(userID: user.id, now: world.clock.now)
        XCTAssertEqual(active, 0, "no refresh token was issued")
        XCTAssertEqual(session.principalAtSignIn.roles, ["moderator"])
        let me = try await world.services.auth.me(.console(session))
        XCTAssertEqual(me.user.email, "mod@example.com")
    }

    func testAnUnresolvedConsoleCallerHoldsNoPermission() async throws {
        let world = try TestWorld()
        let (session, _) = try await signedInModerator(world)
        // Until a service resolves it, a console caller is a claim: it can do nothing.
        let caller = Caller.console(session)
        XCTAssertFalse(caller.can(.usersRead))
        XCTAssertNil(caller.principal)
        let resolved = try await world.services.context.resolve(caller)
        XCTAssertTrue(resolved.can(.usersRead))
    }
}

extension TestWorld {
    /// Events of one kind, newest first.
    func events(_ kind: SecurityEventKind) async throws -> [SecurityEvent] {
        try await services.securityEvents.list(.commandLine, SecurityEventService.ListRequest(event: kind, limit: 100)).items
    }
}

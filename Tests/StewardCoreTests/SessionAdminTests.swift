import Foundation
import XCTest
@testable import StewardCore

/// What an admin sees and does about other accounts' sign-ins, through the services:
/// open sessions, last sign-in, locks, ending one session, "who is signed in", and the
/// audit trail's filters.
final class SessionAdminTests: XCTestCase {
    private let password = "Str0ng!Passphrase"

    private func account(_ world: TestWorld, _ email: String) async throws -> User {
        try await world.services.users.create(.commandLine, email: email, password: password, firstName: "Ses", lastName: "Sion", roles: ["user"])
    }

    func testSignInStateListsOpenSessionsAndTheLastSignIn() async throws {
        let world = try TestWorld()
        let user = try await account(world, "two@example.com")
        let moderator = try await world.actor("moderator")
        let plain = try await world.actor("user")
        var state = try await world.services.users.signInState(moderator, id: user.id)
        XCTAssertNil(state.lastSignIn)
        XCTAssertEqual(state.sessions, [])

        _ = try await world.services.auth.login(email: "two@example.com", password: password, caller: .anonymous(client: "http"))
        world.clock.advance(60)
        let second = try await world.services.auth.login(email: "two@example.com", password: password, caller: .anonymous(client: "http"))
        state = try await world.services.users.signInState(moderator, id: user.id)
        XCTAssertEqual(state.sessions.count, 2)
        XCTAssertEqual(state.sessions.first?.familyID, second.sessionID, "newest first")
        XCTAssertEqual(state.lastSignIn, world.clock.now)
        XCTAssertFalse(state.isLocked)

        // An expired session is not open any more.
        world.clock.advance(Double(world.services.config.refreshTTL) + 1)
        state = try await world.services.users.signInState(moderator, id: user.id)
        XCTAssertEqual(state.sessions, [])

        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.users.signInState(plain, id: user.id) }
        await XCTAssertThrowsKind(.notFound) { _ = try await world.services.users.signInState(moderator, id: 9_999) }
    }

    func testRevokingOneSessionEndsOnlyThatOneAndIsAudited() async throws {
        let world = try TestWorld()
        let user = try await account(world, "phone@example.com")
        let other = try await account(world, "other@example.com")
        let admin = try await world.actor("admin")
        let moderator = try await world.actor("moderator")
        let laptop = try await world.services.auth.login(email: "phone@example.com", password: password, caller: .anonymous(client: "http"))
        let phone = try await world.services.auth.login(email: "phone@example.com", password: password, caller: .anonymous(client: "http"))

        await XCTAssertThrowsKind(.forbidden) {
            try await world.services.users.revokeSession(moderator, userID: user.id, sessionID: phone.sessionID)
        }
        // A session of one account cannot be ended through another.
        await XCTAssertThrowsKind(.notFound) {
            try await world.services.users.revokeSession(admin, userID: other.id, sessionID: phone.sessionID)
        }
        try await world.services.users.revokeSession(admin, userID: user.id, sessionID: phone.sessionID)

        let state = try await world.services.users.signInState(admin, id: user.id)
        XCTAssertEqual(state.sessions.map(\.familyID), [laptop.sessionID])
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.auth.authenticate(accessToken: phone.accessToken)
        }
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.auth.refresh(refreshToken: phone.refreshToken, caller: .anonymous(client: "http"))
        }
        _ = try await world.services.auth.authenticate(accessToken: laptop.accessToken)
        _ = try await world.services.auth.refresh(refreshToken: laptop.refreshToken, caller: .anonymous(client: "http"))

        let updates = try await world.services.securityEvents.list(.commandLine, .init(event: .userUpdate, subjectID: user.id)).items
        XCTAssertEqual(updates.first?.details["change"], "session revoked")
        XCTAssertEqual(updates.first?.details["sid"], phone.sessionID)
        XCTAssertEqual(updates.first?.actorID, admin.auditID)
        // Ended already: asking again finds no open session.
        await XCTAssertThrowsKind(.notFound) {
            try await world.services.users.revokeSession(admin, userID: user.id, sessionID: phone.sessionID)
        }
    }

    func testALockShowsUntilWhenAndUnlockLiftsIt() async throws {
        let world = try TestWorld()
        let user = try await account(world, "locked@example.com")
        for index in 0..<world.services.config.loginMaxFailures {
            await XCTAssertThrowsKind(.unauthenticated) {
                _ = try await world.services.auth.login(email: "locked@example.com", password: "Wrong#\(index)", caller: .anonymous(client: "http"))
            }
        }
        var state = try await world.services.users.signInState(.commandLine, id: user.id)
        XCTAssertEqual(state.lockedUntil, world.clock.now.addingTimeInterval(Double(world.services.config.loginWindowSeconds)))
        XCTAssertEqual(state.failedLogins, world.services.config.loginMaxFailures)

        let wasLocked = try await world.services.users.unlock(.commandLine, email: user.email)
        XCTAssertTrue(wasLocked)
        state = try await world.services.users.signInState(.commandLine, id: user.id)
        XCTAssertNil(state.lockedUntil)
        XCTAssertEqual(state.failedLogins, 0)
    }

    func testTheSignedInFilterListsOnlyAccountsWithAnOpenSession() async throws {
        let world = try TestWorld()
        let present = try await account(world, "present@example.com")
        _ = try await account(world, "absent@example.com")
        _ = try await world.services.auth.login(email: "present@example.com", password: password, caller: .anonymous(client: "http"))
        let admin = try await world.actor("admin")
        let adminID = try XCTUnwrap(admin.auditID)

        var page = try await world.services.users.list(admin, .init(signedInAt: world.clock.now, limit: 100))
        XCTAssertEqual(Set(page.items.map(\.id)), [present.id, adminID])
        page = try await world.services.users.list(admin, .init(signedInAt: world.clock.now, limit: 1))
        XCTAssertEqual(page.items.map(\.id), [present.id], "keyset paging by id still applies")
        XCTAssertNotNil(page.nextCursor)

        try await world.services.users.revokeSessions(admin, id: present.id)
        page = try await world.services.users.list(admin, .init(signedInAt: world.clock.now, limit: 100))
        XCTAssertEqual(page.items.map(\.id), [adminID])
        page = try await world.services.users.list(admin, .init(limit: 100))
        XCTAssertEqual(page.items.count, 3, "without the filter everyone is listed")
    }

    func testTheAuditTrailFiltersByActorClientAndTimeAndPagesBothWays() async throws {
        let world = try TestWorld()
        let user = try await account(world, "subject@example.com")
        let start = world.clock.now
        let admin = try await world.actor("admin")
        world.clock.advance(3_600)
        _ = try await world.services.users.update(admin, id: user.id, firstName: "Renamed")
        world.clock.advance(3_600)
        _ = try await world.services.users.update(.commandLine, id: user.id, lastName: "Again")
        let events = world.services.securityEvents

        let byAdmin = try await events.list(.commandLine, .init(event: .userUpdate, actorID: admin.auditID, limit: 100)).items
        XCTAssertEqual(byAdmin.map(\.details), [["firstName": "changed"]])
        let fromCLI = try await events.list(.commandLine, .init(event: .userUpdate, subjectID: user.id, client: "cli", limit: 100)).items
        XCTAssertTrue(fromCLI.allSatisfy { $0.client == "cli" })
        XCTAssertEqual(fromCLI.map(\.details), [["lastName": "changed"], ["change": "created", "roles": "user"]])
        let firstHour = try await events.list(.commandLine, .init(subjectID: user.id, since: start, until: start.addingTimeInterval(3_600), limit: 100)).items
        XCTAssertEqual(firstHour.map(\.event), [.userUpdate], "until is exclusive: the rename at start+1h is not in")
        XCTAssertEqual(firstHour.first?.details["change"], "created")

        // Newest first by default; ascending walks the other way with the same cursors.
        let newest = try await events.list(.commandLine, .init(subjectID: user.id, limit: 2))
        XCTAssertEqual(newest.items.map(\.details["lastName"]), ["changed", nil])
        let oldest = try await events.list(.commandLine, .init(subjectID: user.id, limit: 2, ascending: true))
        XCTAssertEqual(oldest.items.first?.details["change"], "created")
        let rest = try await events.list(.commandLine, .init(subjectID: user.id, limit: 2, cursor: oldest.nextCursor, ascending: true))
        XCTAssertEqual(rest.items.last?.details["lastName"], "changed")
        XCTAssertTrue(zip(oldest.items + rest.items, (oldest.items + rest.items).dropFirst()).allSatisfy { $0.id < $1.id })

        let plain = try await world.actor("user")
        await XCTAssertThrowsKind(.forbidden) { _ = try await events.list(plain, .init(actorID: admin.auditID)) }
    }
}

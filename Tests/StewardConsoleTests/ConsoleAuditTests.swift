import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// The Audit tab and the sign-in side of the Users tab, key by key, checked against the
/// database through the services.
final class ConsoleAuditTests: XCTestCase {
    /// Two HTTP sessions for `user@steward.test`, opened through the services.
    @discardableResult
    private func signInTwiceOverHTTP(_ world: ConsoleWorld) throws -> [String] {
        let services = world.services
        return try BlockingCall.run {
            var ids: [String] = []
            for _ in 0..<2 {
                ids.append(try await services.auth.login(email: ConsoleWorld.user.0, password: ConsoleWorld.user.1,
                                                         caller: .anonymous(client: "http")).sessionID)
            }
            return ids
        }
    }

    private func signInState(_ world: ConsoleWorld, _ email: String) throws -> SignInState {
        let services = world.services
        let id = try XCTUnwrap(try world.user(email: email)).id
        return try BlockingCall.run { try await services.users.signInState(.commandLine, id: id) }
    }

    private func audit(_ world: ConsoleWorld) throws -> AuditScreen {
        try XCTUnwrap(world.app.activeScreen as? AuditScreen, "the Audit tab is shown")
    }

    func testTheAuditTabIsOnlyForAccountsThatReadLogs() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("6"))
        XCTAssertFalse(world.app.activeScreen is AuditScreen)
        XCTAssertFalse(world.screenText.contains("6 Audit"))

        let admin = try ConsoleWorld()
        admin.signIn(ConsoleWorld.admin)
        admin.press(.char("6"))
        let screen = try audit(admin)
        XCTAssertEqual(screen.selectedEvent?.event, .successfulLogin, "newest first: the admin's own console sign-in")
        XCTAssertTrue(admin.screenText.contains("Audit  all events · newest first"), admin.screenText)
    }

    func testFilterWordsNarrowTheTrailAndEnterShowsEveryDetail() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let user = try XCTUnwrap(try world.user(email: ConsoleWorld.user.0))
        let services = world.services
        _ = try? BlockingCall.run {
            try await services.auth.login(email: ConsoleWorld.user.0, password: "Wrong#Guess1", caller: .anonymous(client: "http"))
        }
        world.press(.char("6"))
        world.press(.char("/"))
        world.type("event:failed_login user:\(ConsoleWorld.user.0) client:http since:2026-01-01 until:2026-12-31")
        world.press(.enter)
        let screen = try audit(world)
        let event = try XCTUnwrap(screen.selectedEvent)
        XCTAssertEqual(event.event, .failedLogin)
        XCTAssertEqual(event.userID, user.id)
        XCTAssertEqual(event.client, "http")
        let text = world.screenText
        XCTAssertTrue(text.contains("filter: event:failed_login"), text)
        XCTAssertFalse(text.contains("SUCCESSFUL_LOGIN"), "only the failed sign-in is listed: \(text)")

        world.press(.enter)
        XCTAssertTrue(screen.isShowingDetail)
        XCTAssertTrue(world.screenText.contains("Security event \(event.id)"))
        for (key, value) in event.details {
            XCTAssertTrue(world.screenText.contains(key) && world.screenText.contains(value), "detail \(key)=\(value) shown")
        }
        world.press(.escape, .escape)
        XCTAssertFalse(screen.isShowingDetail)
        XCTAssertTrue(world.screenText.contains("Audit  all events"), "Esc closes the event, then clears the filter")

        // A subject by id and a client: the admin's own console sign-in, and nothing else.
        let admin = try XCTUnwrap(try world.user(email: ConsoleWorld.admin.0))
        world.command("filter user:\(admin.id) client:console")
        let signIn = try XCTUnwrap(screen.selectedEvent)
        XCTAssertEqual(signIn.event, .successfulLogin)
        XCTAssertEqual(signIn.userID, admin.id)
        world.press(.char("j"))
        XCTAssertEqual(screen.selectedEvent?.id, signIn.id, "a single row matches")
    }

    func testTheHelpListsTheNewKeysForAccountsThatMayUseThem() throws {
        let admin = try ConsoleWorld()
        admin.signIn(ConsoleWorld.admin)
        let userKeys = Set(admin.app.allHints.hints.map(\.key))
        XCTAssertTrue(userKeys.isSuperset(of: ["w", "u", "[/]", "x"]), "\(userKeys)")
        XCTAssertTrue(userKeys.contains("1–6"))
        admin.press(.char("6"), .char("?"))
        XCTAssertTrue(admin.screenText.contains("Filter words for /"), admin.screenText)
        XCTAssertTrue(Set(admin.app.allHints.hints.map(\.key)).isSuperset(of: ["event:NAME", "user:ID|EMAIL", "actor:ID|EMAIL", "client:NAME", "since:DATE", "until:DATE"]))

        // A moderator reads accounts but may not change them: `w` yes, `u` and `x` no.
        let moderator = try ConsoleWorld()
        moderator.signIn(ConsoleWorld.moderator)
        let keys = Set(moderator.app.allHints.hints.map(\.key))
        XCTAssertTrue(keys.contains("w"))
        XCTAssertFalse(keys.contains("u") || keys.contains("x"), "\(keys)")
        XCTAssertTrue(keys.contains("1–5"))
    }

    func testAMistypedFilterWordIsRefusedNotIgnored() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("6"))
        world.command("filter evnt:FAILED_LOGIN")
        XCTAssertNil(try audit(world).selectedEvent)
        XCTAssertTrue(world.screenText.contains("Unknown filter \"evnt:\""), world.screenText)
    }

    func testTheUserDetailShowsSessionsAndXRevokesThePickedOne() throws {
        let world = try ConsoleWorld()
        let sessions = try signInTwiceOverHTTP(world)
        world.signIn(ConsoleWorld.admin)
        world.command("search \(ConsoleWorld.user.0)")
        world.press(.enter)
        let users = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        XCTAssertTrue(world.screenText.contains("Open sessions (2)"), world.screenText)
        // The first listed session is picked; `]` picks the other one. (The world's clock is
        // fixed, so both began at the same moment and their order is the store's.)
        let first = try XCTUnwrap(users.selectedSessionID)
        world.press(.char("]"))
        let picked = try XCTUnwrap(users.selectedSessionID)
        XCTAssertNotEqual(picked, first)
        XCTAssertEqual(Set([first, picked]), Set(sessions))
        world.press(.char("x"))
        XCTAssertTrue(world.app.isConfirming)
        world.press(.char("y"))

        let state = try signInState(world, ConsoleWorld.user.0)
        XCTAssertEqual(state.sessions.map(\.familyID), [first], "only the picked session ended")
        let updates = try world.events(.userUpdate)
        XCTAssertTrue(updates.contains { $0.details["sid"] == picked && $0.client == "console" && $0.details["change"] == "session revoked" })
        XCTAssertTrue(world.screenText.contains("Open sessions (1)"), "the detail is read again: \(world.screenText)")
    }

    func testUnlockLiftsTheLockShownInTheDetail() throws {
        let world = try ConsoleWorld()
        let services = world.services
        for index in 0..<services.config.loginMaxFailures {
            _ = try? BlockingCall.run {
                try await services.auth.login(email: ConsoleWorld.user.0, password: "Wrong#Guess\(index)", caller: .anonymous(client: "http"))
            }
        }
        XCTAssertTrue(try signInState(world, ConsoleWorld.user.0).isLocked)
        world.signIn(ConsoleWorld.admin)
        world.command("search \(ConsoleWorld.user.0)")
        world.press(.enter)
        XCTAssertTrue(world.screenText.contains("locked until"), world.screenText)
        world.press(.char("u"))
        XCTAssertFalse(try signInState(world, ConsoleWorld.user.0).isLocked)
        XCTAssertTrue(try world.events(.accountUnlocked).contains { $0.details["email"] == ConsoleWorld.user.0 && $0.client == "console" })
        XCTAssertTrue(world.screenText.contains("not locked"), world.screenText)
    }

    func testWShowsOnlyWhoIsSignedInNow() throws {
        let world = try ConsoleWorld()
        try signInTwiceOverHTTP(world)
        world.signIn(ConsoleWorld.admin)
        let users = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        world.press(.char("w"))
        XCTAssertTrue(world.screenText.contains("signed in now"))
        var listed: [String] = []
        for _ in 0..<10 {
            if let email = users.selectedUser?.email, !listed.contains(email) { listed.append(email) }
            world.press(.char("j"))
        }
        XCTAssertEqual(Set(listed), [ConsoleWorld.admin.0, ConsoleWorld.user.0], "the admin's console and the user's HTTP sessions")
        world.press(.char("w"))
        XCTAssertFalse(world.screenText.contains("signed in now"))
        XCTAssertTrue(world.app.allHints.hints.contains { $0.key == "w" }, "w is in the help")
    }
}

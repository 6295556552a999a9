import Foundation
import XCTest
@testable import StewardConsole
import StewardCore

/// Key sequences for every console action, each checked in the database afterwards.
final class ConsoleActionTests: XCTestCase {
    private func posts(_ world: ConsoleWorld) throws -> PostsScreen {
        try XCTUnwrap(world.app.activeScreen as? PostsScreen)
    }

    // MARK: Sign-in and first run

    func testSignInWithWrongPasswordShowsErrorAndStaysOnForm() throws {
        let world = try ConsoleWorld()
        world.signIn((ConsoleWorld.admin.0, "Wrong#Password1"))
        XCTAssertEqual(world.app.phase, .signIn)
        XCTAssertTrue(world.screenText.contains("The email or password is not correct."))
        XCTAssertEqual(world.app.form.value(of: "password"), "", "the password field is cleared")
        XCTAssertFalse(try world.events(.failedLogin).isEmpty)
    }

    func testSignInOpensTabsAndStatusBarShowsAccount() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        XCTAssertEqual(world.app.phase, .main)
        XCTAssertEqual(world.app.screens.map(\.title), ["Users", "Roles", "Posts", "Comments", "Logs"])
        XCTAssertTrue(world.screenText.contains("Signed in as moderator@steward.test"))
        world.expireMessages()
        let text = world.screenText
        XCTAssertTrue(text.contains("Tomás O’Connell (moderator)"), text)
        XCTAssertTrue(text.contains("│ demo.sqlite │"), text)
        XCTAssertTrue(text.contains("HTTP off"))
        let login = try XCTUnwrap(world.events(.successfulLogin).first)
        XCTAssertEqual(login.client, "console")
    }

    func testFirstRunShowsInlineErrorsThenCreatesTheAdmin() throws {
        let world = try ConsoleWorld(demo: false)
        XCTAssertEqual(world.app.phase, .firstRun)
        world.type("not-an-email")
        world.press(.tab)
        world.type("A")
        world.press(.tab)
        world.type("Lovelace")
        world.press(.tab)
        world.type("short")
        world.press(.tab)
        world.type("short")
        world.press(.enter)
        XCTAssertEqual(world.app.phase, .firstRun)
        let form = world.app.form
        XCTAssertNotNil(form.fields.first { $0.id == "email" }?.error)
        XCTAssertNotNil(form.fields.first { $0.id == "firstName" }?.error)
        XCTAssertNotNil(form.fields.first { $0.id == "password" }?.error)
        XCTAssertNil(form.fields.first { $0.id == "lastName" }?.error)
        XCTAssertNil(try world.user(email: "not-an-email"))

        // Fix every field: clear each with Ctrl-U and type again.
        XCTAssertEqual(world.app.form.focusedIndex, 0, "focus lands on the first field with an error")
        for value in ["ada@example.com", "Ada", "Lovelace", "Analytical#Engine1", "Analytical#Engine1"] {
            world.press(.ctrl("u"))
            world.type(value)
            world.press(.tab)
        }
        world.press(.enter)
        XCTAssertEqual(world.app.phase, .main, world.screenText)
        let admin = try XCTUnwrap(world.user(email: "ada@example.com"))
        XCTAssertEqual(admin.roles, ["admin"])
    }

    // MARK: Posts

    func testModeratorPublishesADraft() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"), .char("f"))  // drafts only
        let draft = try XCTUnwrap(posts(world).selectedPost)
        XCTAssertEqual(draft.status, .draft)
        world.press(.char("p"))
        XCTAssertEqual(try world.post(id: draft.id)?.status, .published)
        XCTAssertTrue(world.screenText.contains("Published post \(draft.id)"))
    }

    func testArchiveAndBackToDraft() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        let post = try XCTUnwrap(posts(world).selectedPost)
        world.press(.char("a"))
        XCTAssertEqual(try world.post(id: post.id)?.status, .archived)
        world.press(.char("d"))
        XCTAssertEqual(try world.post(id: post.id)?.status, .draft)
    }

    func testDeleteAsksFirstAndNoKeepsThePost() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"), .char("j"))
        let post = try XCTUnwrap(posts(world).selectedPost)
        world.press(.char("x"))
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertTrue(world.screenText.contains("Delete post \(post.id)"))
        world.press(.enter)  // focus starts on the safe button
        XCTAssertNotNil(try world.post(id: post.id))
        world.press(.char("x"), .char("y"))
        XCTAssertNil(try world.post(id: post.id))
        XCTAssertNotEqual(try posts(world).selectedPost?.id, post.id)
    }

    func testViewContentRendersReadableText() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        let post = try XCTUnwrap(posts(world).selectedPost)
        world.press(.enter)
        XCTAssertTrue(try posts(world).isShowingDetail)
        let text = world.screenText
        XCTAssertTrue(text.contains("Post \(post.id)"))
        XCTAssertFalse(text.contains("<p>"), "tags are stripped")
        world.press(.escape)
        XCTAssertFalse(try posts(world).isShowingDetail)
    }

    func testFullTextFilterAndNextMatch() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"), .char("/"))
        XCTAssertTrue(try posts(world).capturesInput)
        world.type("welcome")
        world.press(.enter)
        let screen = try posts(world)
        XCTAssertEqual(screen.textFilter, "welcome")
        let first = try XCTUnwrap(screen.selectedPost)
        XCTAssertTrue(first.title.lowercased().contains("welcome") || first.content.lowercased().contains("welcome"))
        world.press(.escape)
        XCTAssertNil(try posts(world).textFilter)
    }

    func testSortCyclesToOldestFirst() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        let newest = try XCTUnwrap(posts(world).selectedPost)
        world.press(.char("s"))
        let oldest = try XCTUnwrap(posts(world).selectedPost)
        XCTAssertLessThan(oldest.createdAt, newest.createdAt)
        XCTAssertEqual(oldest.title, "Welcome to the team blog")
        world.press(.char("G"))
        XCTAssertEqual(try posts(world).selectedPost?.id, newest.id, "bottom of oldest-first is the newest")
    }

    func testPagingDownAndUpByKey() throws {
        let world = try ConsoleWorld(width: 80, height: 24)
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        let top = try XCTUnwrap(posts(world).selectedPost)
        world.press(.pageDown, .pageDown, .char("j"))
        XCTAssertNotEqual(try posts(world).selectedPost?.id, top.id)
        world.press(.pageUp, .pageUp, .pageUp, .char("g"))
        XCTAssertEqual(try posts(world).selectedPost?.id, top.id)
    }

    // MARK: Comments

    func testHideAndUnhideAComment() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"), .char("f"))  // visible only
        let screen = try XCTUnwrap(world.app.activeScreen as? CommentsScreen)
        let comment = try XCTUnwrap(screen.selectedComment)
        XCTAssertEqual(comment.status, .visible)
        world.press(.enter)  // the detail view; actions apply to the comment shown
        world.press(.char("h"))
        XCTAssertEqual(try world.comment(id: comment.id)?.status, .hidden)
        XCTAssertTrue(try world.events(.contentModerated).contains { $0.details["comment"] == String(comment.id) && $0.client == "console" })
        XCTAssertTrue(world.screenText.contains("hidden"))
        world.press(.char("h"))
        XCTAssertEqual(try world.comment(id: comment.id)?.status, .visible)
        world.command("hide")
        XCTAssertEqual(try world.comment(id: comment.id)?.status, .hidden)
    }

    func testDeleteACommentAfterConfirmation() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"))
        let screen = try XCTUnwrap(world.app.activeScreen as? CommentsScreen)
        let comment = try XCTUnwrap(screen.selectedComment)
        world.press(.char("x"), .char("y"))
        XCTAssertNil(try world.comment(id: comment.id))
    }

    func testOpenCommentsFromAPostShowsTheIndentedThread() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let post = try world.post(titled: "Welcome to the team blog")
        world.press(.char("3"), .char("s"))  // oldest first: the welcome post is on top
        XCTAssertEqual(try posts(world).selectedPost?.id, post.id)
        world.press(.char("c"))
        XCTAssertEqual(world.app.activeIndex, 3)
        let comments = try XCTUnwrap(world.app.activeScreen as? CommentsScreen)
        XCTAssertTrue(comments.isShowingThread)
        XCTAssertTrue(world.screenText.contains("Thread of post \(post.id)"))
        // The thread was a drill-down from the post: Esc goes back to it, not to the queue.
        world.press(.escape)
        XCTAssertEqual(world.app.activeIndex, 2)
        XCTAssertEqual(try posts(world).selectedPost?.id, post.id)
        // Reached by its digit, the Comments tab's own Esc leaves the thread.
        world.press(.char("4"), .escape)
        XCTAssertFalse(comments.isShowingThread)
    }

    func testThreadOrderPutsRepliesUnderTheirParents() {
        let items: [(id: Int64, parent: Int64?)] = [(1, nil), (2, nil), (3, 1), (4, 3), (5, 2), (6, 99)]
        let rows = CommentsScreen.threadOrder(items, id: \.id, parent: \.parent)
        XCTAssertEqual(rows.map(\.item.id), [1, 3, 4, 2, 5, 6])
        XCTAssertEqual(rows.map(\.depth), [0, 1, 2, 0, 1, 0])
    }

    // MARK: Users

    func testAdminResetsAPasswordAndSeesItOnce() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search user@steward.test")
        let users = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        XCTAssertEqual(users.selectedUser?.email, "user@steward.test")
        world.press(.char("r"))
        XCTAssertTrue(world.app.isConfirming)
        world.press(.char("y"))
        let message = try XCTUnwrap(world.app.alertMessage)
        let password = try XCTUnwrap(message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.count == 20 })
        let services = world.services
        let session = try BlockingCall.run { try await services.auth.consoleSignIn(email: "user@steward.test", password: password) }
        XCTAssertEqual(session.principalAtSignIn.email, "user@steward.test")
        XCTAssertEqual(try world.events(.passwordReset).first?.client, "console")
        world.press(.enter)
        XCTAssertNil(world.app.alertMessage, "the password is shown only once")
        XCTAssertFalse(world.screenText.contains(password))
    }

    func testAdminDeactivatesAndActivates() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search user@steward.test")
        world.press(.char("a"), .char("y"))  // deactivating asks first
        XCTAssertEqual(try world.user(email: "user@steward.test")?.isActive, false)
        world.press(.char("a"))
        XCTAssertEqual(try world.user(email: "user@steward.test")?.isActive, true)
    }

    func testAdminEditsRolesWithTheCheckboxList() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search user@steward.test")
        world.press(.char("e"))
        XCTAssertTrue(world.screenText.contains("[x] user"), world.screenText)
        // Roles in order: admin, moderator, user (as the role service lists them).
        let names = try XCTUnwrap(world.role("moderator")).name
        XCTAssertEqual(names, "moderator")
        let order = world.screenText.split(separator: "\n").compactMap { line -> String? in
            for role in ["admin", "moderator", "user"] where line.contains("] \(role)") { return role }
            return nil
        }
        let moderatorIndex = try XCTUnwrap(order.firstIndex(of: "moderator"))
        for _ in 0..<moderatorIndex { world.press(.char("j")) }
        world.press(.char(" "), .enter)
        XCTAssertEqual(try world.user(email: "user@steward.test")?.roles, ["moderator", "user"])
        XCTAssertFalse(try world.events(.roleChange).isEmpty)
    }

    func testAdminRevokesSessionsAndOpensUserWithSecurityEvents() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search admin@steward.test")
        world.press(.enter)
        XCTAssertTrue(world.screenText.contains("SUCCESSFUL_LOGIN"), world.screenText)
        world.press(.escape)
        world.command("search user@steward.test")
        world.press(.char("v"), .char("y"))
        let events = try world.events(.userUpdate)
        XCTAssertTrue(events.contains { $0.details["change"] == "sessions revoked" })
    }

    func testModeratorIsNotOfferedPasswordResetAndForcingItIsDeniedAndAudited() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let users = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        XCTAssertFalse(world.app.allHints.hints.contains { $0.action.contains("reset password") })
        XCTAssertFalse(world.app.allHints.hints.contains { $0.action.contains("edit roles") })
        world.press(.char("?"))
        XCTAssertFalse(world.screenText.contains("reset password"))
        world.press(.escape)
        let target = try XCTUnwrap(users.selectedUser)
        world.command("reset-password")
        world.press(.char("y"))
        XCTAssertTrue(world.screenText.contains("You do not have the permission users:reset-password."), world.screenText)
        let denied = try world.events(.permissionDenied)
        XCTAssertTrue(denied.contains { $0.details["permission"] == "users:reset-password" && $0.client == "console" && $0.details["target"] == String(target.id) })
    }

    func testUserRoleSeesNoUsersAndCannotModerate() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.user)
        XCTAssertTrue(world.screenText.contains("users:read"))
        world.press(.char("3"))
        XCTAssertFalse(world.app.allHints.hints.contains { $0.action == "publish" })
        XCTAssertTrue(try world.events(.permissionDenied).isEmpty, "nothing is tried that the account lacks")
    }

    // MARK: Roles

    func testRoleMatrixToggleAndSave() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("2"))
        let screen = try XCTUnwrap(world.app.activeScreen as? RolesScreen)
        XCTAssertFalse(screen.roles.isEmpty)
        let column = try XCTUnwrap(screen.roles.firstIndex { $0.name == "user" })
        for _ in 0..<column { world.press(.char("l")) }
        // users:read is row 12 of Permission.all.
        let row = try XCTUnwrap(Permission.all.firstIndex { $0.name == "users:read" })
        for _ in 0..<row { world.press(.char("j")) }
        world.press(.char(" "))
        XCTAssertEqual(screen.changedRoles, ["user"])
        XCTAssertTrue(world.screenText.contains("unsaved: user"))
        world.press(.char("w"))
        XCTAssertTrue(try XCTUnwrap(world.role("user")).permissions.contains("users:read"))
        XCTAssertEqual(screen.changedRoles, [])
    }

    // MARK: Global

    func testBackupAndExportFromTheCommandLine() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let backup = world.folder.appendingPathComponent("copy.sqlite").path
        world.command("backup \(backup)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup), world.screenText)
        let export = world.folder.appendingPathComponent("users.csv").path
        world.command("export users csv \(export)")
        let csv = try String(contentsOfFile: export, encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("id,email,firstName,lastName,isActive,roles,createdAt\r\n"))
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count, 16, "a header, 14 users and the empty rest after the last CRLF")
        // The command line writes the very same bytes: one implementation.
        let services = world.services
        let fromCommandLine = try BlockingCall.run { () -> Data in
            let collected = CollectedBytes()
            _ = try await services.exports.export(.commandLine, .users, format: .csv, to: .stream { collected.append($0) })
            return collected.data
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: export)), fromCommandLine)
        world.command("export users csv \(export)")
        XCTAssertTrue(world.app.currentMessage?.contains("already exists") == true, world.app.currentMessage ?? "")
        world.command("export users csv \(export) --force")
        XCTAssertTrue(world.app.currentMessage?.hasPrefix("Exported 14 users") == true, world.app.currentMessage ?? "")
        XCTAssertEqual(try world.events(.export).count, 3, "users, security events, users again")
        XCTAssertEqual(try world.events(.backup).first?.client, "console")
        let jsonl = world.folder.appendingPathComponent("events.jsonl").path
        world.command("export security-events jsonl \(jsonl)")
        XCTAssertTrue(try String(contentsOfFile: jsonl, encoding: .utf8).contains("\"event\":\"SUCCESSFUL_LOGIN\""))
    }

    func testModeratorBackupIsDeniedByTheService() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let backup = world.folder.appendingPathComponent("copy.sqlite").path
        world.command("backup \(backup)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: backup))
        XCTAssertTrue(world.screenText.contains("server:control"))
        XCTAssertTrue(try world.events(.permissionDenied).contains { $0.details["permission"] == "server:control" })
    }

    func testListenerKeyAndThemeCommandAndQuit() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("S"))
        XCTAssertEqual(world.listener.status, .running(host: "127.0.0.1", port: 8080))
        world.expireMessages()
        XCTAssertTrue(world.screenText.contains("HTTP 127.0.0.1:8080 · 3.5 req/s"), world.screenText)
        world.command("stop")
        XCTAssertEqual(world.listener.status, .off)
        world.command("theme light")
        XCTAssertEqual(world.app.theme.name, "light")
        world.command("theme nope")
        // The same lookup as --theme: the built-ins, and an error that lists them.
        XCTAssertTrue(world.screenText.contains("nope: no such theme; the themes are default, high-contrast, light, monochrome"), world.screenText)
        world.command("frobnicate")
        XCTAssertTrue(world.screenText.contains("Unknown command :frobnicate"))
        XCTAssertEqual(world.press(.char("q")), .quit)
    }

    func testListenerStartAndStopAreAudited() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("S"))
        world.command("stop")
        XCTAssertEqual(try world.events(.listenerStarted).first?.details["address"], "127.0.0.1:8080")
        XCTAssertEqual(try world.events(.listenerStarted).first?.client, "console")
        XCTAssertEqual(try world.events(.listenerStopped).count, 1)
    }

    // MARK: The session is checked on every action

    /// Signs a moderator in, lets `change` act on the account from outside the console,
    /// then presses publish: the service refuses, nothing changes, and the console is back
    /// at its sign-in screen saying why.
    private func assertConsoleSentBackToSignIn(because expected: String, _ change: (ConsoleWorld, User) throws -> Void) throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"), .char("f"))
        let draft = try XCTUnwrap(posts(world).selectedPost)
        let moderator = try XCTUnwrap(try world.user(email: ConsoleWorld.moderator.0))
        try change(world, moderator)
        let deniedBefore = try world.events(.permissionDenied).count
        world.press(.char("p"))
        XCTAssertEqual(try world.post(id: draft.id)?.status, .draft, "nothing was changed")
        XCTAssertEqual(world.app.phase, .signIn)
        XCTAssertTrue(world.screenText.contains("Your session has ended"), world.screenText)
        XCTAssertTrue(world.screenText.contains(expected), world.screenText)
        XCTAssertEqual(try world.events(.permissionDenied).count, deniedBefore + 1)
        // Signing in again works when the account still may.
    }

    func testDeactivationFromElsewhereSendsTheConsoleBackToSignIn() throws {
        try assertConsoleSentBackToSignIn(because: "deactivated") { world, moderator in
            let services = world.services
            _ = try BlockingCall.run { try await services.users.update(.commandLine, id: moderator.id, isActive: false) }
        }
    }

    func testARoleChangeFromElsewhereSendsTheConsoleBackToSignIn() throws {
        try assertConsoleSentBackToSignIn(because: "roles") { world, moderator in
            let services = world.services
            _ = try BlockingCall.run { try await services.users.setRoles(.commandLine, id: moderator.id, roles: ["user"]) }
        }
    }

    func testAPasswordResetFromElsewhereSendsTheConsoleBackToSignIn() throws {
        try assertConsoleSentBackToSignIn(because: "password") { world, moderator in
            let services = world.services
            _ = try BlockingCall.run { try await services.users.resetPassword(.commandLine, id: moderator.id) }
        }
    }

    func testRevokedSessionsSendTheConsoleBackToSignIn() throws {
        try assertConsoleSentBackToSignIn(because: "sessions") { world, moderator in
            let services = world.services
            try BlockingCall.run { try await services.users.revokeSessions(.commandLine, id: moderator.id) }
        }
    }

    func testLosingAPermissionSendsTheConsoleBackToSignIn() throws {
        try assertConsoleSentBackToSignIn(because: "permissions changed") { world, _ in
            let services = world.services
            let kept = BuiltinRoles.moderatorPermissions.map(\.name).filter { $0 != Permission.usersRead.name }
            _ = try BlockingCall.run { try await services.roles.setPermissions(.commandLine, role: "moderator", permissions: kept) }
        }
    }

    /// A page fetch is service work like an action: when the session ended meanwhile, the
    /// console goes back to sign-in, whichever table asked.
    func testAPageFetchThatFindsTheSessionEndedReturnsToSignIn() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        XCTAssertNotNil(try posts(world).selectedPost)
        let moderator = try XCTUnwrap(try world.user(email: ConsoleWorld.moderator.0))
        let services = world.services
        _ = try BlockingCall.run { try await services.users.update(.commandLine, id: moderator.id, isActive: false) }
        world.press(.char("f"))  // drafts only: a new first page, nothing else
        XCTAssertEqual(world.app.phase, .signIn)
        XCTAssertTrue(world.screenText.contains("Your session has ended"), world.screenText)
        XCTAssertTrue(world.screenText.contains("deactivated"), world.screenText)
    }

    func testModeratorCannotStartTheListener() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("S"))
        XCTAssertEqual(world.listener.status, .off)
        XCTAssertFalse(world.app.allHints.hints.contains { $0.key == "S" })
    }

    func testTabKeysAndMouse() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.tab)
        XCTAssertEqual(world.app.activeIndex, 1)
        world.press(.backTab, .backTab)
        XCTAssertEqual(world.app.activeIndex, world.app.screens.count - 1)
        world.press(.char("3"))
        let screen = try posts(world)
        let first = try XCTUnwrap(screen.selectedPost)
        // Row 0 tab bar, 1 title, 2 table header, 3 first row: click the third row.
        world.press(.mouse(MouseEvent(x: 10, y: 5, kind: .press)))
        XCTAssertNotEqual(screen.selectedPost?.id, first.id)
        world.press(.mouse(MouseEvent(x: 10, y: 10, kind: .wheelDown)))
        // A click on the tab bar's "1 Users" switches tabs.
        world.press(.mouse(MouseEvent(x: 11, y: 0, kind: .press)))
        XCTAssertEqual(world.app.activeIndex, 0)
    }
}

/// Bytes a stream export hands over, in order.
final class CollectedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    var data: Data { lock.withLock { bytes } }
    func append(_ chunk: Data) { lock.withLock { bytes.append(chunk) } }
}

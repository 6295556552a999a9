import Foundation
import XCTest
@testable import StewardConsole
import StewardCore

/// `:` commands act on the id typed, not on the row under the cursor; the destructive ones
/// ask as their keys do; a word a command does not take is an error, never ignored.
final class ConsoleCommandTests: XCTestCase {
    private func posts(_ world: ConsoleWorld) throws -> PostsScreen {
        try XCTUnwrap(world.app.activeScreen as? PostsScreen)
    }

    /// The welcome post is the oldest, so on the newest-first Posts tab it is not selected.
    private func unselectedPost(_ world: ConsoleWorld) throws -> (selected: Post, other: Post) {
        world.press(.char("3"))
        let selected = try XCTUnwrap(posts(world).selectedPost)
        let other = try world.post(titled: "Welcome to the team blog")
        XCTAssertNotEqual(selected.id, other.id)
        return (selected, other)
    }

    func testPostCommandsActOnTheTypedID() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let (selected, other) = try unselectedPost(world)
        world.command("archive \(other.id)")
        XCTAssertEqual(try world.post(id: other.id)?.status, .archived)
        XCTAssertEqual(try world.post(id: selected.id)?.status, selected.status, "the selected post is left alone")
        world.command("draft \(other.id)")
        XCTAssertEqual(try world.post(id: other.id)?.status, .draft)
        world.command("publish \(other.id)")
        XCTAssertEqual(try world.post(id: other.id)?.status, .published)

        world.command("open \(other.id)")
        XCTAssertTrue(try posts(world).isShowingDetail)
        XCTAssertTrue(world.screenText.contains("Post \(other.id)"), world.screenText)
    }

    func testDeleteByIDAsksNamingThatPost() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let (selected, other) = try unselectedPost(world)
        world.command("delete \(other.id)")
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertTrue(world.screenText.contains("Delete post \(other.id) “Welcome to the team blog”"), world.screenText)
        world.press(.enter)  // the safe button
        XCTAssertNotNil(try world.post(id: other.id))
        world.command("delete \(other.id)")
        world.press(.char("y"))
        XCTAssertNil(try world.post(id: other.id))
        XCTAssertNotNil(try world.post(id: selected.id))
    }

    func testUnknownAndMalformedIDsAreSaid() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let (selected, _) = try unselectedPost(world)
        world.command("delete 999999")
        XCTAssertFalse(world.app.isConfirming, "nothing is asked about a post that does not exist")
        XCTAssertEqual(world.app.currentMessage, "There is no post 999999.")
        world.command("publish 999999")
        XCTAssertEqual(world.app.currentMessage, "There is no post 999999.")
        world.command("publish abc")
        XCTAssertEqual(world.app.currentMessage, "`abc` is not a post id")
        world.command("archive 1 2")
        XCTAssertEqual(world.app.currentMessage, "`:archive` takes at most one post id")
        world.command("delete --x")
        XCTAssertEqual(world.app.currentMessage, "unknown argument --x")
        XCTAssertFalse(world.app.isConfirming)
        XCTAssertEqual(try world.post(id: selected.id)?.status, selected.status)
    }

    func testCommentCommandsActOnTheTypedID() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"), .char("f"))  // visible only
        let screen = try XCTUnwrap(world.app.activeScreen as? CommentsScreen)
        let selected = try XCTUnwrap(screen.selectedComment)
        world.press(.char("j"))
        let other = try XCTUnwrap(screen.selectedComment)
        world.press(.char("k"))
        XCTAssertEqual(screen.selectedComment?.id, selected.id)

        world.command("hide \(other.id)")
        XCTAssertEqual(try world.comment(id: other.id)?.status, .hidden)
        XCTAssertEqual(try world.comment(id: selected.id)?.status, .visible)
        world.command("unhide \(other.id)")
        XCTAssertEqual(try world.comment(id: other.id)?.status, .visible)

        world.command("delete \(other.id)")
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertTrue(world.screenText.contains("Delete comment \(other.id)"), world.screenText)
        world.press(.char("y"))
        XCTAssertNil(try world.comment(id: other.id))
        XCTAssertNotNil(try world.comment(id: selected.id))

        world.command("hide 999999")
        XCTAssertEqual(world.app.currentMessage, "There is no comment 999999.")
        world.command("thread 999999")
        XCTAssertEqual(world.app.currentMessage, "There is no post 999999.")
        world.command("thread x")
        XCTAssertEqual(world.app.currentMessage, "`x` is not a post id")
    }

    func testUserCommandsActOnTheTypedID() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let target = try XCTUnwrap(world.user(email: ConsoleWorld.user.0))
        let screen = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        XCTAssertNotEqual(screen.selectedUser?.id, target.id)
        world.command("deactivate \(target.id)")
        XCTAssertTrue(world.app.confirmationMessage?.hasPrefix("Deactivate \(ConsoleWorld.user.0)?") == true, world.app.confirmationMessage ?? "")
        world.press(.char("y"))
        XCTAssertEqual(try world.user(email: ConsoleWorld.user.0)?.isActive, false)
        XCTAssertEqual(try world.user(email: ConsoleWorld.admin.0)?.isActive, true)
        world.command("open \(target.id)")
        XCTAssertTrue(screen.isShowingDetail)
        XCTAssertTrue(world.screenText.contains("User \(target.id)"), world.screenText)
        world.command("unlock 999999")
        XCTAssertEqual(world.app.currentMessage, "There is no user 999999.")
    }

    func testAppCommandsRefuseWhatTheyDoNotTake() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("theme")
        XCTAssertEqual(world.app.currentMessage, "`:theme` takes one name (default, high-contrast, light, monochrome)")
        world.command("theme light dark")
        XCTAssertEqual(world.app.currentMessage, "`:theme` takes one name (default, high-contrast, light, monochrome)")
        XCTAssertEqual(world.app.theme.name, "monochrome")
        world.command("quit now")
        XCTAssertEqual(world.app.currentMessage, "`:quit` takes no arguments")
        XCTAssertEqual(world.press(.tick), .unchanged, "the console did not quit")
        world.command("export users csv out.csv --x")
        XCTAssertEqual(world.app.currentMessage, "unknown argument --x")
        world.command("serve --x")
        XCTAssertEqual(world.app.currentMessage, "unknown argument --x")
        world.command("serve --port nope")
        XCTAssertEqual(world.app.currentMessage, "--port takes a port number from 1 to 65535")
        XCTAssertEqual(world.listener.status, .off)
    }

    func testTabCompletesOnTheCommandLine() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char(":"))
        world.type("them")
        world.press(.tab)
        world.type("li")
        world.press(.tab, .enter)
        XCTAssertEqual(world.app.theme.name, "light")
        world.press(.char(":"))
        world.type("export sec")
        world.press(.tab)
        world.type("cs")
        world.press(.tab)
        XCTAssertTrue(world.screenText.contains(":export security-events csv"), world.screenText)
        world.press(.escape)
        // The visible tab's commands complete too: Posts has publish, Users does not.
        world.press(.char("3"), .char(":"))
        world.type("pub")
        world.press(.tab)
        XCTAssertTrue(world.screenText.contains(":publish"), world.screenText)
    }

    func testServeOnAChosenPort() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("serve --port 9090")
        XCTAssertEqual(world.listener.status, .running(host: "127.0.0.1", port: 9090))
        XCTAssertEqual(try world.events(.listenerStarted).first?.details["address"], "127.0.0.1:9090")
        world.command("serve --port 9191")
        XCTAssertTrue(world.app.currentMessage?.contains(":stop it before choosing another port") == true, world.app.currentMessage ?? "")
        XCTAssertEqual(world.listener.status, .running(host: "127.0.0.1", port: 9090))
    }
}

/// Tab on the `:` line.
final class CommandCompletionTests: XCTestCase {
    private let names = ["archive", "comments", "delete", "draft", "export", "open", "publish", "quit", "theme"]

    private func candidates(_ command: String, _ position: Int) -> [String] {
        switch (command, position) {
        case (_, 0): return names
        case ("theme", 1): return ["default", "high-contrast", "light", "monochrome"]
        default: return []
        }
    }

    func testOneCandidateCompletesWithASpace() {
        var completion = CommandCompletion()
        XCTAssertEqual(completion.complete("pu", candidates: candidates), "publish ")
        XCTAssertEqual(completion.complete("theme l", candidates: candidates), "theme light ")
        XCTAssertNil(completion.complete("zz", candidates: candidates))
        XCTAssertNil(completion.complete("publish 4", candidates: candidates), "ids are not completed")
    }

    func testSeveralCandidatesShareTheirPrefixThenCycle() {
        var completion = CommandCompletion()
        // delete and draft share only the d typed: Tab shows each in turn.
        XCTAssertEqual(completion.complete("d", candidates: candidates), "delete")
        XCTAssertEqual(completion.complete("delete", candidates: candidates), "draft")
        XCTAssertEqual(completion.complete("draft", candidates: candidates), "delete")
        XCTAssertEqual(completion.complete("theme high", candidates: candidates), "theme high-contrast ")
        var line = "theme "
        var seen: [String] = []
        for _ in 0..<5 {
            line = completion.complete(line, candidates: candidates) ?? line
            seen.append(line)
        }
        XCTAssertEqual(seen, ["theme default", "theme high-contrast", "theme light", "theme monochrome", "theme default"])
        XCTAssertEqual(completion.complete("co", candidates: candidates), "comments ")
    }
}

/// Keys whose dialog the account may not use say why instead of opening it.
final class ConsoleRefusalTests: XCTestCase {
    func testModeratorKeysSayWhichPermissionIsMissing() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let screen = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        let user = try XCTUnwrap(screen.selectedUser)
        world.press(.char("r"))
        XCTAssertFalse(world.app.isConfirming)
        XCTAssertEqual(world.app.currentMessage, "Your account lacks users:reset-password")
        world.press(.char("e"))
        XCTAssertFalse(screen.capturesInput, "no roles dialog opened")
        XCTAssertEqual(world.app.currentMessage, "Your account lacks roles:assign")
        world.press(.char("v"))
        XCTAssertFalse(world.app.isConfirming)
        XCTAssertEqual(world.app.currentMessage, "Your account lacks users:update")
        world.press(.char("a"))
        XCTAssertEqual(world.app.currentMessage, "Your account lacks users:update")
        XCTAssertEqual(try world.user(email: user.email)?.isActive, user.isActive)
    }

    func testRolesTabTellsAModeratorWhatTheyCanDo() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("2"))
        let screen = try XCTUnwrap(world.app.activeScreen as? RolesScreen)
        let message = screen.notAllowedMessage
        XCTAssertTrue(message.hasPrefix("The permission matrix needs roles:read, and your roles (moderator) do not give it."), message)
        XCTAssertTrue(message.contains("posts:publish"), message)
        XCTAssertFalse(message.contains("roles:update"), message)
        XCTAssertTrue(world.screenText.contains("roles:read"), world.screenText)
    }
}

/// What cannot be taken back easily is asked first.
final class ConsoleConfirmationTests: XCTestCase {
    func testDeactivatingAUserAsksFirst() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search \(ConsoleWorld.user.0)")
        world.press(.char("a"))
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertTrue(world.screenText.contains("Deactivate \(ConsoleWorld.user.0)?"), world.screenText)
        world.press(.enter)  // the safe button
        XCTAssertEqual(try world.user(email: ConsoleWorld.user.0)?.isActive, true)
        world.press(.char("a"), .char("y"))
        XCTAssertEqual(try world.user(email: ConsoleWorld.user.0)?.isActive, false)
        world.press(.char("a"))  // activating back is not asked
        XCTAssertFalse(world.app.isConfirming)
        XCTAssertEqual(try world.user(email: ConsoleWorld.user.0)?.isActive, true)
    }

    func testDroppingYourOwnAdminRoleAsksFirst() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search \(ConsoleWorld.admin.0)")
        world.command("roles moderator")
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertTrue(world.screenText.contains("Remove the admin role from your own account?"), world.screenText)
        world.press(.enter)  // keep admin
        XCTAssertEqual(try world.user(email: ConsoleWorld.admin.0)?.roles, ["admin"])
        world.command("roles admin,moderator")
        XCTAssertFalse(world.app.isConfirming, "keeping admin is not asked")
        XCTAssertEqual(try world.user(email: ConsoleWorld.admin.0)?.roles.sorted(), ["admin", "moderator"])
    }

    func testQuitAsksWhileTheListenerRunsOrRolesAreUnsaved() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("S"))
        XCTAssertNotEqual(world.press(.char("q")), .quit)
        XCTAssertEqual(world.app.confirmationMessage, "Quit the console? The HTTP listener on 127.0.0.1:8080 stops.")
        world.press(.char("n"))
        XCTAssertFalse(world.app.isConfirming)
        world.command("stop")

        world.press(.char("2"), .char(" "))  // grant a permission, unsaved
        world.command("quit")
        XCTAssertTrue(world.app.isConfirming)
        XCTAssertEqual(world.app.confirmationMessage, "Quit the console? Unsaved changes to the admin role are lost.")
        XCTAssertEqual(world.press(.char("y")), .quit)
    }

    func testQuitWithNothingToLoseIsImmediate() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        XCTAssertEqual(world.press(.char("q")), .quit)
    }
}

/// The title row of a filtered table says how many items match, as far as the pages read
/// tell.
final class ConsoleMatchCountTests: XCTestCase {
    private func count(_ world: ConsoleWorld, status: PostStatus) throws -> Int {
        let services = world.services
        return try BlockingCall.run {
            try await services.posts.list(.commandLine, PostService.ListRequest(status: status, limit: 100)).items.count
        }
    }

    func testMatchCountIsExactOnceThePagesReachTheEnd() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"))
        XCTAssertFalse(world.screenText.contains("matches"), "no count without a filter")
        for _ in 0..<4 where !world.screenText.contains("status: visible") { world.press(.char("f")) }
        let services = world.services
        let visible = try BlockingCall.run {
            var count = 0
            var cursor: String?
            repeat {
                let page = try await services.comments.moderationQueue(.commandLine, status: .visible, text: nil, limit: 100, cursor: cursor, oldestFirst: false)
                count += page.items.count
                cursor = page.nextCursor
            } while cursor != nil
            return count
        }
        XCTAssertGreaterThan(visible, 50, "more visible comments than the first fetch reads")
        let first = world.screenText
        let partial = try XCTUnwrap(first.firstMatch(of: /status: visible · (\d+)\+ matches/), first)
        XCTAssertLessThan(Int(partial.1)!, visible)
        for _ in 0..<20 { world.press(.pageDown) }
        XCTAssertTrue(world.screenText.contains("status: visible · \(visible) matches"), world.screenText)
    }

    func testAFilterThatFitsOnePageIsCountedAtOnce() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        for _ in 0..<4 where !world.screenText.contains("status: draft") { world.press(.char("f")) }
        let drafts = try count(world, status: .draft)
        XCTAssertTrue(world.screenText.contains("status: draft · \(drafts) match"), world.screenText)
    }
}

/// `role:` and `active:` on the Users tab's `/` line.
final class UserFilterWordsTests: XCTestCase {
    func testFilterWordsAreSplitFromTheText() throws {
        let words = try UserFilterWords("ada role:admin active:no lovelace")
        XCTAssertEqual(words, try UserFilterWords("ada lovelace role:admin active:no"))
        XCTAssertEqual(words.text, "ada lovelace")
        XCTAssertEqual(words.role, "admin")
        XCTAssertEqual(words.isActive, false)
        XCTAssertEqual(try UserFilterWords("active:yes").isActive, true)
        XCTAssertNil(try UserFilterWords("active:yes").text)
        XCTAssertThrowsError(try UserFilterWords("active:maybe"))
        XCTAssertThrowsError(try UserFilterWords("role:"))
    }

    func testUsersTabFiltersByRoleAndActive() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.command("search role:moderator")
        let screen = try XCTUnwrap(world.app.activeScreen as? UsersScreen)
        var text = world.screenText
        XCTAssertTrue(text.contains("moderator@steward.test"), text)
        XCTAssertFalse(text.contains("priya.raman@steward.test"), text)  // an admin
        world.command("search active:no")
        text = world.screenText
        XCTAssertEqual(screen.selectedUser?.isActive, false, text)
        XCTAssertFalse(text.contains("moderator@steward.test"), text)
        world.command("search active:maybe")
        XCTAssertTrue(world.screenText.contains("active: takes yes or no"), world.screenText)
    }
}

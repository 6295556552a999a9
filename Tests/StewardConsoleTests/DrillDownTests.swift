import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// Drill-down (`>` and its go-to menu) and the way back (Esc, a stack), and bulk actions on
/// rows marked with Space, driven key by key on the demo set.
final class DrillDownTests: XCTestCase {
    private func screen<Screen>(_ world: ConsoleWorld, as type: Screen.Type) throws -> Screen {
        try XCTUnwrap(world.app.activeScreen as? Screen, "the active tab is \(String(describing: world.app.activeScreen?.title))")
    }

    /// The comment the queue shows first (the newest), with its post and author.
    private func newestComment(_ world: ConsoleWorld) throws -> Comment {
        let services = world.services
        return try XCTUnwrap(BlockingCall.run { try await services.comments.moderationQueue(.commandLine, limit: 1).items.first })
    }

    func testCommentToPostToAuthorToSessionsAndBackThreeTimes() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let comment = try newestComment(world)
        world.press(.char("4"), .enter)
        XCTAssertEqual(try screen(world, as: CommentsScreen.self).location, .comment(comment.id))

        world.press(.char(">"))
        XCTAssertEqual(world.app.goToChoices, ["p post \(comment.postID)", "a author \(comment.author.name)", "t the thread of post \(comment.postID)"])
        world.press(.char("p"))
        XCTAssertEqual(world.app.activeIndex, 2)
        XCTAssertEqual(try screen(world, as: PostsScreen.self).location, .post(comment.postID))
        let post = try XCTUnwrap(world.post(id: comment.postID))

        world.press(.char(">"), .char("a"))
        XCTAssertEqual(world.app.activeIndex, 0)
        XCTAssertEqual(try screen(world, as: UsersScreen.self).location, .user(post.author.id))
        XCTAssertTrue(world.screenText.contains("User \(post.author.id)"))

        world.press(.char(">"), .char("s"))
        XCTAssertEqual(try screen(world, as: UsersScreen.self).location, .sessions(userID: post.author.id))
        XCTAssertTrue(world.screenText.contains("Sessions of user \(post.author.id)"))
        XCTAssertEqual(world.app.backDepth, 3)

        world.press(.escape)
        XCTAssertEqual(try screen(world, as: UsersScreen.self).location, .user(post.author.id))
        world.press(.escape)
        XCTAssertEqual(world.app.activeIndex, 2)
        XCTAssertEqual(try screen(world, as: PostsScreen.self).location, .post(comment.postID))
        world.press(.escape)
        XCTAssertEqual(world.app.activeIndex, 3)
        XCTAssertEqual(try screen(world, as: CommentsScreen.self).location, .comment(comment.id))
        XCTAssertEqual(world.app.backDepth, 0)
        // With nothing left to go back to, Esc is the tab's own again: the queue.
        world.press(.escape)
        XCTAssertNil(try screen(world, as: CommentsScreen.self).location)
    }

    func testAPostInFullShowsItsCommentThread() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        let comment = try newestComment(world)
        world.press(.char("3"))
        world.command("open \(comment.postID)")
        // The post's body ends with its thread: each comment's id, author and text.
        for _ in 0..<20 { world.press(.pageDown) }
        let text = world.screenText
        XCTAssertTrue(text.contains("Comments ("), text)
        XCTAssertTrue(text.contains("#\(comment.id) \(comment.author.name)"), text)
    }

    func testAUserLeadsToTheirPostsCommentsAndEvents() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let admin = try XCTUnwrap(world.user(email: ConsoleWorld.admin.0))
        world.command("open \(admin.id)")
        world.press(.char(">"))
        XCTAssertEqual(world.app.goToChoices, ["p their posts", "c their comments", "s their sessions", "e their security events (Audit)"])

        world.press(.char("p"))
        let posts = try screen(world, as: PostsScreen.self)
        XCTAssertEqual(posts.location, .posts(authorID: admin.id, name: admin.displayName))
        XCTAssertTrue(world.screenText.contains("by \(admin.displayName)"))
        let listed = try BlockingCall.run { [services = world.services] in
            try await services.posts.list(.commandLine, PostService.ListRequest(authorID: admin.id, limit: 100)).items
        }
        XCTAssertFalse(listed.isEmpty)
        XCTAssertEqual(posts.selectedPost?.id, listed.first?.id)
        XCTAssertTrue(listed.allSatisfy { $0.author.id == admin.id })

        world.press(.escape, .char(">"), .char("c"))
        let comments = try screen(world, as: CommentsScreen.self)
        XCTAssertEqual(comments.location, .comments(authorID: admin.id, name: admin.displayName))
        XCTAssertEqual(comments.selectedComment?.author.id, admin.id)

        world.press(.escape, .char(">"), .char("e"))
        let audit = try screen(world, as: AuditScreen.self)
        XCTAssertEqual(audit.location, .audit(filter: "user:\(admin.id)"))
        XCTAssertEqual(audit.selectedEvent?.userID, admin.id)

        // Back on the Users tab; the Audit tab is the whole trail again (the drill-down's
        // filter went when Esc left it), as its digit will show it.
        world.press(.escape)
        XCTAssertEqual(world.app.activeIndex, 0)
        XCTAssertNil(audit.location)
    }

    func testAnAuditEventLeadsToItsSubjectAndActor() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        let admin = try XCTUnwrap(world.user(email: ConsoleWorld.admin.0))
        let target = try XCTUnwrap(world.user(email: ConsoleWorld.user.0))
        // An event with both: the admin deactivates the user (and activates them again).
        world.command("deactivate \(target.id)")
        world.press(.char("y"))
        world.command("activate \(target.id)")
        world.press(.char("6"))
        world.command("filter actor:\(admin.id) user:\(target.id)")
        world.press(.enter)
        let audit = try screen(world, as: AuditScreen.self)
        let event = try XCTUnwrap(audit.selectedEvent)
        XCTAssertEqual(audit.location, .securityEvent(event.id))
        world.press(.char(">"))
        XCTAssertEqual(world.app.goToChoices, ["s the subject, user \(target.id)", "a the actor, user \(admin.id)"])
        world.press(.char("a"))
        XCTAssertEqual(try screen(world, as: UsersScreen.self).location, .user(admin.id))
        world.press(.escape)
        XCTAssertEqual(audit.location, .securityEvent(event.id))
        world.press(.char(">"), .char("s"))
        XCTAssertEqual(try screen(world, as: UsersScreen.self).location, .user(target.id))
    }

    func testTheMenuOffersOnlyWhatTheAccountMaySee() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.user)  // no users:read: no author to go to
        world.press(.char("3"), .char(">"))
        let choices = try XCTUnwrap(world.app.goToChoices)
        XCTAssertEqual(choices.count, 1)
        XCTAssertTrue(choices[0].hasPrefix("t the comment thread"))
        world.press(.escape)
        XCTAssertNil(world.app.goToChoices)
        XCTAssertEqual(world.app.backDepth, 0)
    }

    func testNothingSelectedSaysSoAndATabDigitStartsAFreshWalk() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("2"), .char(">"))
        XCTAssertNil(world.app.goToChoices)
        XCTAssertEqual(world.app.currentMessage, "Nothing to go to from here: select a row first")
        world.press(.char("3"), .enter, .char(">"), .char("a"))
        XCTAssertEqual(world.app.backDepth, 1)
        world.press(.char("3"))
        XCTAssertEqual(world.app.backDepth, 0)
    }

    func testAMissingTargetIsSaidAndTheWayBackStaysWhole() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("4"), .enter)
        let comment = try XCTUnwrap(try screen(world, as: CommentsScreen.self).selectedComment)
        // The post goes away between the menu and the drill-down.
        let services = world.services
        try BlockingCall.run { try await services.posts.delete(.commandLine, id: comment.postID) }
        world.press(.char(">"), .char("p"))
        XCTAssertEqual(world.app.currentMessage, "There is no post \(comment.postID).")
        world.press(.escape)
        XCTAssertEqual(world.app.activeIndex, 3)
    }

    // MARK: Bulk actions

    func testSpaceMarksCommentsAndOneConfirmationHidesThemAll() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"))
        let comments = try screen(world, as: CommentsScreen.self)
        var marked: [Int64] = []
        for _ in 0..<3 {
            marked.append(try XCTUnwrap(comments.selectedID))
            world.press(.char(" "))
        }
        XCTAssertEqual(comments.browse.marked, marked)
        XCTAssertTrue(world.screenText.contains("3 marked"))
        world.press(.char("h"))
        XCTAssertEqual(world.app.confirmationMessage, "Hide the 3 marked comments? They can be shown again with h.")
        world.press(.char("y"))
        for id in marked { XCTAssertEqual(try world.comment(id: id)?.status, .hidden) }
        XCTAssertEqual(world.app.currentMessage, "Hid 3 of 3 comments")
        XCTAssertTrue(comments.browse.marked.isEmpty)
        XCTAssertEqual(try world.events(.contentModerated).count, 3, "each comment is audited on its own")
    }

    func testABulkActionSaysWhatFailedAndDoesTheRest() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        let posts = try screen(world, as: PostsScreen.self)
        let first = try XCTUnwrap(posts.selectedPost)
        world.press(.char(" "))
        let second = try XCTUnwrap(posts.selectedPost)
        world.press(.char(" "))
        // One of the two is archived already: archiving it again is no change.
        let services = world.services
        let actor = Caller.commandLine
        if first.status != .archived { _ = try BlockingCall.run { try await services.posts.archive(actor, id: first.id) } }
        world.press(.char("a"), .char("y"))
        XCTAssertEqual(try world.post(id: second.id)?.status, .archived)
        let message = try XCTUnwrap(world.app.currentMessage)
        XCTAssertTrue(message.hasPrefix("Archived 1 of 2 posts; post \(first.id): "), message)
    }

    func testEscUnmarksBeforeItClearsTheFilter() throws {
        let world = try ConsoleWorld()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("4"), .char("f"), .char(" "), .char(" "))
        let comments = try screen(world, as: CommentsScreen.self)
        XCTAssertEqual(comments.browse.marked.count, 2)
        world.press(.escape)
        XCTAssertTrue(comments.browse.marked.isEmpty)
        XCTAssertNotNil(comments.browse.filter.status)
        world.press(.escape)
        XCTAssertNil(comments.browse.filter.status)
    }
}

/// The Logs tab's drill-down: from a request line to its user and to every line of the
/// request, and back to the tail.
final class LogsDrillDownTests: XCTestCase {
    func testARequestLineLeadsToItsUserAndItsRequest() throws {
        let world = try LogsScreenTests.LogsWorld()
        let screen = world.screen
        _ = world.render(width: 120, height: 36)
        // The last request line of the fill with a user is req-12 (userId 7).
        while screen.selectedEntry?.entry.metadata["requestId"] != "req-12" { world.press(.char("k")) }
        XCTAssertEqual(screen.relatedPlaces, [
            RelatedPlace("u", "user 7", .user(7)),
            RelatedPlace("r", "every line of request req-12", .logs(filter: "request:req-12")),
        ])
        _ = screen.update(.show(.logs(filter: "request:req-12")))
        XCTAssertEqual(screen.visible.map { $0.entry.metadata["requestId"] }, ["req-12"])
        XCTAssertEqual(screen.location, .logs(filter: "request:req-12"))
        // `request:` is the exact id: req-1 does not match req-12.
        _ = screen.update(.show(.logs(filter: "request:req-1")))
        XCTAssertEqual(screen.visible.map { $0.entry.metadata["requestId"] }, ["req-1"])
        _ = screen.update(.show(nil))
        XCTAssertNil(screen.location)
        XCTAssertTrue(screen.isFollowing)
    }
}

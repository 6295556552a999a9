import XCTest
@testable import StewardCore

final class PostServiceTests: XCTestCase {
    func testPostRulesReportEveryField() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        do {
            _ = try await world.services.posts.create(author, title: "Hey", content: "short", status: "live",
                                                      tags: Array(repeating: "x", count: 11))
            XCTFail("expected bad input")
        } catch let error as StewardError {
            XCTAssertEqual(Set(error.fieldErrors.map(\.field)), ["title", "content", "status", "tags"])
        }
    }

    func testContentThatCleansDownToTooLittleIsRefused() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        await XCTAssertThrowsKind(.badInput) {
            _ = try await world.services.posts.create(author, title: "Sneaky script", content: "<script>alert('a long payload')</script>ok")
        }
    }

    func testContentIsSanitizedOnWrite() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let post = try await world.services.posts.create(
            author, title: "  Cleaned  title\u{7} ", content: #"<p onclick="x()">Hello <a href="javascript:alert(1)">there</a> friend</p><script>bad()</script>"#)
        XCTAssertEqual(post.title, "Cleaned  title")
        XCTAssertFalse(post.content.contains("onclick"))
        XCTAssertFalse(post.content.contains("javascript"))
        XCTAssertFalse(post.content.contains("script"))
    }

    func testTitlesAreUniquePerAuthorCaseInsensitively() async throws {
        let world = try TestWorld()
        let alice = try await world.actor("user")
        let bob = try await world.actor("user")
        let body = "<p>Some body text that is long enough.</p>"
        _ = try await world.services.posts.create(alice, title: "Straße Notes", content: body)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.posts.create(alice, title: "STRASSE notes".lowercased().replacingOccurrences(of: "ss", with: "ß").capitalized, content: body) }
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.posts.create(alice, title: "straße notes", content: body) }
        _ = try await world.services.posts.create(bob, title: "Straße Notes", content: body)
    }

    func testDailyLimitCountsDeletedPostsAndComesBeforeTheTitleCheck() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let body = "<p>Some body text that is long enough.</p>"
        var first: Post?
        for n in 1...10 {
            let post = try await world.services.posts.create(author, title: "Post number \(n)", content: body)
            if n == 1 { first = post }
            world.clock.advance(60)
        }
        try await world.services.posts.delete(author, id: first!.id)
        do {
            // A duplicate title too: the limit answers first (429 before 409).
            _ = try await world.services.posts.create(author, title: "Post number 2", content: body)
            XCTFail("expected the daily limit")
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .throttled)
            XCTAssertEqual(error.retryAfter, 86_400 - 600)
        }
        // Bad input still answers before the limit.
        await XCTAssertThrowsKind(.badInput) { _ = try await world.services.posts.create(author, title: "x", content: body) }
        world.clock.advance(86_400)
        _ = try await world.services.posts.create(author, title: "Post number 11", content: body)
    }

    func testFullTextSearchMatchesVisibleTextNotMarkup() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        _ = try await world.services.posts.create(author, title: "Replication lag", content: "<p><strong>Replicas</strong> fell behind.</p>", status: "published")
        _ = try await world.services.posts.create(author, title: "Other topic", content: "<p><strong>Nothing</strong> to see here.</p>", status: "published")
        let hits = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(text: "replica"))
        XCTAssertEqual(hits.items.map(\.title), ["Replication lag"])
        let markup = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(text: "strong"))
        XCTAssertTrue(markup.items.isEmpty)
        // FTS syntax in user input is just text.
        _ = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(text: "\"unbalanced OR NEAR("))
    }

    func testLimitOutsideOneToHundredIsBadInput() async throws {
        let world = try TestWorld()
        await XCTAssertThrowsKind(.badInput) { _ = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(limit: 0)) }
        await XCTAssertThrowsKind(.badInput) { _ = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(limit: 101)) }
    }

    func testCommentsThreadOnTheSamePostOnly() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let a = try await world.services.posts.create(author, title: "First post", content: "<p>Body of the first post.</p>", status: "published")
        let b = try await world.services.posts.create(author, title: "Second post", content: "<p>Body of the second post.</p>", status: "published")
        let parent = try await world.services.comments.create(author, postID: a.id, content: "Top level")
        let reply = try await world.services.comments.create(author, postID: a.id, content: "A reply", parentID: parent.id)
        XCTAssertEqual(reply.parentID, parent.id)
        await XCTAssertThrowsKind(.notFound) { _ = try await world.services.comments.create(author, postID: b.id, content: "Wrong post", parentID: parent.id) }
        await XCTAssertThrowsKind(.badInput) { _ = try await world.services.comments.create(author, postID: a.id, content: "   ") }
        await XCTAssertThrowsKind(.badInput) { _ = try await world.services.comments.create(author, postID: a.id, content: String(repeating: "x", count: 2001)) }
        let thread = try await world.services.comments.thread(.anonymous(client: "t"), postID: a.id)
        XCTAssertEqual(thread.items.map(\.id), [parent.id, reply.id])
        // Deleting the parent takes its replies with it.
        try await world.services.comments.delete(author, id: parent.id)
        let value1 = try await world.services.comments.thread(.anonymous(client: "t"), postID: a.id).items.isEmpty
        XCTAssertTrue(value1)
    }

    func testOneAuthorsCommentsArePagedByKeyAndNeedCommentsHide() async throws {
        let world = try TestWorld()
        let ada = try await world.actor("user")
        let bob = try await world.actor("user")
        let moderator = try await world.actor("moderator")
        let post = try await world.services.posts.create(ada, title: "A post to talk under", content: "<p>Talk below.</p>", status: "published")
        var adas: [Int64] = []
        for index in 0..<5 {
            adas.append(try await world.services.comments.create(ada, postID: post.id, content: "Ada says \(index)").id)
            _ = try await world.services.comments.create(bob, postID: post.id, content: "Bob says \(index)")
        }
        let adaID = try XCTUnwrap(ada.principal?.userID)
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try await world.services.comments.moderationQueue(moderator, authorID: adaID, limit: 2, cursor: cursor)
            XCTAssertTrue(page.items.allSatisfy { $0.author.id == adaID })
            seen += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        XCTAssertEqual(seen, adas.reversed(), "newest first, every one once")
        let oldestFirst = try await world.services.comments.moderationQueue(moderator, authorID: adaID, limit: 10, oldestFirst: true)
        XCTAssertEqual(oldestFirst.items.map(\.id), adas)
        // One author's comments across posts are the moderation queue's: comments:hide.
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.comments.moderationQueue(bob, authorID: adaID) }
    }

    /// A user lists the published posts and their own drafts, merged in one
    /// newest-first order, page after page, every post once: the two keyset reads the store
    /// makes for "published or mine" agree with the rule.
    func testAUserPagesThroughPublishedPostsAndTheirOwnInOneOrder() async throws {
        let world = try TestWorld()
        let me = try await world.actor("user")
        let other = try await world.actor("user")
        var visible: [Int64] = []
        for index in 0..<12 {
            world.clock.advance(60)
            let author = index % 3 == 0 ? me : other
            let status = index % 2 == 0 ? "draft" : "published"
            let post = try await world.services.posts.create(author, title: "Post number \(index) here", content: "<p>Body of post \(index).</p>", status: status)
            if post.status == .published || author.principal?.userID == me.principal?.userID { visible.append(post.id) }
        }
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try await world.services.posts.list(me, PostService.ListRequest(limit: 2, cursor: cursor))
            seen += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        XCTAssertEqual(seen, visible.reversed(), "newest first, exactly the published posts and mine")
        var oldestFirst: [Int64] = []
        cursor = nil
        repeat {
            let page = try await world.services.posts.list(me, PostService.ListRequest(limit: 3, cursor: cursor, ascending: true))
            oldestFirst += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        XCTAssertEqual(oldestFirst, visible)
    }
}

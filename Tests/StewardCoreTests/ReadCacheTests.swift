import XCTest
@testable import StewardCore
import StewardStore

/// The cache of post pages: answers again only while nothing was committed, so a write by
/// this process or another is seen by the next read, and every caller gets what its
/// visibility allows.
final class ReadCacheTests: XCTestCase {
    private let body = "<p>Some body text that is long enough.</p>"

    func testAnEntryAnswersOnlyAtTheVersionItWasReadAt() async throws {
        let cache = ReadCache<String, Int>(capacity: 4)
        var reads = 0
        let first = await cache.value(for: "a", version: 1) { reads += 1; return 10 }
        let again = await cache.value(for: "a", version: 1) { reads += 1; return 11 }
        XCTAssertEqual([first, again, reads], [10, 10, 1])
        let after = await cache.value(for: "a", version: 2) { reads += 1; return 12 }
        XCTAssertEqual([after, reads], [12, 2])
        XCTAssertEqual(cache.count, 1, "a new version empties what the old one kept")
        let unversioned = await cache.value(for: "a", version: nil) { reads += 1; return 13 }
        XCTAssertEqual([unversioned, reads, cache.count], [13, 3, 1], "without a version nothing is answered or kept")
    }

    func testAValueReadBeforeTheVersionMovedIsNotKept() {
        let cache = ReadCache<String, Int>(capacity: 4)
        XCTAssertNil(cache.value(for: "a", at: 1))
        XCTAssertNil(cache.value(for: "b", at: 2))   // someone saw a commit meanwhile
        cache.keep(1, for: "a", readAt: 1)
        XCTAssertNil(cache.value(for: "a", at: 2))
        XCTAssertEqual(cache.count, 0)
    }

    func testItHoldsAtMostItsCapacity() {
        let cache = ReadCache<Int, Int>(capacity: 3)
        XCTAssertNil(cache.value(for: 0, at: 7))
        for key in 0..<10 { cache.keep(key, for: key, readAt: 7) }
        XCTAssertEqual(cache.count, 3)
        XCTAssertEqual(cache.value(for: 9, at: 7), 9, "the newest entry is kept")
    }

    func testItHoldsAtMostItsBudgetOfBytes() {
        let cache = ReadCache<Int, String>(capacity: 100, budget: 10) { $0.utf8.count }
        XCTAssertNil(cache.value(for: 0, at: 1))
        cache.keep("12345", for: 1, readAt: 1)
        cache.keep("12345", for: 2, readAt: 1)
        XCTAssertEqual([cache.count, cache.heldCost], [2, 10])
        cache.keep("123", for: 3, readAt: 1)
        XCTAssertEqual(cache.value(for: 3, at: 1), "123")
        XCTAssertLessThanOrEqual(cache.heldCost, 10, "older entries made room")
        cache.keep("12345678901", for: 4, readAt: 1)
        XCTAssertNil(cache.value(for: 4, at: 1), "larger than the whole budget: not kept")
        cache.keep("1", for: 3, readAt: 1)
        XCTAssertEqual(cache.value(for: 3, at: 1), "1", "a key kept again replaces its entry")
        XCTAssertEqual(cache.heldCost, cache.count == 2 ? 6 : 1)
    }

    func testManyLongPagesStayWithinTheBudget() async throws {
        try skipOnPostgres("PostgreSQL keeps no page cache")
        let world = try TestWorld()
        let author = try await world.actor("admin")
        let long = "<p>" + String(repeating: "A long paragraph of a post. ", count: 350) + "</p>"
        for n in 0..<30 {
            _ = try await world.services.posts.create(author, title: "Long post number \(n)", content: long, status: "published")
            world.clock.advance(9_000)
        }
        let pages = world.services.context.postPages
        var asked = 0
        // Each limit is a page of its own, for each of two visibilities: ~85 MB of pages.
        for limit in 31...100 {
            for caller in [Caller.anonymous(client: "t"), author] {
                let page = try await world.services.posts.list(caller, .init(limit: limit))
                asked += page.items.reduce(0) { $0 + 2 * ($1.title.utf8.count + $1.content.utf8.count) }
                XCTAssertLessThanOrEqual(pages.heldCost, pages.budget)
            }
        }
        XCTAssertGreaterThan(asked, 2 * pages.budget, "the pages asked for are far more than the budget")
        XCTAssertGreaterThan(pages.count, 20, "and the cache still keeps what fits")
    }

    func testTheSecondListIsAnsweredFromMemoryWithTheSameRendering() async throws {
        try skipOnPostgres("PostgreSQL keeps no page cache")
        let world = try TestWorld()
        let author = try await world.actor("user")
        _ = try await world.services.posts.create(author, title: "Cached page post", content: body, status: "published")
        let first = try await world.services.posts.list(.anonymous(client: "t"), .init(limit: 5))
        let second = try await world.services.posts.list(.anonymous(client: "t"), .init(limit: 5))
        XCTAssertEqual(first, second)
        XCTAssertNotNil(first.rendering)
        XCTAssertTrue(first.rendering === second.rendering, "one page, one place for its JSON")
        XCTAssertEqual(world.services.context.postPages.count, 1)
    }

    func testAWriteIsSeenByTheNextList() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let reader = Caller.anonymous(client: "t")
        let post = try await world.services.posts.create(author, title: "First version", content: body, status: "published")
        let seen1 = try await world.services.posts.list(reader, .init(limit: 5)).items.map(\.title)
        XCTAssertEqual(seen1, ["First version"])
        _ = try await world.services.posts.update(author, id: post.id, title: "Second version")
        let seen2 = try await world.services.posts.list(reader, .init(limit: 5)).items.map(\.title)
        XCTAssertEqual(seen2, ["Second version"])
        try await world.services.posts.delete(author, id: post.id)
        let seen3 = try await world.services.posts.list(reader, .init(limit: 5)).items
        XCTAssertEqual(seen3, [])
    }

    func testAnotherProcessesWriteIsSeenByTheNextList() async throws {
        try skipOnPostgres("two stores over one SQLite file stand for two processes")
        let world = try TestWorld()
        let author = try await world.actor("user")
        let reader = Caller.anonymous(client: "t")
        let post = try await world.services.posts.create(author, title: "Before the console", content: body, status: "published")
        let seen4 = try await world.services.posts.list(reader, .init(limit: 5)).items.map(\.status)
        XCTAssertEqual(seen4, [.published])
        // A second set of services over the same file, as the console in another process.
        let other = try Services.open(config: StewardConfig.testing(databaseIn: world.folder), commonPasswords: try CommonPasswords.builtIn)
        defer { try? other.close() }
        let admin = try await world.actor("admin")
        let session = try await other.auth.login(email: admin.principal!.email, password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let otherAdmin = Caller(try await other.auth.authenticate(accessToken: session.accessToken), client: "console")
        _ = try await other.posts.archive(otherAdmin, id: post.id)
        let seen5 = try await world.services.posts.list(reader, .init(limit: 5)).items
        XCTAssertEqual(seen5, [], "the archived post is gone at once")
    }

    func testEachVisibilityHasItsOwnPages() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let stranger = try await world.actor("user")
        let moderator = try await world.actor("admin")
        _ = try await world.services.posts.create(author, title: "Still a draft", content: body)
        let query = PostService.ListRequest(limit: 5)
        for _ in 0..<2 {
            let seen6 = try await world.services.posts.list(.anonymous(client: "t"), query).items.count
            XCTAssertEqual(seen6, 0)
            let seen7 = try await world.services.posts.list(stranger, query).items.count
            XCTAssertEqual(seen7, 0)
            let seen8 = try await world.services.posts.list(author, query).items.count
            XCTAssertEqual(seen8, 1)
            let seen9 = try await world.services.posts.list(moderator, query).items.count
            XCTAssertEqual(seen9, 1)
        }
    }

    func testChangingAPageDropsItsRendering() {
        var page = Page<Int>(items: [1], nextCursor: nil)
        page.rendering = Rendering()
        var edited = page
        edited.items.append(2)
        XCTAssertNil(edited.rendering)
        var moved = page
        moved.nextCursor = "x"
        XCTAssertNil(moved.rendering)
        XCTAssertNotNil(page.rendering)
    }

    func testARenderingIsMadeOnce() {
        let rendering = Rendering()
        var made = 0
        XCTAssertEqual(rendering.value { made += 1; return "json" }, "json")
        XCTAssertEqual(rendering.value { made += 1; return "other" }, "json")
        XCTAssertEqual(made, 1)
    }
}

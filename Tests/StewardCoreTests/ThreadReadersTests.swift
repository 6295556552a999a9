import Foundation
import GRDB
import Synchronization
import XCTest
@testable import StewardCore
@testable import StewardStore

/// The read-only connections each thread reads on (``ThreadReaders``), and the one-statement
/// read of a post that uses them.
final class ThreadReadersTests: XCTestCase {
    /// A post read by id carries its tags, sorted, as the same post on a page does; a post
    /// without tags has none. (Both backends: the SQLite store gathers them in one statement.)
    func testOnePostCarriesTheTagsItsPageShows() async throws {
        let world = try TestWorld()
        let author = try await world.actor("user")
        let tagged = try await world.services.posts.create(author, title: "Tagged post", content: "<p>Some tagged words.</p>",
                                                           status: "published", tags: ["Zeta", "alpha", "mid dle", "émoji 🎉"])
        let bare = try await world.services.posts.create(author, title: "Bare post", content: "<p>No tags on this one.</p>", status: "published")
        let read = try await world.services.posts.get(author, id: tagged.id)
        XCTAssertEqual(read.tags, ["alpha", "mid dle", "zeta", "émoji 🎉"])
        let page = try await world.services.posts.list(author, PostService.ListRequest(limit: 10))
        XCTAssertEqual(page.items.first { $0.id == tagged.id }?.tags, read.tags)
        let bareRead = try await world.services.posts.get(author, id: bare.id)
        XCTAssertEqual(bareRead.tags, [])
        XCTAssertEqual(read, page.items.first { $0.id == tagged.id })
    }

    private func sqliteStore(_ world: TestWorld) throws -> SQLiteStore {
        try skipOnPostgres("the SQLite store's own connections")
        return try XCTUnwrap(world.services.store as? SQLiteStore)
    }

    /// A read on a thread's connection sees what the pool's writer committed before it.
    func testThreadConnectionSeesEveryCommitThatReturned() async throws {
        let world = try TestWorld()
        let store = try sqliteStore(world)
        let author = try await world.actor("user")
        let post = try await world.services.posts.create(author, title: "Before the edit", content: "<p>Original words.</p>", status: "published")
        let first = try await store.post(id: post.id)
        XCTAssertEqual(first?.title, "Before the edit")
        for round in 1...20 {
            _ = try await world.services.posts.update(author, id: post.id, title: "Edit number \(round)")
            let read = try await store.post(id: post.id)
            XCTAssertEqual(read?.title, "Edit number \(round)")
        }
    }

    /// The connections only read: a write through one fails and changes nothing.
    func testThreadConnectionsAreReadOnly() async throws {
        let world = try TestWorld()
        let store = try sqliteStore(world)
        _ = try await world.actor("user")
        do {
            try await store.readLatest { db in try db.execute(sql: "DELETE FROM users") }
            XCTFail("a thread's connection wrote")
        } catch let error as StewardError {
            XCTAssertTrue(error.underlying?.contains("readonly") == true, error.description)
        }
        let users = try await store.readLatest { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") }
        XCTAssertEqual(users, 1)
    }

    /// More threads than slots: every read is answered correctly, threads sharing a slot
    /// wait for each other, and no more connections open than there are slots.
    func testManyThreadsShareTheSlots() async throws {
        let world = try TestWorld()
        let store = try sqliteStore(world)
        let author = try await world.actor("user")
        var posts: [Post] = []
        for n in 0..<8 {
            posts.append(try await world.services.posts.create(author, title: "Post number \(n)", content: "<p>Body of post \(n).</p>",
                                                               status: "published", tags: ["tag\(n)"]))
        }
        let expected = posts
        let wrong = Mutex(0)
        let threads = 40
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                for round in 0..<50 {
                    let want = expected[(thread + round) % expected.count]
                    let got = try? store.readers.read { db in try SQLiteStore.post(db, id: want.id) }
                    if got != want { wrong.withLock { $0 += 1 } }
                }
            }
        }
        done.wait()
        XCTAssertEqual(wrong.withLock { $0 }, 0)
        XCTAssertLessThanOrEqual(store.readers.openCount, 16)
        XCTAssertGreaterThan(store.readers.openCount, 1)
    }

    /// Once the store is closed, a read fails with an error rather than opening the file again.
    func testReadsFailAfterClose() async throws {
        let world = try TestWorld()
        let store = try sqliteStore(world)
        let one = try await store.readLatest { db in try Int.fetchOne(db, sql: "SELECT 1") }
        XCTAssertEqual(one, 1)
        try store.close()
        do {
            _ = try await store.readLatest { db in try Int.fetchOne(db, sql: "SELECT 1") }
            XCTFail("read after close")
        } catch let error as StewardError {
            XCTAssertTrue(error.underlying?.contains("closed") == true, error.description)
        }
        XCTAssertEqual(store.readers.openCount, 0)
    }
}

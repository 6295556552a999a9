import Foundation
import XCTest
@testable import StewardCore
@testable import StewardStore

final class StoreTests: XCTestCase {
    func testMigrationsFromEmptyAndRerun() throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("m.sqlite").path
        let store = try SQLiteStore(path: path, migrate: false)
        XCTAssertTrue(try store.migrationStatus().allSatisfy { !$0.applied })
        XCTAssertEqual(try store.migrate(), ["v1-schema", "v1-builtin-roles", "v1-search", "v2-sessions", "v3-audit-actor", "v4-auth-epoch"])
        XCTAssertEqual(try store.migrate(), [])
        XCTAssertTrue(try store.migrationStatus().allSatisfy(\.applied))
        try store.close()
        let reopened = try SQLiteStore(path: path)
        XCTAssertEqual(try reopened.integrityCheck(ofCopyAt: path), "ok")
    }

    func testAuditTrailIsAppendOnly() async throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let world = try TestWorld()
        _ = try await world.services.store.insertSecurityEvent(
            Store.NewSecurityEvent(event: .logout, userID: nil, actorID: nil, client: "t", details: [:]), now: world.clock.now)
        let pool = (world.services.store as! SQLiteStore).pool
        func run(_ sql: String) throws { try pool.write { db in try db.execute(sql: sql) } }
        XCTAssertThrowsError(try run("DELETE FROM security_events"))
        XCTAssertThrowsError(try run("UPDATE security_events SET client = 'x'"))
    }

    func testKeysetPagesHaveNoGapsOrDuplicatesWhileRowsAreInserted() async throws {
        let world = try TestWorld()
        let authors = [try await world.actor("user"), try await world.actor("user"), try await world.actor("user"), try await world.actor("user")]
        var expected: [Int64] = []
        for n in 0..<30 {
            let post = try await world.services.posts.create(authors[n % 4], title: "Post \(n) of the series", content: "<p>Body number \(n) here.</p>", status: "published")
            expected.append(post.id)
            world.clock.advance(1)
        }
        var seen: [Int64] = []
        var cursor: String?
        var inserted = 0
        repeat {
            let page = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(limit: 7, cursor: cursor))
            seen += page.items.map(\.id)
            cursor = page.nextCursor
            // New rows arrive meanwhile; they are newer than every row listed, so the walk
            // neither repeats nor skips anything that existed when it started.
            if inserted < 3 {
                _ = try await world.services.posts.create(authors[inserted], title: "Late arrival \(inserted)", content: "<p>Arrived during the walk.</p>", status: "published")
                inserted += 1
                world.clock.advance(1)
            }
        } while cursor != nil
        XCTAssertEqual(seen, expected.reversed())
        XCTAssertEqual(Set(seen).count, seen.count)
    }

    func testPostListUsesIndexesNotSorts() async throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let world = try TestWorld()
        for visibility in [Store.PostVisibility.any, .published] {
            let plan = try await world.services.store.explainPostList(Store.PostQuery(limit: 20, cursor: Store.cursor(createdAt: Date(timeIntervalSince1970: 1_790_000_000), id: 500)), visibility: visibility).joined(separator: "\n")
            XCTAssertTrue(plan.contains("USING INDEX"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
        }
    }

    /// The Audit tab's common filters walk an index in id order and stop after a page: no
    /// sort, whatever the other filters (client, time range, cursor) add.
    func testSecurityEventFiltersUseIndexesNotSorts() async throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let world = try TestWorld()
        let month = Date(timeIntervalSince1970: 1_790_000_000)
        let cases: [(Store.SecurityEventQuery, String)] = [
            (.init(limit: 100), "SCAN security_events"),
            (.init(event: .failedLogin, client: "http", since: month, until: month.addingTimeInterval(86_400), limit: 100,
                   cursor: Store.cursor(afterID: 500)), "security_events_event"),
            (.init(subjectID: 12, limit: 100, ascending: true), "security_events_user"),
            (.init(actorID: 1, client: "console", limit: 100), "security_events_actor"),
        ]
        for (query, index) in cases {
            let plan = try await world.services.store.explainSecurityEventList(query).joined(separator: "\n")
            XCTAssertTrue(plan.contains(index), "\(query): \(plan)")
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "\(query): \(plan)")
        }
    }

    func testBadCursorIsBadInput() async throws {
        let world = try TestWorld()
        await XCTAssertThrowsKind(.badInput) {
            _ = try await world.services.posts.list(.anonymous(client: "t"), PostService.ListRequest(cursor: "not-a-cursor"))
        }
    }

    func testBackupWhileWritingPassesIntegrityCheck() async throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let world = try TestWorld()
        let author = try await world.actor("user")
        let store = world.services.store
        let services = world.services
        let postID = try await Self.anyPost(services, author)
        let writer = Task.detached {
            for n in 0..<200 {
                _ = try await services.comments.create(author, postID: postID, content: "Comment \(n)")
            }
        }
        let target = world.folder.appendingPathComponent("backup.sqlite").path
        try await Task.sleep(nanoseconds: 20_000_000)
        try store.backup(to: target)
        try await writer.value
        let copy = try SQLiteStore(path: target, migrate: false)
        XCTAssertEqual(try copy.integrityCheck(ofCopyAt: target), "ok")
        XCTAssertTrue(try copy.migrationStatus().allSatisfy(\.applied))
    }

    static func anyPost(_ services: Services, _ author: Caller) async throws -> Int64 {
        if let post = try await services.posts.list(author, PostService.ListRequest(limit: 1)).items.first { return post.id }
        return try await services.posts.create(author, title: "Backup target", content: "<p>Something to comment on.</p>", status: "published").id
    }

    func testTimestampsRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_790_000_000.123)
        XCTAssertEqual(Timestamp.string(date), "2026-09-21T14:13:20.123Z")
        XCTAssertEqual(Timestamp.parse("2026-09-21T14:13:20.123Z")!.timeIntervalSince1970, 1_790_000_000.123, accuracy: 0.0005)
        XCTAssertEqual(Timestamp.parse("2026-09-21T16:13:20+02:00")!.timeIntervalSince1970, 1_790_000_000)
        XCTAssertEqual(Timestamp.parse("1970-01-01")!.timeIntervalSince1970, 0)
        XCTAssertNil(Timestamp.parse("2026-13-01"))
        XCTAssertNil(Timestamp.parse("yesterday"))
    }

    func testGeneratedSeedIsDeterministic() async throws {
        try skipOnPostgres("SQLite store internals; PostgresStoreTests has the PostgreSQL side")
        let world = try TestWorld()
        let report = try world.services.store.seedGenerated(Store.GeneratedVolumes(users: 5, posts: 50, comments: 120, seed: 7),
                                                           passwordHash: "x", now: world.clock.now, progress: nil)
        XCTAssertEqual(report.posts, 50)
        let first = try await world.services.store.listPosts(Store.PostQuery(limit: 100), visibility: .any)
        let other = try TestWorld()
        _ = try other.services.store.seedGenerated(Store.GeneratedVolumes(users: 5, posts: 50, comments: 120, seed: 7), passwordHash: "x", now: world.clock.now, progress: nil)
        let second = try await other.services.store.listPosts(Store.PostQuery(limit: 100), visibility: .any)
        XCTAssertEqual(first.items.map(\.title), second.items.map(\.title))
        let value1 = try await world.services.store.userCount()
        XCTAssertEqual(value1, 5)
    }
}

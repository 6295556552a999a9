import Foundation
import XCTest
@testable import StewardCore
import StewardModel
@testable import StewardPostgres

/// What only PostgreSQL needs proving: writers are not serialized, several instances share
/// one database, and the database itself keeps the audit trail append-only. Runs when the
/// suites run on PostgreSQL (`STEWARD_TEST_BACKEND=postgres`, as `make test` does).
final class PostgresStoreTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(testingOnPostgres, "runs on PostgreSQL only (STEWARD_TEST_BACKEND=postgres)")
    }

    /// A second instance on the world's database (its own pool, cache and listener).
    private func secondInstance(of world: TestWorld, configure: (inout StewardConfig) -> Void = { _ in }) throws -> Services {
        var config = world.services.config
        configure(&config)
        let clock = world.clock
        return try Services.open(config: config, commonPasswords: try CommonPasswords.builtIn, now: { clock.now })
    }

    private func store(_ services: Services) throws -> PostgresStore {
        try XCTUnwrap(services.store as? PostgresStore)
    }

    func testTheAuditTrailRefusesUpdateDeleteAndTruncateInTheDatabase() async throws {
        let world = try TestWorld()
        _ = try await world.services.store.insertSecurityEvent(
            Store.NewSecurityEvent(event: .logout, userID: nil, actorID: nil, client: "t", details: [:]), now: world.clock.now)
        let postgres = try store(world.services)
        for statement in ["UPDATE security_events SET client = 'forged'", "DELETE FROM security_events", "TRUNCATE security_events"] {
            XCTAssertThrowsError(try postgres.withOwnConnection { try $0.execute(statement) }, statement) { error in
                XCTAssertTrue(String(describing: error).contains("append-only") || (error as? StewardError)?.underlying?.contains("append-only") == true,
                              "\(statement): \(error)")
            }
        }
        let events = try await world.services.store.listSecurityEvents(Store.SecurityEventQuery())
        XCTAssertEqual(events.items.map(\.client), ["t"])
    }

    func testTwentyRotationsOfOneRefreshTokenOnTwoInstancesLetExactlyOneWin() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world)
        defer { try? other.close() }
        _ = try await world.services.users.create(.commandLine, email: "race@example.com", password: "Str0ng!Passphrase",
                                                  firstName: "Rae", lastName: "Race", roles: ["user"])
        let session = try await world.services.auth.login(email: "race@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let instances = [world.services, other]
        let wins = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<20 {
                let services = instances[n % 2]
                group.addTask { (try? await services.auth.refresh(refreshToken: session.refreshToken, caller: .anonymous(client: "t"))) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(wins, 1)
        let reuse = try await world.services.store.listSecurityEvents(Store.SecurityEventQuery(event: .tokenReuse))
        XCTAssertGreaterThanOrEqual(reuse.items.count, 1, "the losers are reuse")
        let open = try await world.services.store.activeSessionCount(userID: session.user.id, now: world.clock.now)
        XCTAssertEqual(open, 0, "the reuse revoked the family, the winner's new token with it")
    }

    func testTwentyParallelFailedLoginsOnTwoInstancesCountTwenty() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world) { $0.loginMaxFailures = 100 }
        defer { try? other.close() }
        let first = try secondInstance(of: world) { $0.loginMaxFailures = 100 }
        defer { try? first.close() }
        _ = try await world.services.users.create(.commandLine, email: "guess@example.com", password: "Str0ng!Passphrase",
                                                  firstName: "Gus", lastName: "Guess", roles: ["user"])
        let instances = [first, other]
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<20 {
                let services = instances[n % 2]
                group.addTask { _ = try? await services.auth.login(email: "guess@example.com", password: "Wrong!Passphrase\(n)", caller: .anonymous(client: "10.0.0.\(n)")) }
            }
        }
        let state = try await world.services.store.throttleState(key: "email:guess@example.com")
        XCTAssertEqual(state?.failures, 20)
    }

    func testFifteenParallelPostsByOneAuthorOnTwoInstancesCreateTen() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world)
        defer { try? other.close() }
        let author = try await world.actor("user")
        let instances = [world.services, other]
        let created = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<15 {
                let services = instances[n % 2]
                group.addTask {
                    (try? await services.posts.create(author, title: "Parallel post number \(n)", content: "<p>Written at the same time as the others.</p>")) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(created, 10)
        let count = try await world.services.store.postCount()
        XCTAssertEqual(count, 10)
    }

    func testALogoutOnOneInstanceIsRefusedAtOnceOnTheOther() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world)
        defer { try? other.close() }
        let actor = try await world.actor("user")
        let session = try await world.services.auth.login(email: actor.principal!.email, password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        // Warm the other instance's cache, twice so the second answer is from memory.
        _ = try await other.auth.authenticate(accessToken: session.accessToken)
        _ = try await other.auth.authenticate(accessToken: session.accessToken)
        try await world.services.auth.logout(Caller(try await world.services.auth.authenticate(accessToken: session.accessToken), client: "t"))
        // The notification reaches the other instance's listener asynchronously; the
        // commit is done when logout returns, so allow the listener a moment at most.
        var refused = false
        for _ in 0..<40 where !refused {
            do { _ = try await other.auth.authenticate(accessToken: session.accessToken); try await Task.sleep(for: .milliseconds(5)) } catch { refused = true }
        }
        XCTAssertTrue(refused, "the other instance still accepted the signed-out token after 200 ms")
    }

    func testInstancesStartingTogetherApplyTheMigrationsOnce() async throws {
        var shared = StewardConfig.testing(databaseIn: FileManager.default.temporaryDirectory)
        XCTAssertNotNil(shared.postgres)
        shared.databasePool = 2
        let config = shared
        let started = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await Offload.run { () -> Bool in
                        guard let services = try? Services.open(config: config, commonPasswords: try? CommonPasswords.builtIn) else { return false }
                        try? services.close()
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(started, 4)
        let services = try Services.open(config: config, commonPasswords: try CommonPasswords.builtIn)
        defer { try? services.close() }
        let rows = try store(services).withOwnConnection { connection in
            try connection.query("SELECT count(*), count(DISTINCT identifier) FROM steward_migrations")[0].decode((Int, Int).self)
        }
        XCTAssertEqual(rows.0, PostgresMigrations.all.count)
        XCTAssertEqual(rows.1, rows.0)
    }

    func testABackupIsAVerifiedPgDumpArchive() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        let report = try await world.services.operations.backup(admin, to: world.folder.path + "/")
        XCTAssertTrue(report.path.hasSuffix(".dump"), report.path)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: report.path)).readData(ofLength: 5)
        XCTAssertEqual(String(decoding: head, as: UTF8.self), "PGDMP", "pg_dump's custom format")
        let mode = try FileManager.default.attributesOfItem(atPath: report.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testSearchFindsWhatSQLiteFindsOnTheDemoSet() async throws {
        let world = try TestWorld()
        var sqliteConfig = StewardConfig.testing(databaseIn: world.folder)
        sqliteConfig.postgres = nil
        sqliteConfig.databasePath = world.folder.appendingPathComponent("compare.sqlite").path
        let sqlite = try Services.open(config: sqliteConfig, commonPasswords: try CommonPasswords.builtIn)
        defer { try? sqlite.close() }
        for services in [world.services, sqlite] {
            _ = try await services.operations.seedDemo(.commandLine)
        }
        var compared = 0
        for text in ["the", "café", "CAFE", "post", "guide", "rust swift", "don't", "ünïcödé", "a", "zzzz", "release notes", "séc", "sql"] {
            let query = Store.PostQuery(text: text, limit: 100)
            let onPostgres = try await world.services.store.listPosts(query, visibility: .any).items.map(\.title)
            let onSQLite = try await sqlite.store.listPosts(query, visibility: .any).items.map(\.title)
            XCTAssertEqual(onPostgres, onSQLite, "posts matching \(text)")
            let comments = Store.CommentQuery(postID: nil, includeHidden: true, text: text, limit: 100)
            let commentsOnPostgres = try await world.services.store.listComments(comments).items.map(\.content)
            let commentsOnSQLite = try await sqlite.store.listComments(comments).items.map(\.content)
            XCTAssertEqual(commentsOnPostgres, commentsOnSQLite, "comments matching \(text)")
            compared += onPostgres.count
        }
        XCTAssertGreaterThan(compared, 10, "the queries found something to compare")
    }

    /// The unfiltered lists keep one generic plan each (prepared statements), the others
    /// are planned for their values: each walks an index to the page and stops, from the
    /// top or from a deep cursor.
    func testTheSavedPlanOfEachPostListWalksAnIndex() async throws {
        let world = try TestWorld()
        let author = try await world.services.users.create(.commandLine, email: "plan@example.com", password: "Str0ng!Passphrase",
                                                           firstName: "Plan", lastName: "Walker", roles: ["user"])
        let quiet = try await world.services.users.create(.commandLine, email: "quiet@example.com", password: "Str0ng!Passphrase",
                                                          firstName: "Quiet", lastName: "Writer", roles: ["user"])
        let postgres = try store(world.services)
        try postgres.withOwnConnection { connection in
            try connection.execute("""
                INSERT INTO posts (author_id, title, title_key, content, status, created_at, updated_at)
                SELECT \(author.id), 'Post ' || g, 'post ' || g, 'Body', CASE WHEN g % 100 = 0 THEN 'archived' WHEN g % 3 = 0 THEN 'published' ELSE 'draft' END,
                       now() - g * interval '1 minute', now() - g * interval '1 minute'
                FROM generate_series(1, 20000) g
                """)
            try connection.execute("""
                INSERT INTO posts (author_id, title, title_key, content, status, created_at, updated_at)
                SELECT \(quiet.id), 'Quiet ' || g, 'quiet ' || g, 'Body', 'published', now() - g * interval '7 minutes', now()
                FROM generate_series(1, 50) g
                """)
            try connection.execute("ANALYZE posts")
        }
        // Halfway down, on the database's clock (the rows were written with its now()).
        let deep = Store.cursor(createdAt: Date().addingTimeInterval(-10_000 * 60), id: 10_000)
        let lists: [(Store.PostQuery, Store.PostVisibility, String)] = [
            (Store.PostQuery(limit: 20), .any, "posts_created"),
            (Store.PostQuery(limit: 20, cursor: deep), .any, "posts_created"),
            (Store.PostQuery(limit: 20), .published, "posts_published"),
            (Store.PostQuery(limit: 20, cursor: deep), .published, "posts_published"),
            (Store.PostQuery(status: .archived, limit: 20, cursor: deep), .any, "posts_status_created"),
            (Store.PostQuery(authorID: quiet.id, limit: 20, cursor: deep), .any, "posts_author_created"),
        ]
        for (query, visibility, index) in lists {
            let plan: String
            do { plan = try await world.services.store.explainPostList(query, visibility: visibility).joined(separator: "\n") } catch { XCTFail("\(query): \((error as? StewardError)?.underlying ?? "\(error)")"); continue }
            XCTAssertTrue(plan.contains("Index Scan Backward using \(index)"), "\(query): \(plan)")
            XCTAssertFalse(plan.contains("Sort Key: p.created_at"), "\(query): \(plan)")
            if query.cursor != nil {
                let conditions = plan.split(separator: "\n").filter { $0.contains("Index Cond:") && $0.contains("ROW(created_at, id) < ROW(") }
                XCTAssertFalse(conditions.isEmpty, "starts at the cursor: \(query): \(plan)")
            }
        }
    }

    func testABusyClientLeasesManyTokensInFewRoundTrips() async throws {
        let world = try TestWorld()
        let limit = RateLimit(requests: 1_000_000, windowSeconds: 3600)
        let instance = try secondInstance(of: world) { $0.rateLimit = limit }
        defer { try? instance.close() }
        // A deadline a slow machine cannot miss: this test counts round trips, not fallbacks.
        let limiter = SharedRateLimit(store: instance.store, limit: limit, deadline: .seconds(5))
        XCTAssertEqual(limiter.maxLease, 10_000)
        // 64 requests at a time, 20 each: the misses wait for one lease, and leases grow.
        let decisions = await withTaskGroup(of: [SharedRateLimit.Decision].self) { group in
            for _ in 0..<64 {
                group.addTask {
                    var decisions: [SharedRateLimit.Decision] = []
                    for _ in 0..<20 { decisions.append(await limiter.check("203.0.113.9")) }
                    return decisions
                }
            }
            return await group.reduce(into: [SharedRateLimit.Decision]()) { $0 += $1 }
        }
        XCTAssertEqual(decisions.filter { $0 == .allowed }.count, 1280)
        let roundTrips = limiter.roundTrips.load(ordering: .relaxed)
        XCTAssertLessThan(roundTrips, 40, "\(roundTrips) lease requests for 1,280 requests")
    }

    func testThreeInstancesSharingARateLimitAllowAtMostTheLimitPlusTheirLeases() async throws {
        let world = try TestWorld()
        let limit = RateLimit(requests: 200, windowSeconds: 3600)
        let second = try secondInstance(of: world) { $0.rateLimit = limit }
        defer { try? second.close() }
        let third = try secondInstance(of: world) { $0.rateLimit = limit }
        defer { try? third.close() }
        let first = try secondInstance(of: world) { $0.rateLimit = limit }
        defer { try? first.close() }
        // Each instance's limiter, with a deadline that a slow machine cannot miss: this test
        // is about the shared bound, not about falling back when the database is slow.
        let limiters = [first, second, third].map { SharedRateLimit(store: $0.store, limit: limit, deadline: .seconds(5)) }
        XCTAssertEqual(limiters[0].maxLease, 2)
        // Three instances at once, each taking 100 requests of one client in a row.
        let decisions = await withTaskGroup(of: [SharedRateLimit.Decision].self) { group in
            for limiter in limiters {
                group.addTask {
                    var decisions: [SharedRateLimit.Decision] = []
                    for _ in 0..<100 { decisions.append(await limiter.check("203.0.113.7")) }
                    return decisions
                }
            }
            return await group.reduce(into: [SharedRateLimit.Decision]()) { $0 += $1 }
        }
        let allowed = decisions.filter { $0 == .allowed }.count
        XCTAssertFalse(decisions.contains(.unavailable), "the shared bucket answered every time")
        // An instance that finishes its 100 requests may still hold what is left of its last
        // lease (at most `maxLease - 1`: it leased because a request needed one); those are
        // the only places that go unused.
        XCTAssertGreaterThanOrEqual(allowed, 200 - 3 * (limiters[0].maxLease - 1), "the whole allowance is usable across instances")
        XCTAssertLessThanOrEqual(allowed, 200 + 3 * limiters[0].maxLease, "at most the limit plus one lease per instance")
        // Another client has its own bucket.
        let other = await limiters[1].check("198.51.100.1")
        XCTAssertEqual(other, .allowed)
        if case .limited(let retryAfter) = await limiters[2].check("203.0.113.7") {
            XCTAssertGreaterThanOrEqual(retryAfter, 1)
        } else {
            XCTFail("the exhausted client is limited on every instance")
        }
    }

    func testTheCleanUpDeletesWhatExpiredAndRunsOnOneInstanceAtATime() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world)
        defer { try? other.close() }
        _ = try await world.services.users.create(.commandLine, email: "old@example.com", password: "Str0ng!Passphrase",
                                                  firstName: "Olga", lastName: "Old", roles: ["user"])
        let session = try await world.services.auth.login(email: "old@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        _ = try? await world.services.auth.login(email: "old@example.com", password: "Wr0ng!Passphrase", caller: .anonymous(client: "t"))
        let postgres = try store(world.services)
        // Now, nothing has expired.
        let early = try await postgres.cleanUpExpired(now: world.clock.now)
        XCTAssertEqual(early, 0)
        // Two days past the refresh token's lifetime, its row and the throttle row go.
        let later = world.clock.now.addingTimeInterval(Double(world.services.config.refreshTTL) + 2 * 86_400)
        let deleted = try await postgres.cleanUpExpired(now: later)
        XCTAssertEqual(deleted, 3, "the refresh token and the two throttle rows (the email's and the client's)")
        let family = try await world.services.store.refreshTokenFamily(tokenHash: "unused")
        XCTAssertNil(family)
        let throttle = try await world.services.store.throttleState(key: "email:old@example.com")
        XCTAssertNil(throttle)
        _ = session
        // While one instance holds the lock, the other skips its turn.
        let blocker = try store(other)
        let skipped = try await blocker.withConnection { connection -> Int? in
            try await connection.query("SELECT pg_advisory_lock(\(PostgresStore.cleanupLockKey))", logger: blocker.logger)
            let answer = try await postgres.cleanUpExpired(now: later)
            try await connection.query("SELECT pg_advisory_unlock(\(PostgresStore.cleanupLockKey))", logger: blocker.logger)
            return answer
        }
        XCTAssertNil(skipped)
    }

    func testTheSQLPromptReadsTheLogAndTheAuditTrailAsAReaderRoleAndNothingElse() async throws {
        let world = try TestWorld()
        _ = try await world.services.store.insertSecurityEvent(
            Store.NewSecurityEvent(event: .logout, userID: 7, actorID: 7, client: "http", details: ["why": "done"]), now: world.clock.now)
        let entries = [
            Store.LogRow(sequence: 1, time: world.clock.now, level: "info", source: "http", message: "GET /api/posts 200",
                         metadata: ["requestId": "r-1", "method": "GET", "path": "/api/posts", "status": "200", "durationMs": "1.5", "userId": "7"]),
            Store.LogRow(sequence: 2, time: world.clock.now, level: "error", source: "http", message: "POST /api/posts 500",
                         metadata: ["status": "oops"]),
        ]
        let store = world.services.store
        let limits = ReadOnlySQLLimits(maximumRows: 10, timeLimit: .milliseconds(300))
        let joined = try await store.runReadOnlySQL("""
            SELECT l.seq, l.status, l.duration_ms, e.event, e.details->>'why' AS why
            FROM log l JOIN security_events e ON e.user_id = l.user_id ORDER BY l.seq;
            """, log: entries, limits: limits)
        XCTAssertEqual(joined.columns, ["seq", "status", "duration_ms", "event", "why"])
        XCTAssertEqual(joined.rows, [["1", "200", "1.5", "LOGOUT", "done"]])
        let all = try await store.runReadOnlySQL("SELECT seq, status FROM log ORDER BY seq", log: entries, limits: limits)
        XCTAssertEqual(all.rows, [["1", "200"], ["2", nil]], "a status that is not a number is NULL")
        let capped = try await store.runReadOnlySQL("SELECT g FROM generate_series(1, 50) g", log: [], limits: limits)
        XCTAssertEqual(capped.rows.count, 10)
        XCTAssertTrue(capped.isTruncated)
        for refused in ["SELECT * FROM users", "SELECT password_hash FROM users", "DELETE FROM security_events",
                        "INSERT INTO log(seq, time, level, source, message, metadata) VALUES (9, now(), 'x', 'x', 'x', '{}')",
                        "SELECT 1; DROP TABLE users", "UPDATE users SET is_active = false", "SELECT pg_sleep(5)",
                        "SELECT * FROM sessions", "CREATE TABLE evil(x int)"] {
            do {
                _ = try await store.runReadOnlySQL(refused, log: entries, limits: limits)
                XCTFail("ran: \(refused)")
            } catch let error as StewardError {
                XCTAssertEqual(error.kind, .badInput, "\(refused): \(error)")
            }
        }
        let count = try await store.userCount()
        XCTAssertEqual(count, 0, "nothing was written")
        let events = try await store.listSecurityEvents(Store.SecurityEventQuery())
        XCTAssertEqual(events.items.count, 1, "the audit trail is as it was")
    }

    func testLogLinesOfOneInstanceReachTheConsolesOfAnother() async throws {
        let world = try TestWorld()
        let other = try secondInstance(of: world)
        defer { try? other.close() }
        let pipeline = LogPipeline()
        other.shareLogs(from: pipeline)
        pipeline.emit(.info, source: "http", "GET /api/posts 200", metadata: ["requestId": "shared-1", "status": "200"])
        let admin = try await world.actor("admin")
        let queries = world.services.logQueries()
        var seen: [LogEntry] = []
        for _ in 0..<40 where seen.isEmpty {
            seen = try await queries.sharedLines(admin, after: 0)?.entries.filter { $0.metadata["requestId"] == "shared-1" } ?? []
            if seen.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        XCTAssertEqual(seen.first?.message, "GET /api/posts 200", "the other instance's line arrived within 2 s")
        let page = try await queries.sharedLines(admin, after: 0)
        let last = try XCTUnwrap(page?.last)
        let nothingNew = try await queries.sharedLines(admin, after: last)
        XCTAssertEqual(nothingNew?.entries.count, 0)
        let user = try await world.actor("user")
        await XCTAssertThrowsKind(.forbidden) { _ = try await queries.sharedLines(user, after: 0) }
    }
}

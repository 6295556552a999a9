import Foundation
import XCTest
@testable import StewardCore
@testable import StewardStore

/// The Logs tab's SQL prompt: reads `log` and `security_events`, refuses everything that
/// writes or reaches beyond them, and leaves the database exactly as it was.
final class ReadOnlySQLTests: XCTestCase {
    override func setUpWithError() throws {
        try skipOnPostgres("the SQL prompt reads SQLite only")
    }

    private var world: TestWorld!
    private var ring: LogRing!

    override func setUp() async throws {
        world = try TestWorld()
        ring = LogRing(capacity: 100)
        let base = Date(timeIntervalSince1970: 1_795_608_000)
        for (index, status) in [200, 200, 404, 401, 500].enumerated() {
            ring.append(LogEntry.request(time: base.addingTimeInterval(Double(index)), requestId: "r\(index)", method: "GET",
                                         path: "/api/posts/\(index)", status: status, durationMs: Double(index) + 0.5,
                                         ip: "10.0.0.\(index)", userId: index == 1 ? 7 : nil, userAgent: "curl/8"))
        }
        ring.append(LogEntry(time: base.addingTimeInterval(10), level: .notice, source: "security", message: "FAILED_LOGIN",
                             metadata: ["event": "FAILED_LOGIN", "client": "10.0.0.9", "line": "a\nb"]))
        let admin = Caller.commandLine
        await world.services.context.audit.record(.failedLogin, subject: nil, actor: .anonymous(client: "10.0.0.9"), details: ["email": "x@example.com"])
        await world.services.context.audit.record(.roleChange, subject: 1, actor: admin, details: ["roles": "admin"])
    }

    override func tearDown() {
        world = nil
        ring = nil
    }

    static func row(_ item: SequencedLogEntry) -> Store.LogRow {
        Store.LogRow(sequence: item.sequence, time: item.entry.time, level: item.entry.level.rawValue, source: item.entry.source,
                     message: item.entry.message, metadata: item.entry.metadata)
    }

    private func run(_ sql: String, limits: ReadOnlySQLLimits = ReadOnlySQLLimits()) async throws -> ReadOnlySQLResult {
        try await world.services.store.runReadOnlySQL(sql, log: ring.snapshot().map(Self.row), limits: limits)
    }

    /// The refusal's message, or a failure if the statement ran.
    private func refusal(_ sql: String, file: StaticString = #filePath, line: UInt = #line) async -> String {
        do {
            let result = try await run(sql)
            XCTFail("\(sql) ran and returned \(result.rows)", file: file, line: line)
            return ""
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .badInput, "\(sql): \(error)", file: file, line: line)
            return error.fieldErrors.first?.message ?? error.message
        } catch {
            XCTFail("\(sql): unexpected \(error)", file: file, line: line)
            return ""
        }
    }

    // MARK: - Reading

    func testSelectsReadTheLogWithItsColumns() async throws {
        let result = try await run("SELECT seq, level, source, method, path, status, duration_ms, ip, user_id, request_id FROM log ORDER BY seq")
        XCTAssertEqual(result.columns, ["seq", "level", "source", "method", "path", "status", "duration_ms", "ip", "user_id", "request_id"])
        XCTAssertEqual(result.rows.count, 6)
        XCTAssertEqual(result.rows[2], ["3", "info", "http", "GET", "/api/posts/2", "404", "2.5", "10.0.0.2", nil, "r2"])
        XCTAssertEqual(result.rows[4][1], "error", "a 500 is logged at error")
        XCTAssertEqual(result.rows[1][8], "7")
        XCTAssertEqual(result.rows[5], ["6", "notice", "security", nil, nil, nil, nil, nil, nil, nil])
        XCTAssertFalse(result.isTruncated)

        let clientErrors = try await run("SELECT count(*) FROM log WHERE status BETWEEN 400 AND 499")
        XCTAssertEqual(clientErrors.rows, [["2"]])
        let time = try await run("SELECT time FROM log WHERE seq = 1")
        XCTAssertEqual(time.rows, [["2026-11-25T12:00:00.000Z"]], "the same form as security_events.created_at")
    }

    func testMetadataIsOneJSONObjectPerEntry() async throws {
        let result = try await run("SELECT json_extract(metadata, '$.event'), json_extract(metadata, '$.line'), json_valid(metadata) FROM log WHERE source = 'security'")
        XCTAssertEqual(result.rows, [["FAILED_LOGIN", "a\nb", "1"]])
    }

    func testSelectsReadSecurityEventsAndJoinTheLog() async throws {
        let events = try await run("SELECT event, client, user_id FROM security_events ORDER BY id")
        XCTAssertEqual(events.rows, [["FAILED_LOGIN", "10.0.0.9", nil], ["ROLE_CHANGE", "cli", "1"]])
        let joined = try await run("""
            WITH failures AS (SELECT client FROM security_events WHERE event = 'FAILED_LOGIN')
            SELECT l.seq FROM log l JOIN failures f ON json_extract(l.metadata, '$.client') = f.client
            """)
        XCTAssertEqual(joined.rows, [["6"]])
        let described = try await run("PRAGMA table_info(log)")
        XCTAssertEqual(described.rows.map { $0[1] }, ["seq", "time", "level", "source", "message", "request_id", "method", "path",
                                                      "status", "duration_ms", "ip", "user_id", "metadata"])
    }

    func testRowsAreCappedAndMarkedTruncated() async throws {
        let result = try await run("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5000) SELECT i FROM n",
                                   limits: ReadOnlySQLLimits(maximumRows: 1_000))
        XCTAssertEqual(result.rows.count, 1_000)
        XCTAssertEqual(result.rows.last, ["1000"])
        XCTAssertTrue(result.isTruncated)
    }

    func testAStatementThatRunsTooLongIsInterrupted() async throws {
        let started = ContinuousClock.now
        let message = await refusal("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
        XCTAssertTrue(message.contains("ran longer than 2 s"), message)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(6))
    }

    func testHugeValuesAreRefusedByTheLengthLimit() async throws {
        let message = await refusal("SELECT length(zeroblob(1000000000))")
        XCTAssertTrue(message.lowercased().contains("too big"), message)
    }

    // MARK: - Refusing

    func testEveryKindOfWriteIsRefused() async throws {
        let writes = [
            "INSERT INTO log(seq, time, level, source, message, metadata) VALUES (99, 't', 'info', 'x', 'y', '{}')",
            "INSERT INTO security_events(created_at, event, client, details) VALUES ('t', 'LOGOUT', 'x', '{}')",
            "UPDATE security_events SET client = 'forged'",
            "UPDATE log SET message = 'forged'",
            "DELETE FROM security_events",
            "DELETE FROM log",
            "DROP TABLE security_events",
            "DROP TABLE log",
            "CREATE TABLE audit.evil(x)",
            "CREATE TEMP TABLE scratch(x)",
            "CREATE VIEW v AS SELECT * FROM log",
            "CREATE TRIGGER t AFTER INSERT ON log BEGIN SELECT 1; END",
            "ALTER TABLE log ADD COLUMN x",
            "REPLACE INTO log(seq, time, level, source, message, metadata) VALUES (1, 't', 'info', 'x', 'y', '{}')",
            "ATTACH DATABASE ':memory:' AS other",
            "DETACH DATABASE audit",
            "PRAGMA user_version = 7",
            "PRAGMA audit.user_version = 7",
            "PRAGMA audit.journal_mode = DELETE",
            "PRAGMA foreign_keys = OFF",
            "BEGIN",
            "SAVEPOINT s",
            "VACUUM",
            "VACUUM INTO '/tmp/steward-sql-prompt-copy.sqlite'",
            "REINDEX",
            "ANALYZE",
        ]
        for sql in writes {
            let message = await refusal(sql)
            XCTAssertTrue(message.hasPrefix("Refused: ") || message.contains("not authorized"), "\(sql): \(message)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/steward-sql-prompt-copy.sqlite"))
    }

    func testRefusalsSayWhy() async throws {
        let insert = await refusal("INSERT INTO log(seq) VALUES (1)")
        XCTAssertTrue(insert.contains("INSERT writes"), insert)
        let pragma = await refusal("PRAGMA user_version = 7")
        XCTAssertTrue(pragma.contains("PRAGMA user_version is not allowed"), pragma)
        let attach = await refusal("ATTACH DATABASE ':memory:' AS other")
        XCTAssertTrue(attach.contains("ATTACH is not allowed"), attach)
    }

    func testOnlyLogAndSecurityEventsCanBeRead() async throws {
        for sql in ["SELECT password_hash FROM users", "SELECT * FROM audit.users", "SELECT * FROM refresh_tokens",
                    "SELECT count(*) FROM users", "SELECT count(*) FROM audit.sqlite_master",
                    "SELECT sql FROM audit.sqlite_master", "SELECT * FROM log JOIN users ON users.id = log.user_id"] {
            let message = await refusal(sql)
            XCTAssertTrue(message.contains("cannot be read here"), "\(sql): \(message)")
        }
        let counted = try await run("WITH recent AS (SELECT * FROM log WHERE seq > 2) SELECT count(*), (SELECT count(*) FROM security_events) FROM recent")
        XCTAssertEqual(counted.rows, [["4", "2"]], "CTEs and counts of the readable tables work")
    }

    func testMultipleStatementsAreRefusedButATrailingSemicolonOrCommentIsFine() async throws {
        for sql in ["SELECT 1; DROP TABLE log", "SELECT 1; SELECT 2", "SELECT 1;DELETE FROM security_events;"] {
            let message = await refusal(sql)
            XCTAssertTrue(message.contains("one statement at a time"), "\(sql): \(message)")
        }
        let trailing = try await run("SELECT 1; -- done\n ;")
        XCTAssertEqual(trailing.rows, [["1"]])
    }

    func testSyntaxErrorsAndEmptyInputAreReportedNotRun() async throws {
        let typo = await refusal("SELEC * FROM log")
        XCTAssertTrue(typo.contains("syntax error"), typo)
        let empty = await refusal("  -- nothing here")
        XCTAssertTrue(empty.contains("no statement"), empty)
    }

    func testTheDatabaseIsUnchangedAfterEveryAttempt() async throws {
        let store = world.services.store
        func fingerprint() async throws -> [String] {
            let events = try await store.listSecurityEvents(SecurityEventService.ListRequest(limit: 100))
            return events.items.map { "\($0.id) \($0.event.rawValue) \($0.client) \($0.details)" }
                + (try store.migrationStatus().map { "\($0.id) \($0.applied)" })
                + [try store.integrityCheck(ofCopyAt: store.location)]
        }
        let before = try await fingerprint()
        for sql in ["DELETE FROM security_events", "UPDATE security_events SET client = 'x'", "DROP TABLE security_events",
                    "PRAGMA audit.user_version = 99", "SELECT 1; DELETE FROM security_events", "CREATE TABLE audit.x(y)"] {
            _ = await refusal(sql)
        }
        _ = try await run("SELECT count(*) FROM security_events")
        let after = try await fingerprint()
        XCTAssertEqual(before, after)
        XCTAssertTrue(before.contains { $0.contains("ROLE_CHANGE cli") }, "the fingerprint sees the events")
    }

    func testTheURIEscapesWhatAURIGivesMeaningTo() {
        XCTAssertEqual(ReadOnlySQLSession.readOnlyURI(forPath: "/data/steward.sqlite"), "file:/data/steward.sqlite?mode=ro")
        XCTAssertEqual(ReadOnlySQLSession.readOnlyURI(forPath: "/tmp/a?b#c%d e.sqlite"), "file:/tmp/a%3Fb%23c%25d%20e.sqlite?mode=ro")
    }

    // MARK: - The service

    func testQueryingNeedsLogsReadAndARefusalIsAudited() async throws {
        let service = LogQueryService(context: world.services.context)
        let admin = try await world.actor("admin")
        let answer = try await service.query(admin, sql: "SELECT count(*) FROM log", ring: ring)
        XCTAssertEqual(answer.rows, [["6"]])

        let user = try await world.actor("user")
        await XCTAssertThrowsKind(.forbidden) { _ = try await service.query(user, sql: "SELECT 1", ring: self.ring) }
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await service.query(.anonymous(client: "console"), sql: "SELECT 1", ring: self.ring) }
        let denied = try await world.services.store.listSecurityEvents(SecurityEventService.ListRequest(event: .permissionDenied, limit: 10))
        XCTAssertEqual(denied.items.count, 1)
        XCTAssertEqual(denied.items.first?.details["permission"], "logs:read")
        XCTAssertEqual(denied.items.first?.userID, user.userID)
    }
}

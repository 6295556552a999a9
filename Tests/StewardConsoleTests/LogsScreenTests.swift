import Foundation
import Logging
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// The Logs tab on a fixed ring: snapshots at both sizes, and every key that changes what
/// the tail shows.
final class LogsScreenTests: XCTestCase {
    /// 2026-09-21T14:13:20Z, the clock of the services (and so of the sparklines).
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A database with the schema, services on a fixed clock, a ring and a screen over them.
    final class LogsWorld {
        let folder: URL
        let services: Services
        let ring = LogRing(capacity: 10_000)
        let listener = FakeListener()
        let environment: ConsoleEnvironment
        let screen: LogsScreen

        /// - Parameters:
        ///   - role: the signed-in account's role (`admin` holds `logs:read`).
        ///   - logFolder: a log folder for the tab to follow instead of the ring.
        init(role: String = "admin", logFolder: URL? = nil) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logs-screen-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let config = StewardConfig.testing(databaseIn: folder)
            let passwords = try CommonPasswords.builtIn
            services = try Services.open(config: config, commonPasswords: passwords, now: { LogsScreenTests.now })
            LogsScreenTests.fill(ring)
            let services = self.services
            let session = try BlockingCall.run {
                _ = try await services.users.create(.commandLine, email: "\(role)@steward.test", password: "Admin#Demo2026",
                                                    firstName: "Ada", lastName: "Admin", roles: [role])
                return try await services.auth.consoleSignIn(email: "\(role)@steward.test", password: "Admin#Demo2026")
            }
            environment = ConsoleEnvironment(services: services, session: session, databasePath: "data/demo.sqlite",
                                             logRing: ring, logFolder: logFolder, listener: listener, displayName: "Ada Admin")
            screen = LogsScreen(environment: environment, folderPollInterval: .milliseconds(10))
        }

        deinit {
            try? services.close()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Sends one key, then a tick, as the loop would.
        @discardableResult
        func press(_ events: InputEvent...) -> [ScreenEffect<LogsScreen.Message>] {
            var effects: [ScreenEffect<LogsScreen.Message>] = []
            for event in events {
                effects.append(screen.update(.input(event)))
                _ = screen.update(.tick)
            }
            return effects
        }

        func type(_ text: String) {
            for character in text { _ = screen.update(.input(.char(character))) }
        }

        /// Runs the work an effect asks for and hands the result back to the screen.
        func perform(_ effect: ScreenEffect<LogsScreen.Message>) {
            switch effect {
            case .perform(let work):
                let outcome = try? BlockingCall.run { await work.run() }
                guard case .message(let message) = outcome else { return XCTFail("the SQL work ended the session") }
                _ = screen.receive(message)
            case .batch(let effects):
                effects.forEach(perform)
            default:
                break
            }
        }

        /// Opens the SQL prompt, runs `statement`, and waits for the answer.
        func sql(_ statement: String) {
            press(.char(";"))
            type(statement)
            perform(screen.update(.input(.enter)))
        }

        func render(width: Int, height: Int, theme: Theme = .monochrome) -> CellBuffer {
            var buffer = CellBuffer(width: width, height: height)
            // The app's tab bar and status bar take the first and last rows.
            let area = Rect(x: 0, y: 1, width: width, height: height - 2)
            _ = screen.update(.layout(area: area))
            screen.view(into: &buffer, area: area, theme: theme)
            return buffer
        }
    }

    /// Thirty seconds of traffic before `now`: requests of every status class, a sign-in
    /// failure, application lines, an error, and a hostile and a wide-character entry.
    static func fill(_ ring: LogRing) {
        let start = now.addingTimeInterval(-30)
        let statuses = [200, 200, 201, 304, 404, 200, 401, 200, 500, 200, 404, 200, 204, 200, 403, 200]
        for (index, status) in statuses.enumerated() {
            let time = start.addingTimeInterval(Double(index) * 1.7)
            ring.append(LogEntry.request(time: time, requestId: "req-\(index)", method: index % 3 == 0 ? "POST" : "GET",
                                         path: index % 2 == 0 ? "/api/posts" : "/api/posts/\(index)", status: status,
                                         durationMs: Double(index) * 1.25 + 0.5, ip: "127.0.0.1",
                                         userId: index % 4 == 0 ? 7 : nil, userAgent: "curl/8.5"))
            if index == 3 {
                ring.append(LogEntry(time: time, level: .notice, source: "security", message: "FAILED_LOGIN",
                                     metadata: ["event": "FAILED_LOGIN", "client": "10.0.0.9", "email": "eve@example.com"]))
            }
            if index == 6 {
                ring.append(LogEntry(time: time, level: .info, source: "app", message: "HTTP listener started",
                                     metadata: ["address": "127.0.0.1:8080"]))
            }
            if index == 9 {
                ring.append(LogEntry(time: time, level: .error, source: "security", message: "could not store a security event",
                                     metadata: ["event": "LOGOUT", "error": "database is locked"]))
            }
            if index == 12 {
                ring.append(LogEntry(time: time, level: .warning, source: "app",
                                     message: "name \u{1B}[31mred\u{1B}[0m\nINFO forged line\u{07}", metadata: ["who": "山田 太郎"]))
            }
        }
    }

    // MARK: - Snapshots

    func testTailSnapshots() throws {
        for (width, height) in [(80, 24), (120, 36)] {
            let world = try LogsWorld()
            Snapshot.assertMatches(world.render(width: width, height: height), named: "logs-tail-\(width)x\(height)")
        }
    }

    func testPausedAndFilteredSnapshots() throws {
        for (width, height) in [(80, 24), (120, 36)] {
            let world = try LogsWorld()
            world.press(.char("/"))
            world.type("4xx")
            world.press(.enter, .char("p"))
            world.ring.append(LogEntry.request(time: Self.now, requestId: "late", method: "GET", path: "/late", status: 404,
                                               durationMs: 1, ip: "127.0.0.1", userId: nil, userAgent: nil))
            world.press(.char("k"))
            Snapshot.assertMatches(world.render(width: width, height: height), named: "logs-paused-4xx-\(width)x\(height)")
        }
    }

    func testDetailAndSQLSnapshots() throws {
        for (width, height) in [(80, 24), (120, 36)] {
            let world = try LogsWorld()
            world.press(.char("E"), .enter)
            Snapshot.assertMatches(world.render(width: width, height: height), named: "logs-detail-\(width)x\(height)")
            world.press(.escape)
            world.sql("SELECT status, count(*) AS n FROM log WHERE status IS NOT NULL GROUP BY status ORDER BY status")
            Snapshot.assertMatches(world.render(width: width, height: height), named: "logs-sql-\(width)x\(height)")
        }
    }

    // MARK: - Drawing

    func testLevelsAndStatusesAreDrawnInTheirRoles() throws {
        let world = try LogsWorld()
        let theme = Theme(name: "test", styles: [
            .base: Style(), .success: Style(foreground: .green), .warning: Style(foreground: .yellow),
            .error: Style(foreground: .red), .info: Style(foreground: .blue), .muted: Style(attributes: .dim),
            .levelNotice: Style(foreground: .magenta),
        ])
        world.press(.char("k"))  // the selected row is drawn in the selection role: move it off the rows checked
        let buffer = world.render(width: 120, height: 36, theme: theme)
        let lines = buffer.lines()
        func style(ofText text: String, inLineContaining marker: String) -> Style? {
            guard let y = lines.firstIndex(where: { $0.contains(marker) }), let range = lines[y].range(of: text) else { return nil }
            let x = lines[y].distance(from: lines[y].startIndex, to: range.lowerBound)
            return buffer[x, y].style
        }
        XCTAssertEqual(style(ofText: "404", inLineContaining: "GET /api/posts 404")?.foreground, .yellow)
        XCTAssertEqual(style(ofText: "500", inLineContaining: "GET /api/posts 500")?.foreground, .red)
        XCTAssertEqual(style(ofText: "304", inLineContaining: "POST /api/posts/3 304")?.foreground, .blue)
        XCTAssertEqual(style(ofText: "201", inLineContaining: "GET /api/posts 201")?.foreground, .green)
        XCTAssertEqual(style(ofText: "NOTE", inLineContaining: "FAILED_LOGIN")?.foreground, .magenta)
        XCTAssertEqual(style(ofText: "ERROR", inLineContaining: "could not store")?.foreground, .red)
    }

    func testLogTextCannotReachTheTerminalAsControlCharacters() throws {
        let world = try LogsWorld()
        let buffer = world.render(width: 120, height: 36)
        for cell in buffer.cells {
            XCTAssertFalse(cell.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "raw control in \(cell.text.debugDescription)")
        }
        let text = buffer.text()
        XCTAssertTrue(text.contains("name ␛[31mred␛[0m␊INFO forged line␇"), text)
        XCTAssertEqual(text.components(separatedBy: "\n").filter { $0.contains("forged line") }.count, 1, "one entry, one row")
    }

    func testSparklinesUseTheListenersCountersWhileItRuns() throws {
        let world = try LogsWorld()
        XCTAssertTrue(world.render(width: 120, height: 36).text().contains("0.2/s · 16 in 60 s"), "counted from the ring's request lines")
        var history = Array(repeating: ListenerSample.Second(requests: 0, clientErrors: 0, serverErrors: 0), count: 60)
        history[58] = ListenerSample.Second(requests: 40, clientErrors: 10, serverErrors: 0)
        history[59] = ListenerSample.Second(requests: 60, clientErrors: 5, serverErrors: 5)
        world.listener.sample = ListenerSample(totalRequests: 100, clientErrors: 15, serverErrors: 5, requestsPerSecond: 20, history: history)
        world.listener.start()
        let text = world.render(width: 120, height: 36).text()
        XCTAssertTrue(text.contains("20.0/s · 100 in 60 s"), text)
        XCTAssertTrue(text.contains("4xx 15 · 5xx 5 (20.0%)"), text)
        XCTAssertTrue(text.contains("▅█"), "the last two seconds, 40 and 60 requests, scaled to the largest")
    }

    // MARK: - Keys

    func testPauseCountsNewLinesAndResumeShowsThem() throws {
        let world = try LogsWorld()
        let before = world.screen.visible.count
        world.press(.char("p"))
        XCTAssertTrue(world.screen.isPaused)
        for index in 0..<5 {
            world.ring.append(LogEntry(level: .info, source: "app", message: "arrived while paused \(index)"))
            _ = world.screen.update(.tick)
        }
        XCTAssertEqual(world.screen.pendingCount, 5)
        XCTAssertEqual(world.screen.visible.count, before, "a paused tail does not move")
        XCTAssertTrue(world.render(width: 80, height: 24).text().contains("PAUSED · 5 new"))

        world.press(.char(" "))
        XCTAssertFalse(world.screen.isPaused)
        XCTAssertEqual(world.screen.pendingCount, 0)
        XCTAssertEqual(world.screen.visible.count, before + 5)
        XCTAssertEqual(world.screen.selectedEntry?.entry.message, "arrived while paused 4", "following again")
        world.ring.append(LogEntry(level: .info, source: "app", message: "after resuming"))
        _ = world.screen.update(.tick)
        XCTAssertEqual(world.screen.selectedEntry?.entry.message, "after resuming")
    }

    func testScrollingUpStopsFollowingAndGFollowsAgain() throws {
        let world = try LogsWorld()
        world.press(.char("k"), .char("k"))
        let selected = world.screen.selectedEntry
        world.ring.append(LogEntry(level: .info, source: "app", message: "new"))
        _ = world.screen.update(.tick)
        XCTAssertEqual(world.screen.selectedEntry, selected, "the selection stays while reading")
        world.press(.char("G"))
        XCTAssertEqual(world.screen.selectedEntry?.entry.message, "new")
    }

    func testLevelFilterCyclesUpwardAndWraps() throws {
        let world = try LogsWorld()
        XCTAssertEqual(world.screen.minimumLevel, .trace)
        world.press(.char("L"), .char("L"), .char("L"))
        XCTAssertEqual(world.screen.minimumLevel, .notice)
        // FAILED_LOGIN, then 404, 401, 500, the storage error, 404, the hostile warning, 403:
        // requests answered 4xx count as warnings, 5xx as errors.
        XCTAssertEqual(world.screen.visible.map(\.level), [.notice, .warning, .warning, .error, .error, .warning, .warning, .warning])
        XCTAssertEqual(world.screen.visible.compactMap(\.status), [404, 401, 500, 404, 403])
        world.press(.char("L"), .char("L"))
        XCTAssertEqual(world.screen.visible.map(\.level), [.error, .error])
        world.press(.char("L"), .char("L"))
        XCTAssertEqual(world.screen.minimumLevel, .trace)
        XCTAssertEqual(world.screen.visible.count, world.screen.rows.count)
    }

    func testTextFilterKeepsStatusClassesWordsAndSources() throws {
        let world = try LogsWorld()
        world.press(.char("/"))
        XCTAssertTrue(world.screen.capturesInput, "typing goes to the filter, q and digits included")
        world.type("4xx")
        world.press(.enter)
        XCTAssertEqual(world.screen.visible.compactMap(\.status), [404, 401, 404, 403])

        world.press(.char("/"))
        _ = world.screen.update(.input(.ctrl("u")))
        world.type("source:security event")
        world.press(.enter)
        XCTAssertEqual(world.screen.visible.map(\.entry.message), ["FAILED_LOGIN", "could not store a security event"])

        world.press(.char("/"))
        _ = world.screen.update(.input(.ctrl("u")))
        world.type("EVE@example")
        world.press(.enter)
        XCTAssertEqual(world.screen.visible.map(\.entry.message), ["FAILED_LOGIN"], "case-insensitive, metadata included")

        world.press(.escape)
        XCTAssertNil(world.screen.filter)
        XCTAssertEqual(world.screen.visible.count, world.screen.rows.count)
    }

    func testErrorJumpsGoBothWaysAndSayWhenThereIsNoneLeft() throws {
        let world = try LogsWorld()
        let errors = world.screen.rows.filter(\.isError).map(\.sequence)
        XCTAssertEqual(errors.count, 2)
        world.press(.char("E"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, errors[1])
        XCTAssertFalse(world.screen.isFollowing)
        world.press(.char("E"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, errors[0])
        let effects = world.press(.char("E"))
        guard case .status(let message, _) = effects[0] else { return XCTFail("expected a status, got \(effects[0])") }
        XCTAssertEqual(message, "No error above")
        XCTAssertEqual(world.screen.selectedEntry?.sequence, errors[0])
        world.press(.char("e"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, errors[1])
    }

    func testEnterShowsTheEntryAsJSONAndEscGoesBack() throws {
        let world = try LogsWorld()
        world.press(.char("E"), .char("E"), .enter)
        let detail = try XCTUnwrap(world.screen.detail)
        XCTAssertTrue(detail.body.hasPrefix("{\n  \"time\": \"2026-09-21T14:13:"), detail.body)
        XCTAssertTrue(detail.body.contains("  \"status\": 500,"), "numbers bare, as in the file")
        XCTAssertTrue(detail.body.contains("  \"userAgent\": \"curl/8.5\""))
        world.press(.escape)
        XCTAssertNil(world.screen.detail)
    }

    func testTheRingOverflowingIsCountedAsMissed() throws {
        let world = try LogsWorld()
        let small = LogRing(capacity: 5)
        let environment = ConsoleEnvironment(services: world.services, session: world.environment.session,
                                             databasePath: "x", logRing: small)
        let screen = LogsScreen(environment: environment)
        _ = screen.update(.input(.char("p")))
        for index in 0..<12 { small.append(LogEntry(level: .info, source: "app", message: "m\(index)")) }
        _ = screen.update(.input(.char("p")))
        XCTAssertEqual(screen.visible.map(\.entry.message), ["m7", "m8", "m9", "m10", "m11"])
        XCTAssertEqual(screen.missedCount, 7)
        for index in 12..<20 { small.append(LogEntry(level: .info, source: "app", message: "m\(index)")) }
        _ = screen.update(.tick)
        XCTAssertEqual(screen.rows.count, 5, "never more than the ring holds")
        XCTAssertEqual(screen.visible.last?.entry.message, "m19")
    }

    // MARK: - SQL prompt

    func testSQLPromptShowsRowsAsATable() throws {
        let world = try LogsWorld()
        world.sql("SELECT count(*) AS requests FROM log WHERE status >= 400")
        guard case .rows(_, let result, _) = world.screen.sqlOutcome else { return XCTFail("no rows: \(String(describing: world.screen.sqlOutcome))") }
        XCTAssertEqual(result.columns, ["requests"])
        XCTAssertEqual(result.rows, [["5"]])
        XCTAssertTrue(world.render(width: 80, height: 24).text().contains("SQL · 1 row"))
        world.press(.escape)
        XCTAssertNil(world.screen.sqlOutcome)
    }

    func testSQLPromptRefusesWritesAndShowsWhy() throws {
        let world = try LogsWorld()
        for statement in ["DELETE FROM log", "UPDATE security_events SET client = 'x'", "DROP TABLE security_events",
                          "SELECT 1; DELETE FROM log", "PRAGMA user_version = 3", "ATTACH DATABASE 'x.sqlite' AS x"] {
            world.sql(statement)
            guard case .failed(_, let message) = world.screen.sqlOutcome else {
                return XCTFail("\(statement) was not refused: \(String(describing: world.screen.sqlOutcome))")
            }
            XCTAssertTrue(message.contains("Refused"), "\(statement): \(message)")
            XCTAssertTrue(world.render(width: 120, height: 36).text().contains("SQL · refused"))
            world.press(.escape)
        }
        world.sql("SELECT count(*) FROM log")
        guard case .rows(_, let result, _) = world.screen.sqlOutcome else { return XCTFail("the log was changed or lost") }
        XCTAssertEqual(result.rows, [[String(world.ring.count)]])
    }

    func testSQLPromptNeedsLogsReadWhichTheServiceChecksAndAudits() throws {
        let world = try LogsWorld(role: "user")
        XCTAssertFalse(world.screen.keyHints.hints.contains { $0.key == ";" }, "no hint for what the account may not do")
        world.sql("SELECT 1")
        guard case .failed(_, let message) = world.screen.sqlOutcome else { return XCTFail("ran without logs:read") }
        XCTAssertTrue(message.contains("logs:read"), message)
        let services = world.services
        let denied = try BlockingCall.run {
            try await services.securityEvents.list(.commandLine, SecurityEventService.ListRequest(event: .permissionDenied, limit: 10)).items
        }
        XCTAssertEqual(denied.first?.details["permission"], "logs:read")
        XCTAssertEqual(denied.first?.client, "console")
    }

    func testKeyHintsListEveryKeyAndPromoteTheMainOnes() throws {
        let world = try LogsWorld()
        let keys = world.screen.keyHints.hints.map(\.key)
        for key in ["p/Space", "G", "L", "/", "e/E", "w/W", "←/→ h/l", "Enter", "Esc", "y", "Y", ";", "j/k ↑/↓", "PgUp/PgDn", "g"] {
            XCTAssertTrue(keys.contains(key), key)
        }
        XCTAssertEqual(world.screen.keyHints.prominent.map(\.key), ["p/Space", "L", "/", "e/E", "y", ";"])
    }

    // MARK: - Filters, levels, jumps

    func testStatusFilterMatchesTheStatusFieldExactly() throws {
        let world = try LogsWorld()
        // A 429 logged at 14:13:09.404, and text that mentions 404 without being one.
        world.ring.append(LogEntry.request(time: Date(timeIntervalSince1970: 1_789_999_989.404), requestId: "req-429", method: "GET",
                                           path: "/api/login", status: 429, durationMs: 1, ip: "127.0.0.1", userId: nil, userAgent: nil))
        world.ring.append(LogEntry(level: .info, source: "app", message: "listening on port 404"))
        _ = world.screen.update(.tick)
        func filtered(_ text: String) -> [LogsRow] {
            world.press(.char("/"))
            _ = world.screen.update(.input(.ctrl("u")))
            world.type(text)
            world.press(.enter)
            return world.screen.visible
        }
        XCTAssertEqual(filtered("status:404").map(\.status), [404, 404], "not the 429 at .404, not the port")
        XCTAssertEqual(filtered("404").count, 4, "a bare number is text: the two 404s, the .404 time and the port")
        XCTAssertEqual(filtered("status:4xx").compactMap(\.status), [404, 401, 404, 403, 429])
        XCTAssertEqual(filtered("status:5xx").compactMap(\.status), [500])
        XCTAssertEqual(filtered("status:4xx -status:404").compactMap(\.status), [401, 403, 429])
        XCTAssertEqual(filtered("source:http -posts").compactMap(\.status), [429], "-word leaves out the lines containing it")
        XCTAssertEqual(filtered("-source:http -4xx -5xx").filter { $0.status != nil }.count, 0)
    }

    func testClientErrorsShowAsWarningsAndServerErrorsAsErrors() throws {
        let world = try LogsWorld()
        world.ring.append(LogEntry.request(time: Self.now, requestId: "r", method: "POST", path: "/api/auth/login", status: 429,
                                           durationMs: 1, ip: "127.0.0.1", userId: nil, userAgent: nil))
        _ = world.screen.update(.tick)
        let byStatus = Dictionary(world.screen.rows.compactMap { row in row.status.map { ($0, row.level) } }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(byStatus[200], .info)
        XCTAssertEqual(byStatus[304], .info)
        XCTAssertEqual(byStatus[404], .warning)
        XCTAssertEqual(byStatus[429], .warning)
        XCTAssertEqual(byStatus[500], .error)
        let text = world.render(width: 120, height: 36).text()
        XCTAssertTrue(text.contains("WARN  http     POST /api/auth/login 429"), text)
        XCTAssertTrue(text.contains("ERROR http     GET /api/posts 500"), text)
    }

    func testWarningJumpsGoBothWays() throws {
        let world = try LogsWorld()
        let warnings = world.screen.visible.filter(\.isWarning).map(\.sequence)
        XCTAssertEqual(warnings.count, 5, "four 4xx requests and one warning entry")
        world.press(.char("W"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, warnings[4])
        world.press(.char("W"), .char("W"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, warnings[2])
        world.press(.char("w"))
        XCTAssertEqual(world.screen.selectedEntry?.sequence, warnings[3])
        world.press(.char("g"))
        let effects = world.press(.char("W"))
        guard case .status(let message, _) = effects[0] else { return XCTFail("expected a status, got \(effects[0])") }
        XCTAssertEqual(message, "No warning above")
    }

    func testResumingAfterScrollingWhilePausedFollowsTheNewestLine() throws {
        let world = try LogsWorld()
        world.press(.char("p"), .char("k"), .char("k"), .char("k"))
        XCTAssertFalse(world.screen.isFollowing)
        world.ring.append(LogEntry(level: .info, source: "app", message: "arrived while paused"))
        world.press(.char("p"))
        XCTAssertTrue(world.screen.isFollowing)
        XCTAssertEqual(world.screen.selectedEntry?.entry.message, "arrived while paused")
    }

    func testRequestLinesShowTheUserBeforeTheRequestID() throws {
        let entry = LogEntry.request(time: Self.now, requestId: "0b6c1f2e-request", method: "GET", path: "/api/me", status: 200,
                                     durationMs: 2, ip: "10.0.0.1", userId: 42, userAgent: "curl/8.5")
        let text = LogsFormat.spans(for: LogsRow(SequencedLogEntry(sequence: 1, entry: entry))).map(\.text).joined()
        XCTAssertEqual(text, "GET /api/me 200 2ms  userId=42 ip=10.0.0.1 requestId=0b6c1f2e-request userAgent=curl/8.5")
        let other = LogEntry(level: .info, source: "app", message: "m", metadata: ["zeta": "1", "userId": "3", "alpha": "2"])
        XCTAssertEqual(LogsFormat.spans(for: LogsRow(SequencedLogEntry(sequence: 2, entry: other))).map(\.text).joined(),
                       "m  alpha=2 userId=3 zeta=1", "other entries keep their fields sorted")
    }

    // MARK: - Scrolling sideways

    func testLongLinesScrollSidewaysAndTheFixedColumnsStay() throws {
        let world = try LogsWorld()
        let long = "start " + String(repeating: "0123456789", count: 12) + " END"
        world.ring.append(LogEntry(time: Self.now, level: .info, source: "app", message: long))
        _ = world.screen.update(.tick)
        XCTAssertFalse(world.render(width: 80, height: 24).text().contains("END"))
        world.press(.char("h"))
        XCTAssertEqual(world.screen.horizontalOffset, 0, "nothing to the left")
        world.press(.right)
        XCTAssertEqual(world.screen.horizontalOffset, LogsScreen.horizontalStep)
        for _ in 0..<20 { world.press(.char("l")) }
        let offset = world.screen.horizontalOffset
        XCTAssertLessThan(offset, DisplayWidth.of(long), "stops once the end of the longest line is in view")
        let lines = world.render(width: 80, height: 24).lines()
        let row = try XCTUnwrap(lines.first { $0.contains("END") }, lines.joined(separator: "\n"))
        XCTAssertTrue(row.hasPrefix("14:13:20.000 INFO  app" + String(repeating: " ", count: 6)), row)
        XCTAssertFalse(row.contains("start"), "the message moved left")
        XCTAssertTrue(lines[1].contains("→ \(offset) columns"), lines[1])
        world.press(.left, .char("h"))
        XCTAssertEqual(world.screen.horizontalOffset, offset - 2 * LogsScreen.horizontalStep)
    }

    func testCuttingSpansForScrollingKeepsColumnsAndClusters() {
        let spans = [LogsSpan(text: "ab", role: nil), LogsSpan(text: "中文x", role: .muted), LogsSpan(text: "yz", role: .error)]
        XCTAssertEqual(LogsFormat.spans(spans, droppingColumns: 2), [LogsSpan(text: "中文x", role: .muted), LogsSpan(text: "yz", role: .error)])
        XCTAssertEqual(LogsFormat.spans(spans, droppingColumns: 3), [LogsSpan(text: " 文x", role: .muted), LogsSpan(text: "yz", role: .error)],
                       "the right half of a cut wide character is a space")
        XCTAssertEqual(LogsFormat.spans(spans, droppingColumns: 7), [LogsSpan(text: "yz", role: .error)])
        XCTAssertEqual(LogsFormat.spans(spans, droppingColumns: 0), spans)
    }

    func testWideSQLAnswersScrollSideways() throws {
        let world = try LogsWorld()
        world.ring.append(LogEntry(level: .info, source: "app", message: String(repeating: "w", count: 100)))
        _ = world.screen.update(.tick)
        world.sql("SELECT message AS wide, 'tail' AS last_column FROM log WHERE length(message) = 100")
        // The table, below the tab bar and the title row (which repeats the statement).
        func table() -> String { world.render(width: 80, height: 24).lines().dropFirst(2).joined(separator: "\n") }
        XCTAssertTrue(table().contains("wide"))
        XCTAssertFalse(table().contains("last_column"), table())
        for _ in 0..<10 { world.press(.char("l")) }
        XCTAssertTrue(table().contains("last_column"), table())
        XCTAssertFalse(table().contains("wide"), "scrolled past the first title")
        XCTAssertLessThanOrEqual(world.screen.horizontalOffset, 100 + 2 + 11 - 80 + LogsScreen.horizontalStep, "no further than the table")
        world.press(.escape)
        XCTAssertEqual(world.screen.horizontalOffset, 0)
    }

    // MARK: - Following the log folder

    /// Ticks the screen until `condition` holds, for at most five seconds: the folder is
    /// read on a background thread.
    private func tick(_ world: LogsWorld, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            _ = world.screen.update(.tick)
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    func testTheTabFollowsLinesAnotherProcessWritesToTheLogFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logs-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Written before the console starts: a rotated file and the live one.
        let earlier = try JSONLinesFileSink(directory: folder, maxBytes: 600, keep: 5)
        for index in 0..<4 {
            earlier.write(LogEntry.request(time: Self.now, requestId: "early-\(index)", method: "GET", path: "/early/\(index)", status: 200,
                                           durationMs: 1, ip: "127.0.0.1", userId: nil, userAgent: nil))
        }
        earlier.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("steward.log.1").path), "rotated")

        let world = try LogsWorld(logFolder: folder)
        XCTAssertTrue(tick(world) { world.screen.rows.count == 4 }, "rows: \(world.screen.rows.map(\.entry.message))")
        XCTAssertEqual(world.screen.rows.compactMap { $0.entry.metadata["path"] }, ["/early/0", "/early/1", "/early/2", "/early/3"],
                       "oldest first, the ring's own lines not shown (they reach the files)")

        // Another process (a `steward serve` on the same database) answers requests.
        let serve = try JSONLinesFileSink(directory: folder)
        for index in 0..<6 {
            serve.write(LogEntry.request(time: Self.now, requestId: "serve-\(index)", method: "GET", path: "/from-serve/\(index)",
                                         status: index == 5 ? 404 : 200, durationMs: 2, ip: "127.0.0.1", userId: nil, userAgent: nil))
        }
        serve.flush()
        XCTAssertTrue(tick(world) { world.screen.rows.count == 10 }, "rows: \(world.screen.rows.map(\.entry.message))")
        serve.close()
        XCTAssertEqual(world.screen.rows.compactMap { $0.entry.metadata["path"] }.suffix(6), (0..<6).map { "/from-serve/\($0)" },
                       "each line once")
        XCTAssertEqual(world.screen.selectedEntry?.entry.metadata["path"], "/from-serve/5", "following")
        XCTAssertEqual(world.screen.visible.last?.level, .warning)
        XCTAssertTrue(world.render(width: 120, height: 36).text().contains("GET /from-serve/5 404 2ms"))

        // The SQL prompt's `log` table holds the same lines.
        world.sql("SELECT count(*) FROM log WHERE path LIKE '/from-serve/%'")
        guard case .rows(_, let result, _) = world.screen.sqlOutcome else { return XCTFail("\(String(describing: world.screen.sqlOutcome))") }
        XCTAssertEqual(result.rows, [["6"]])
    }

    func testAMissingLogFolderIsWaitedFor() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logs-later-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let world = try LogsWorld(logFolder: folder)
        XCTAssertTrue(tick(world) { world.render(width: 120, height: 36).text().contains("Waiting for the log folder") })
        let sink = try JSONLinesFileSink(directory: folder)
        sink.write(LogEntry(level: .notice, source: "security", message: "LOGIN_SUCCEEDED"))
        sink.close()
        XCTAssertTrue(tick(world) { world.screen.rows.map(\.entry.message) == ["LOGIN_SUCCEEDED"] })
    }
}

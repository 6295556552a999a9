import Dispatch
import Foundation
import Logging
import Synchronization
import XCTest
@testable import StewardCore

/// The logging pipeline: the JSON-lines format, redaction, the ring, the queued sinks with
/// rotation, the swift-log handler, and the reader behind `steward logs`.
final class LoggingTests: XCTestCase {
    /// 2026-11-25T12:00:00.123Z
    private let noonAndABit = Date(timeIntervalSince1970: 1_795_608_000.123)

    // MARK: - Format

    func testRequestLineEncodesFixedFieldsFirstThenSortedMetadataWithSafeNumbersBare() {
        let entry = LogEntry.request(
            time: noonAndABit, requestId: "r-1", method: "GET", path: "/api/posts?q=secret+search",
            status: 200, durationMs: 3.14159, ip: "127.0.0.1", userId: 7, userAgent: "curl/8.5 (x86_64)"
        )
        XCTAssertEqual(
            entry.jsonLine,
            #"{"time":"2026-11-25T12:00:00.123Z","level":"info","source":"http","message":"GET /api/posts 200 3.142ms","#
                + #""durationMs":3.142,"ip":"127.0.0.1","method":"GET","path":"/api/posts","requestId":"r-1","status":200,"#
                + #""userAgent":"curl/8.5 (x86_64)","userId":7}"#
        )
        XCTAssertEqual(LogEntry.parse(jsonLine: entry.jsonLine), entry)
        XCTAssertEqual(LogEntry.request(requestId: "r", method: "GET", path: "/", status: 503, durationMs: 1, ip: "::1",
                                        userId: nil, userAgent: nil).level, .error)
    }

    func testTimestampsAreUTCWithMillisecondsAcrossCalendarEdges() {
        let cases: [(TimeInterval, String)] = [
            (1_795_608_000.123, "2026-11-25T12:00:00.123Z"),
            (951_868_799.999, "2000-02-29T23:59:59.999Z"),
            (0, "1970-01-01T00:00:00.000Z"),
            (-0.5, "1969-12-31T23:59:59.500Z"),
            (4_102_444_800.007, "2100-01-01T00:00:00.007Z"),
        ]
        for (seconds, expected) in cases {
            let entry = LogEntry(time: Date(timeIntervalSince1970: seconds), level: .info, source: "app", message: "m")
            XCTAssertTrue(entry.jsonLine.hasPrefix(#"{"time":""# + expected + #"""#), "\(seconds) gave \(entry.jsonLine)")
            XCTAssertEqual(LogEntry.parse(jsonLine: entry.jsonLine)?.time, entry.time)
        }
    }

    func testControlCharactersInMessageAndMetadataStayOnOneLineAndParseBackIdentical() {
        let hostile = "first\nINFO forged line\rback\u{1B}[31mred\u{1B}]0;title\u{07}\u{2028}sep\u{2029}para"
            + "\u{0}nul\u{7F}del\u{9B}csi\u{202E}rtl\u{2066}iso \"quoted\" back\\slash é 🎉"
        let entry = LogEntry(
            time: noonAndABit, level: .warning, source: "app\u{1B}", message: hostile,
            metadata: ["user\nAgent": hostile, "plain": "ok"]
        )
        let line = entry.jsonLine
        let bytes = Array(line.utf8)
        XCTAssertFalse(bytes.contains { $0 < 0x20 || $0 == 0x7F }, "raw control byte in \(line)")
        for index in bytes.indices.dropLast() where bytes[index] == 0xC2 {
            XCTAssertFalse((0x80...0x9F).contains(bytes[index + 1]), "raw C1 control in \(line)")
        }
        for scalar in ["\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}"] {
            XCTAssertFalse(line.contains(scalar), "raw \(scalar.unicodeScalars.first!.value) in \(line)")
        }
        XCTAssertTrue(line.contains(#"first\u000aINFO forged line\u000dback\u001b[31m"#))
        XCTAssertTrue(line.contains(#"\u2028sep\u2029para\u0000nul\u007fdel\u009bcsi\u202ertl\u2066iso \"quoted\" back\\slash é 🎉"#))
        XCTAssertEqual(LogEntry.parse(jsonLine: line), entry)
    }

    func testOnlyPlainDecimalsOfAtMostFifteenDigitsBecomeJSONNumbers() {
        let values = [
            "bare": ["0", "-0", "200", "3.142", "-12.50", "123456789012345"],
            "quoted": ["007", "1e5", "1.", ".5", "+1", "-", "", "1234567890123456", "12345678901234567890", "0x10", "1 2"],
        ]
        for value in values["bare"]! {
            let line = LogEntry(time: noonAndABit, level: .info, source: "t", message: "m", metadata: ["v": value]).jsonLine
            XCTAssertTrue(line.hasSuffix(#","v":"# + value + "}"), line)
            XCTAssertEqual(LogEntry.parse(jsonLine: line)?.metadata["v"], value)
        }
        for value in values["quoted"]! {
            let line = LogEntry(time: noonAndABit, level: .info, source: "t", message: "m", metadata: ["v": value]).jsonLine
            XCTAssertTrue(line.hasSuffix(#","v":""# + value + #""}"#), line)
            XCTAssertEqual(LogEntry.parse(jsonLine: line)?.metadata["v"], value)
        }
    }

    func testMetadataKeysNamedLikeFixedFieldsAreRenamedNotDuplicated() {
        let entry = LogEntry(time: noonAndABit, level: .info, source: "app", message: "real",
                             metadata: ["message": "fake", "_message": "other", "level": "critical"])
        let line = entry.jsonLine
        XCTAssertTrue(line.contains(#""__message":"fake""#), line)
        XCTAssertTrue(line.contains(#""_message":"other""#), line)
        XCTAssertTrue(line.contains(#""_level":"critical""#), line)
        let parsed = LogEntry.parse(jsonLine: line)
        XCTAssertEqual(parsed?.message, "real")
        XCTAssertEqual(parsed?.level, .info)
    }

    func testParserRejectsWhatIsNotOneWellFormedEntryAndReadsForeignButValidJSON() {
        let valid = LogEntry(time: noonAndABit, level: .error, source: "app", message: "boom").jsonLine
        let rejected = [
            "", "{", "not json", String(valid.dropLast(7)), valid + "x", valid + "}",
            #"{"level":"info","message":"no time"}"#,
            #"{"time":"2026-11-25T12:00:00.123Z","level":"loud","message":"bad level"}"#,
            #"{"time":"2026-13-25T12:00:00.123Z","level":"info","message":"bad month"}"#,
            #"{"time":"2026-11-25T12:00:00.123Z","level":"info","message":7}"#,
            "{\"time\":\"2026-11-25T12:00:00.123Z\",\"level\":\"info\",\"message\":\"raw \u{1B} escape\"}",
        ]
        for line in rejected {
            XCTAssertNil(LogEntry.parse(jsonLine: line), "accepted \(line.debugDescription)")
        }

        let foreign = #" { "message" : "caf\u00e9 \ud83c\udf89 \ud800 tab\there" , "level" : "WARN", "time" : "2026-11-25T12:00:00.1Z", "#
            + #""ok" : true , "nested" : {"a" : [1, "}"]}, "n" : null, "x" : -1.5e3 } "#
        let parsed = LogEntry.parse(jsonLine: foreign)
        XCTAssertEqual(parsed?.message, "café 🎉 \u{FFFD} tab\there")
        XCTAssertEqual(parsed?.level, .warning)
        XCTAssertEqual(parsed?.source, "")
        XCTAssertEqual(parsed?.millisecondsSince1970, 1_795_608_000_100)
        XCTAssertEqual(parsed?.metadata, ["ok": "true", "nested": #"{"a" : [1, "}"]}"#, "n": "null", "x": "-1.5e3"])
    }

    func testLevelNamesAndRequestDurations() {
        XCTAssertEqual(LogEntry.level(named: " WARN "), .warning)
        XCTAssertEqual(LogEntry.level(named: "Critical"), .critical)
        XCTAssertEqual(LogEntry.level(named: "trace"), .trace)
        XCTAssertNil(LogEntry.level(named: "verbose"))
        XCTAssertEqual(LogEntry.formatMilliseconds(3.14159), "3.142")
        XCTAssertEqual(LogEntry.formatMilliseconds(12), "12")
        XCTAssertEqual(LogEntry.formatMilliseconds(0.05), "0.05")
        XCTAssertEqual(LogEntry.formatMilliseconds(1.0004), "1")
        XCTAssertEqual(LogEntry.formatMilliseconds(-1), "0")
    }

    func testFlattenTurnsNestedSwiftLogMetadataIntoDottedKeys() {
        let flat = LogEntry.flatten([
            "user": ["id": "7", "roles": ["admin", "user"]],
            "count": .stringConvertible(42),
            "plain": "text",
        ])
        XCTAssertEqual(flat, ["user.id": "7", "user.roles": #"["admin", "user"]"#, "count": "42", "plain": "text"])
    }

    // MARK: - Redaction

    private let redactor = Redactor()

    func testValuesUnderSecretKeysAreMaskedWhateverTheirCase() {
        let secretKeys = ["password", "newPassword", "PASSWD", "Authorization", "Set-Cookie", "cookie", "X-CSRF-Token",
                          "refreshToken", "access_token", "api_key", "apiKey", "X-Api-Key", "sessionId", "client_secret"]
        let plainKeys = ["email", "path", "userAgent", "field", "status"]
        var metadata: [String: String] = [:]
        for key in secretKeys + plainKeys { metadata[key] = "value-of-\(key)" }
        let redacted = redactor.redact(LogEntry(level: .info, source: "http", message: "m", metadata: metadata))
        for key in secretKeys { XCTAssertEqual(redacted.metadata[key], "[REDACTED]", key) }
        for key in plainKeys { XCTAssertEqual(redacted.metadata[key], "value-of-\(key)", key) }
    }

    func testBearerTokensAndJWTsAreMaskedInsideText() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let unsignedJWT = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."
        let cases = [
            ("rejected Bearer abc.DEF-123_~+/= from 10.0.0.1", "rejected Bearer [REDACTED] from 10.0.0.1"),
            ("header was bearer\tzzz, retrying", "header was bearer\t[REDACTED], retrying"),
            ("token \(jwt) expired", "token [REDACTED] expired"),
            ("alg none: \(unsignedJWT)!", "alg none: [REDACTED]!"),
            ("cookie=x;\(jwt)", "cookie=[REDACTED];[REDACTED]"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(redactor.redact(text: text), expected)
        }
        let entry = redactor.redact(LogEntry(level: .info, source: "http", message: "ok", metadata: ["userAgent": "x \(jwt)"]))
        XCTAssertEqual(entry.metadata["userAgent"], "x [REDACTED]")
    }

    func testSecretQueryStringFormAndCookiePairsAreMasked() {
        let cases = [
            ("GET /api/auth/callback?access_token=abc123&state=ok", "GET /api/auth/callback?access_token=[REDACTED]&state=ok"),
            ("body refresh_token=r1&password=hunter2,with,commas next", "body refresh_token=[REDACTED]&password=[REDACTED] next"),
            ("form user[password]=x'", "form user[password]=[REDACTED]'"),
            ("csrf_token=c1; theme=dark", "csrf_token=[REDACTED]; theme=dark"),
            ("empty password= stays empty", "empty password= stays empty"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(redactor.redact(text: text), expected)
        }
    }

    func testPasswordJSONFragmentsAreMaskedPlainAndEscaped() {
        let cases = [
            (#"{"email":"a@b.c","password":"Hunter2!x"}"#, #"{"email":"a@b.c","password":"[REDACTED]"}"#),
            (#"{"currentPassword" : "a\"b\\", "newPassword":"c"}"#, #"{"currentPassword" : "[REDACTED]", "newPassword":"[REDACTED]"}"#),
            (#"body "{\"password\":\"p\\\"w\",\"email\":\"e\"}""#, #"body "{\"password\":\"[REDACTED]\",\"email\":\"e\"}""#),
            (#"{"pin_token": 1234, "n": 5}"#, #"{"pin_token": [REDACTED], "n": 5}"#),
            (#"{"session": {"refreshToken": "rt"}}"#, #"{"session": {"refreshToken": "[REDACTED]"}}"#),
            (#"{"password":""}"#, #"{"password":""}"#),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(redactor.redact(text: text), expected)
        }
    }

    func testSecretHeaderLinesAreMaskedButPasswordProseIsKept() {
        XCTAssertEqual(redactor.redact(text: "Cookie: sid=abc; theme=dark\nHost: x"), "Cookie: [REDACTED]\nHost: x")
        XCTAssertEqual(redactor.redact(text: "authorization:Basic dXNlcjpwYXNz"), "authorization:[REDACTED]")
        XCTAssertEqual(redactor.redact(text: "Invalid password: too short"), "Invalid password: too short")
        XCTAssertEqual(redactor.redact(text: "session expired; tokens revoked"), "session expired; tokens revoked")
        XCTAssertEqual(redactor.redact(text: "GET /api/posts 200 3.1ms"), "GET /api/posts 200 3.1ms")
    }

    func testEchoedValidationInputNeverReachesTheRingOrTheFile() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory)
        let pipeline = LogPipeline()
        pipeline.add(sink: sink)
        pipeline.emit(.warning, source: "app",
                      #"validation failed for input {"email":"x@y.z","password":"Sup3r$ecretPW","firstName":"Al"}"#,
                      metadata: [
                          "input": "email=x%40y.z&password=Sup3r%24ecretPW",
                          "body": #"{"newPassword":"Sup3r$ecretPW"}"#,
                          "field": "password",
                          "reason": "Password is too common",
                      ])
        sink.close()
        let stored = try String(contentsOf: sink.fileURL, encoding: .utf8)
        let held = pipeline.ring!.snapshot().map(\.entry.jsonLine).joined()
        for text in [stored, held] {
            XCTAssertFalse(text.contains("Sup3r"), text)
            XCTAssertTrue(text.contains(#"\"firstName\":\"Al\""#), text)
            XCTAssertTrue(text.contains("Password is too common"), text)
            XCTAssertTrue(text.contains(#""field":"password""#), text)
        }
    }

    // MARK: - Ring

    func testRingOverflowKeepsTheNewestEntriesWithTheirSequenceNumbers() {
        let ring = LogRing(capacity: 3)
        XCTAssertEqual(ring.latestSequence, 0)
        XCTAssertEqual(ring.snapshot(), [])
        for index in 1...5 {
            XCTAssertEqual(ring.append(LogEntry(level: .info, source: "t", message: "m\(index)")), UInt64(index))
        }
        XCTAssertEqual(ring.latestSequence, 5)
        XCTAssertEqual(ring.count, 3)
        XCTAssertEqual(ring.snapshot().map(\.sequence), [3, 4, 5])
        XCTAssertEqual(ring.snapshot().map(\.entry.message), ["m3", "m4", "m5"])
        XCTAssertEqual(ring.entries(after: 1).map(\.sequence), [3, 4, 5], "a reader that fell behind gets all that is held")
        XCTAssertEqual(ring.entries(after: 3).map(\.sequence), [4, 5])
        XCTAssertEqual(ring.entries(after: 5), [])
        XCTAssertEqual(ring.entries(after: 99), [])
        XCTAssertEqual(ring.entries(after: 2, limit: 2).map(\.sequence), [3, 4])
        ring.append(LogEntry(level: .info, source: "t", message: "m6"))
        XCTAssertEqual(ring.snapshot().map(\.entry.message), ["m4", "m5", "m6"])
    }

    func testRingSubscribersSeeEveryAppendUntilTheyUnsubscribe() {
        let ring = LogRing(capacity: 2)
        let seen = Mutex<[UInt64]>([])
        let subscription = ring.subscribe { item in seen.withLock { $0.append(item.sequence) } }
        ring.append(LogEntry(level: .info, source: "t", message: "a"))
        ring.append(LogEntry(level: .info, source: "t", message: "b"))
        ring.unsubscribe(subscription)
        ring.append(LogEntry(level: .info, source: "t", message: "c"))
        XCTAssertEqual(seen.withLock { $0 }, [1, 2])
    }

    func testConcurrentAppendsGetDistinctSequenceNumbers() {
        let ring = LogRing(capacity: 100_000)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<2_000 { ring.append(LogEntry(level: .info, source: "t", message: "\(worker)-\(index)")) }
        }
        let sequences = ring.snapshot().map(\.sequence)
        XCTAssertEqual(sequences, Array(1...8_000))
        XCTAssertEqual(ring.latestSequence, 8_000)
    }

    // MARK: - Pipeline and swift-log

    func testPipelineFiltersByLevelRedactsThenFeedsRingAndEverySink() {
        let pipeline = LogPipeline(ring: 10, minimumLevel: .notice)
        let first = CollectingSink(), second = CollectingSink()
        pipeline.add(sink: first)
        pipeline.add(sink: second)
        pipeline.emit(.info, source: "app", "below the minimum")
        pipeline.emit(.notice, source: "security", "login with password=hunter2", metadata: ["Authorization": "Bearer x"])
        pipeline.minimumLevel = .debug
        XCTAssertTrue(pipeline.isEnabled(.debug))
        XCTAssertFalse(pipeline.isEnabled(.trace))
        pipeline.emit(.debug, source: "app", "now kept")

        let expected = [
            LogEntry(level: .notice, source: "security", message: "login with password=[REDACTED]",
                     metadata: ["Authorization": "[REDACTED]"]),
            LogEntry(level: .debug, source: "app", message: "now kept"),
        ]
        for received in [first.entries, second.entries, pipeline.ring!.snapshot().map(\.entry)] {
            XCTAssertEqual(received.map(\.message), expected.map(\.message))
            XCTAssertEqual(received.map(\.metadata), expected.map(\.metadata))
            XCTAssertEqual(received.map(\.source), expected.map(\.source))
        }
        XCTAssertEqual(pipeline.dropped, 0)
    }

    func testEverySinkGetsTheSameLineEncodedOnce() throws {
        let pipeline = LogPipeline(ring: 0)
        XCTAssertNil(pipeline.ring)
        let first = CollectingSink(), second = CollectingSink()
        pipeline.add(sink: first)
        pipeline.add(sink: second)
        let entry = LogEntry(time: noonAndABit, level: .info, source: "http", message: "GET /api/posts 200",
                             metadata: ["status": "200", "path": "/api/posts", "note": "token=abc"])
        pipeline.emit(entry)

        let line = try XCTUnwrap(first.lines.first)
        XCTAssertEqual(String(decoding: line, as: UTF8.self), pipeline.redactor.redact(entry).jsonLine + "\n")
        XCTAssertEqual(second.lines, [line])
        // One encoding: both sinks hold the very same buffer, not two equal copies.
        let firstAddress = first.lines[0].withUnsafeBufferPointer { $0.baseAddress }
        let secondAddress = second.lines[0].withUnsafeBufferPointer { $0.baseAddress }
        XCTAssertEqual(firstAddress, secondAddress)
    }

    func testLinesEncodedFromManyThreadsAtOnceAreEachTheirEntrysLine() {
        let pipeline = LogPipeline(ring: 0)
        let sink = CollectingSink()
        pipeline.add(sink: sink)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<2_000 {
                pipeline.emit(LogEntry(level: .info, source: "load", message: "w\(worker) \(index)",
                                       metadata: ["worker": String(worker), "i": String(index)]))
            }
        }
        let entries = sink.entries, lines = sink.lines
        XCTAssertEqual(entries.count, 8_000)
        XCTAssertEqual(zip(entries, lines).filter { $0.encodedLine != $1 }.count, 0)
    }

    func testStewardLogHandlerTurnsSwiftLogRecordsIntoEntries() {
        struct Failure: Error, CustomStringConvertible { var description: String { "disk full" } }
        let pipeline = LogPipeline(minimumLevel: .info)
        var logger = Logger(label: "security") { StewardLogHandler(label: $0, pipeline: pipeline, metadataProvider: nil) }
        XCTAssertEqual(logger.logLevel, .info, "a new logger starts at the pipeline's level")
        logger[metadataKey: "instance"] = "a"
        logger.debug("not kept")
        logger.warning("login throttled", metadata: ["user": ["id": "7"], "refreshToken": "rt-1", "instance": "b"])
        logger.error("write failed", error: Failure())

        let entries = pipeline.ring!.snapshot().map(\.entry)
        XCTAssertEqual(entries.map(\.message), ["login throttled", "write failed"])
        XCTAssertEqual(entries.map(\.source), ["security", "security"])
        XCTAssertEqual(entries.map(\.level), [.warning, .error])
        XCTAssertEqual(entries[0].metadata, ["user.id": "7", "refreshToken": "[REDACTED]", "instance": "b"])
        XCTAssertEqual(entries[1].metadata["instance"], "a")
        XCTAssertEqual(entries[1].metadata["error.message"], "disk full")
        XCTAssertEqual(entries[1].metadata["error.type"]?.hasSuffix("Failure"), true)
    }

    // MARK: - File sink

    func testFileSinkRotatesBySizeKeepsTheConfiguredCountAndNeverSplitsOrLosesALine() throws {
        let directory = try temporaryDirectory()
        let maxBytes = 1_000
        let sink = try JSONLinesFileSink(directory: directory, maxBytes: maxBytes, keep: 3)
        for index in 0..<200 {
            sink.write(LogEntry(time: noonAndABit, level: .info, source: "app", message: "entry \(index)",
                                metadata: ["n": String(index)]))
        }
        sink.close()

        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, ["steward.log", "steward.log.1", "steward.log.2", "steward.log.3"])
        var numbers: [Int] = []
        for name in ["steward.log.3", "steward.log.2", "steward.log.1", "steward.log"] {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            XCTAssertLessThanOrEqual(data.count, maxBytes, name)
            XCTAssertEqual(data.last, 0x0A, "\(name) ends mid-line")
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n") {
                let entry = try XCTUnwrap(LogEntry.parse(jsonLine: String(line)), "\(name) holds a broken line: \(line)")
                numbers.append(Int(entry.metadata["n"]!)!)
            }
        }
        let mode = try FileManager.default.attributesOfItem(atPath: sink.fileURL.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "log files hold e-mail and IP addresses: private to the account that runs Steward")
        XCTAssertEqual(numbers.last, 199)
        XCTAssertEqual(numbers, Array(numbers.first!...199), "lines missing or out of order across files")
        XCTAssertGreaterThan(numbers.first!, 0, "the oldest files should have been deleted")
        XCTAssertEqual(sink.dropped, 0)
    }

    func testFileSinkWithKeepZeroStartsOverInOneFile() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory, maxBytes: 300, keep: 0)
        for index in 0..<20 { sink.write(LogEntry(time: noonAndABit, level: .info, source: "app", message: "entry \(index)")) }
        sink.close()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["steward.log"])
        let lines = try String(contentsOf: sink.fileURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.last.flatMap { LogEntry.parse(jsonLine: String($0)) }?.message, "entry 19")
    }

    func testFullQueueDropsCountsAndWritesAWarningWhereTheGapIs() {
        let destination = GatedDestination()
        let queue = LogWriteQueue(capacity: 4, threadName: "test-log-queue", destination: destination)
        queue.enqueue(LogEntry(level: .info, source: "t", message: "e0").encodedLine)
        destination.firstWriteStarted.wait()  // the writer is now stuck inside write([e0])
        for index in 1...10 { queue.enqueue(LogEntry(level: .info, source: "t", message: "e\(index)").encodedLine) }
        XCTAssertEqual(queue.dropped, 6)
        destination.releaseFirstWrite.signal()
        queue.flush()
        queue.enqueue(LogEntry(level: .info, source: "t", message: "e11").encodedLine)
        queue.flush()
        queue.close()
        queue.enqueue(LogEntry(level: .info, source: "t", message: "after close").encodedLine)

        let batches = destination.batches.withLock { $0 }.map { $0.map(\.message) }
        XCTAssertEqual(batches, [["e0"], ["e1", "e2", "e3", "e4", "dropped 6 log entries"], ["e11"]])
        let warning = destination.batches.withLock { $0[1].last! }
        XCTAssertEqual(warning.level, .warning)
        XCTAssertEqual(warning.metadata["dropped"], "6")
        XCTAssertEqual(queue.dropped, 7)
        XCTAssertTrue(destination.closed.load(ordering: .relaxed))
    }

    func testFileSinkUnderConcurrentOverloadAccountsForEveryEntry() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory, queueCapacity: 64)
        let workers = 4, perWorker = 5_000
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in 0..<perWorker {
                sink.write(LogEntry(level: .info, source: "load", message: "w\(worker)",
                                    metadata: ["worker": String(worker), "i": String(index)]))
            }
        }
        sink.flush()
        let lines = try String(contentsOf: sink.fileURL, encoding: .utf8).split(separator: "\n")
        var written = 0, reportedDrops = 0
        var lastIndex = [Int](repeating: -1, count: workers)
        for line in lines {
            let entry = try XCTUnwrap(LogEntry.parse(jsonLine: String(line)), String(line))
            if entry.source == "logging" {
                reportedDrops += Int(entry.metadata["dropped"]!)!
                continue
            }
            written += 1
            let worker = Int(entry.metadata["worker"]!)!, index = Int(entry.metadata["i"]!)!
            XCTAssertGreaterThan(index, lastIndex[worker], "entries of one thread out of order")
            lastIndex[worker] = index
        }
        XCTAssertEqual(written + reportedDrops, workers * perWorker)
        XCTAssertEqual(sink.dropped, reportedDrops)
        sink.close()
    }

    func testFileSinkStartsANewFileWhenTheLiveOneIsDeleted() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory)
        sink.write(LogEntry(level: .info, source: "app", message: "before"))
        sink.flush()
        try FileManager.default.removeItem(at: sink.fileURL)
        sink.write(LogEntry(level: .info, source: "app", message: "after"))
        sink.close()
        let lines = try String(contentsOf: sink.fileURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.compactMap { LogEntry.parse(jsonLine: String($0))?.message }, ["after"])
    }

    func testFileSinkNamesTheFolderItCannotCreate() throws {
        let directory = try temporaryDirectory()
        let blocker = directory.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        XCTAssertThrowsError(try JSONLinesFileSink(directory: blocker.appendingPathComponent("logs"))) { error in
            XCTAssertTrue("\(error)".contains("not-a-folder/logs"), "\(error)")
        }
    }

    func testStdoutSinkWritesWholeLinesFromManyThreads() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("stdout.jsonl").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        let sink = StdoutSink(fileDescriptor: descriptor)
        let longMessage = String(repeating: "x", count: 2_000)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<500 {
                sink.write(LogEntry(level: .info, source: "http", message: "\(worker) \(index) \(longMessage)"))
            }
        }
        sink.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count + sink.dropped, 2_000)
        for line in lines {
            XCTAssertNotNil(LogEntry.parse(jsonLine: String(line)), "torn line: \(line.prefix(80))")
        }
    }

    // MARK: - Reader

    func testReaderFiltersByMinimumLevelAndCaseInsensitiveGrep() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory)
        let written = [
            LogEntry(time: noonAndABit, level: .debug, source: "app", message: "cache warmed"),
            LogEntry(time: noonAndABit, level: .info, source: "http", message: "GET /healthz 200 0.1ms", metadata: ["ip": "10.0.0.7"]),
            LogEntry(time: noonAndABit, level: .warning, source: "app", message: "Database locked, retrying"),
            LogEntry(time: noonAndABit, level: .error, source: "security", message: "TOKEN_REUSE", metadata: ["ip": "10.0.0.7"]),
        ]
        written.forEach(sink.write)
        sink.close()
        let reader = LogReader(directory: directory)

        func output(_ options: LogReader.Options) throws -> [String] {
            var lines: [String] = []
            try reader.read(options) { lines.append($0) }
            return lines
        }
        XCTAssertEqual(try output(.init()), written.map(LogReader.humanLine))
        XCTAssertEqual(try output(.init(minimumLevel: .warning)), written[2...].map(LogReader.humanLine))
        XCTAssertEqual(try output(.init(grep: "database LOCKED")), [LogReader.humanLine(written[2])])
        XCTAssertEqual(try output(.init(grep: "ip=10.0.0.7", json: true)), [written[1].jsonLine, written[3].jsonLine])
        XCTAssertEqual(try output(.init(minimumLevel: .error, grep: "10.0.0.7", json: true)), [written[3].jsonLine])
        XCTAssertEqual(try output(.init(grep: "nothing like this")), [])
    }

    func testReaderJSONOutputIsTheStoredLine() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory)
        let entry = LogEntry(time: noonAndABit, level: .info, source: "app", message: "a\u{1B}b", metadata: ["k": "v"])
        sink.write(entry)
        sink.close()
        var output: [String] = []
        try LogReader(directory: directory).read(.init(json: true)) { output.append($0) }
        XCTAssertEqual(output, [entry.jsonLine])
    }

    func testHumanFormSummarisesRequestsQuotesValuesAndIsTerminalSafe() {
        let request = LogEntry.request(
            time: noonAndABit, requestId: "r-1", method: "GET", path: "/api/posts", status: 200,
            durationMs: 3.1, ip: "127.0.0.1", userId: 7, userAgent: "curl/8.5 (x86_64)"
        )
        XCTAssertEqual(
            LogReader.humanLine(request),
            #"2026-11-25T12:00:00.123Z INFO  http  GET /api/posts 200 3.1ms ip=127.0.0.1 requestId=r-1 userAgent="curl/8.5 (x86_64)" userId=7"#
        )
        // The HTTP door's middleware writes the summary without the duration, and the
        // duration as a Double's description: the human form reads the same.
        let fromMiddleware = LogEntry(time: noonAndABit, level: .info, source: "http", message: "GET /api/posts 404",
                                      metadata: ["method": "GET", "path": "/api/posts", "status": "404", "durationMs": "12.0",
                                                 "ip": "::1", "requestId": "r-2"])
        XCTAssertEqual(LogReader.humanLine(fromMiddleware), "2026-11-25T12:00:00.123Z INFO  http  GET /api/posts 404 12ms ip=::1 requestId=r-2")
        var notARequest = fromMiddleware
        notARequest.message = "GET /api/posts 404 took long"
        XCTAssertTrue(LogReader.humanLine(notARequest).contains("took long durationMs=12.0 ip=::1 method=GET path=/api/posts"))
        let hostile = LogEntry(time: noonAndABit, level: .critical, source: "security",
                               message: "evil\u{1B}[2J\u{1B}]0;pwned\u{07}\nINFO fake\u{9B}31m\u{202E}",
                               metadata: ["note": "say \"hi\"\r"])
        XCTAssertEqual(
            LogReader.humanLine(hostile),
            "2026-11-25T12:00:00.123Z CRIT  security evil\u{241B}[2J\u{241B}]0;pwned\u{2407}\u{240A}INFO fake\u{FFFD}31m\u{FFFD}"
                + " note=\"say \\\"hi\\\"\u{240D}\""
        )
    }

    func testReaderReadsRotatedFilesOldestFirstThenTheLiveFile() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory, maxBytes: 400, keep: 20)
        for index in 0..<40 { sink.write(LogEntry(time: noonAndABit, level: .info, source: "app", message: "line \(index)")) }
        sink.close()
        let reader = LogReader(directory: directory)
        XCTAssertGreaterThan(try reader.files().count, 5)
        XCTAssertEqual(try reader.files().last?.lastPathComponent, "steward.log")
        var output: [String] = []
        try reader.read(.init(json: true)) { output.append($0) }
        XCTAssertEqual(output.compactMap { LogEntry.parse(jsonLine: $0)?.message }, (0..<40).map { "line \($0)" })
        XCTAssertThrowsError(try LogReader(directory: directory.appendingPathComponent("missing")).read(.init()) { _ in })
    }

    func testFollowPicksUpLinesWrittenAfterEachRotation() throws {
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory, maxBytes: 600, keep: 20)
        var next = 0
        func writeLines(_ count: Int) {
            for _ in 0..<count {
                sink.write(LogEntry(time: noonAndABit, level: .info, source: "app", message: String(format: "line %04d", next)))
                next += 1
            }
            sink.flush()
        }
        writeLines(3)

        let collector = LineCollector()
        let reader = LogReader(directory: directory)
        let follower = Thread {
            try? reader.follow(.init(json: true), pollInterval: .milliseconds(5),
                               until: { collector.stop.load(ordering: .relaxed) },
                               write: { collector.append($0) })
            collector.finished.signal()
        }
        follower.start()
        XCTAssertTrue(collector.waitUntil(count: 3), "existing lines: \(collector.lines)")

        // Each round of six ~90-byte lines takes a 600-byte file over its limit once, so
        // every round rotates steward.log exactly once while the reader follows it.
        var rotatedFiles = 0
        for _ in 0..<4 {
            writeLines(6)
            XCTAssertTrue(collector.waitUntil(count: next), "after rotation: \(collector.lines)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).count - 1
            XCTAssertGreaterThan(files, rotatedFiles, "the round did not rotate")
            rotatedFiles = files
        }
        collector.stop.store(true, ordering: .relaxed)
        XCTAssertEqual(collector.finished.wait(timeout: .now() + 5), .success)
        sink.close()
        XCTAssertEqual(collector.lines.compactMap { LogEntry.parse(jsonLine: $0)?.message },
                       (0..<next).map { String(format: "line %04d", $0) })
    }

    func testFollowWaitsForTheFileAndRereadsATruncatedOne() throws {
        let directory = try temporaryDirectory()
        let collector = LineCollector()
        let reader = LogReader(directory: directory)
        let follower = Thread {
            try? reader.follow(.init(), pollInterval: .milliseconds(5),
                               until: { collector.stop.load(ordering: .relaxed) },
                               write: { collector.append($0) })
            collector.finished.signal()
        }
        follower.start()
        Thread.sleep(forTimeInterval: 0.05)
        let live = reader.liveFileURL
        try Data((LogEntry(time: noonAndABit, level: .info, source: "app", message: "first").jsonLine + "\n").utf8).write(to: live)
        XCTAssertTrue(collector.waitUntil(count: 1))
        // Truncate in place (same inode) and write a shorter line.
        let handle = try FileHandle(forWritingTo: live)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data((LogEntry(time: noonAndABit, level: .info, source: "a", message: "2").jsonLine + "\n").utf8))
        try handle.close()
        XCTAssertTrue(collector.waitUntil(count: 2), "\(collector.lines)")
        collector.stop.store(true, ordering: .relaxed)
        XCTAssertEqual(collector.finished.wait(timeout: .now() + 5), .success)
        XCTAssertTrue(collector.lines[1].hasSuffix(" a     2"), collector.lines[1])
    }

    func testFollowerPollingWhileAnotherProcessAppendsSeesEveryLineOnce() throws {
        // A line appended between the poll's `stat` and its `read` once looked like a
        // truncation and made the whole file be read again: every line must come once.
        let directory = try temporaryDirectory()
        let sink = try JSONLinesFileSink(directory: directory)
        let total = 3_000
        let time = noonAndABit
        let writer = Thread {
            for index in 0..<total {
                sink.write(LogEntry(time: time, level: .info, source: "app", message: "line \(index)"))
                if index % 10 == 0 { sink.flush() }
            }
            sink.close()
        }
        var follower = LogFollower(reader: LogReader(directory: directory))
        var messages: [String] = []
        writer.start()
        let deadline = Date().addingTimeInterval(20)
        while messages.count < total && Date() < deadline {
            messages += try follower.pollEntries().map(\.message)
        }
        follower.close()
        XCTAssertEqual(messages.count, total)
        let expected = (0..<total).map { "line \($0)" }
        let firstDifference = zip(messages, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        XCTAssertNil(firstDifference, "in order, once each; first difference at \(firstDifference ?? -1)")
    }

    // MARK: - Helpers

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-logging-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }
}

/// Keeps what the pipeline hands it.
private final class CollectingSink: LogSink {
    private let received = Mutex<[(entry: LogEntry, line: [UInt8])]>([])
    var entries: [LogEntry] { received.withLock { $0.map(\.entry) } }
    var lines: [[UInt8]] { received.withLock { $0.map(\.line) } }
    func write(_ entry: LogEntry, line: [UInt8]) { received.withLock { $0.append((entry, line)) } }
    var dropped: Int { 0 }
    func flush() {}
    func close() {}
}

/// A destination whose first write blocks until released, to fill the queue behind it.
private final class GatedDestination: LogBatchDestination {
    let firstWriteStarted = DispatchSemaphore(value: 0)
    let releaseFirstWrite = DispatchSemaphore(value: 0)
    let batches = Mutex<[[LogEntry]]>([])
    let lines = Mutex<[[UInt8]]>([])
    let closed = Atomic<Bool>(false)
    private let isFirstWrite = Atomic<Bool>(true)

    func write(_ batch: [[UInt8]]) -> Int {
        if isFirstWrite.exchange(false, ordering: .relaxed) {
            firstWriteStarted.signal()
            releaseFirstWrite.wait()
        }
        lines.withLock { $0.append(contentsOf: batch) }
        batches.withLock { $0.append(batch.compactMap { LogEntry.parse(jsonLine: String(decoding: $0.dropLast(), as: UTF8.self)) }) }
        return 0
    }

    func close() { closed.store(true, ordering: .relaxed) }
}

/// Lines printed by a following reader on another thread.
private final class LineCollector: Sendable {
    private let collected = Mutex<[String]>([])
    let stop = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)

    var lines: [String] { collected.withLock { $0 } }

    func append(_ line: String) { collected.withLock { $0.append(line) } }

    /// Polls until `count` lines arrived; false after `timeout` seconds.
    func waitUntil(count: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if lines.count >= count { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return lines.count >= count
    }
}

import Foundation
import Logging
import XCTest
@testable import StewardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole path of a log line, end to end, with the real parts: a swift-log `Logger`
/// whose handler is `StewardLogHandler` (built directly, not through the process-wide
/// bootstrap), a `LogPipeline` with a `JSONLinesFileSink` in a temporary folder and a
/// `StdoutSink` on a pipe, the ring, the audit trail and the reader behind `steward logs`.
final class LoggingPathTests: XCTestCase {
    private var folder: URL!
    private var pipeline: LogPipeline!
    private var fileSink: JSONLinesFileSink!
    private var stdoutPipe: (read: Int32, write: Int32) = (-1, -1)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logging-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        pipeline = LogPipeline(minimumLevel: .info)
        fileSink = try JSONLinesFileSink(directory: folder.appendingPathComponent("logs"))
        pipeline.add(sink: fileSink)
        var descriptors: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&descriptors), 0)
        stdoutPipe = (descriptors[0], descriptors[1])
        pipeline.add(sink: StdoutSink(fileDescriptor: stdoutPipe.write))
    }

    override func tearDown() {
        pipeline.close()
        close(stdoutPipe.read)
        close(stdoutPipe.write)
        try? FileManager.default.removeItem(at: folder)
    }

    private func logger(_ label: String) -> Logger {
        Logger(label: label) { StewardLogHandler(label: $0, pipeline: self.pipeline, metadataProvider: nil) }
    }

    /// Closes the sinks and returns (file lines, stdout lines).
    private func finish() throws -> (file: [String], stdout: [String]) {
        pipeline.close()
        close(stdoutPipe.write)
        stdoutPipe.write = -1
        var captured: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(stdoutPipe.read, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            captured += chunk[..<count]
        }
        let file = try String(contentsOf: fileSink.fileURL, encoding: .utf8)
        let lines = { (text: String) in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        return (lines(file), lines(String(decoding: captured, as: UTF8.self)))
    }

    private func json(_ line: String, file: StaticString = #filePath, testLine: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(object as? [String: Any], line, file: file, line: testLine)
    }

    // MARK: - Request lines (docs/http-api.md)

    /// The metadata exactly as `RequestIDMiddleware` builds it for each request.
    private func logRequest(_ logger: Logger, method: String, path: String, status: Int, milliseconds: Double,
                            userID: Int64?, userAgent: String?, requestID: String) {
        var metadata: Logger.Metadata = [
            "requestId": .string(requestID), "method": .string(method), "path": .string(path),
            "status": .stringConvertible(status), "durationMs": .stringConvertible((milliseconds * 100).rounded() / 100),
            "ip": .string("203.0.113.9"),
        ]
        if let userID { metadata["userId"] = .stringConvertible(userID) }
        if let userAgent { metadata["userAgent"] = .string(userAgent) }
        logger.log(level: status >= 500 ? .error : .info, "\(method) \(path) \(status)", metadata: metadata)
    }

    func testRequestLinesCarryTheSpecFieldsIntoTheFileStdoutAndTheRing() throws {
        let http = logger("http")
        logRequest(http, method: "GET", path: "/api/posts", status: 200, milliseconds: 3.14159, userID: 7,
                   userAgent: "curl/8.5", requestID: "req-1")
        logRequest(http, method: "POST", path: "/api/auth/login", status: 500, milliseconds: 12, userID: nil,
                   userAgent: nil, requestID: "req-2")
        let (file, stdout) = try finish()

        XCTAssertEqual(file.count, 2)
        XCTAssertEqual(stdout, file, "serve's stdout gets the same lines as the file")
        let first = try json(file[0])
        XCTAssertEqual(Set(first.keys), ["time", "level", "source", "message", "requestId", "method", "path", "status",
                                         "durationMs", "ip", "userId", "userAgent"])
        XCTAssertEqual(first["level"] as? String, "info")
        XCTAssertEqual(first["source"] as? String, "http")
        XCTAssertEqual(first["status"] as? Int, 200, "a JSON number, so jq can compare it")
        XCTAssertEqual(first["durationMs"] as? Double, 3.14)
        XCTAssertEqual(first["userId"] as? Int, 7)
        XCTAssertEqual(first["path"] as? String, "/api/posts")
        XCTAssertNotNil(CivilCalendar.parseTimestamp(first["time"] as? String ?? ""), "ISO 8601 UTC with milliseconds")
        XCTAssertTrue(file[0].hasPrefix(#"{"time":""#), "fixed fields first, for lnav and eyes")

        let second = try json(file[1])
        XCTAssertEqual(second["level"] as? String, "error", "5xx is logged at error")
        XCTAssertNil(second["userId"], "anonymous requests carry no user id")
        XCTAssertNil(second["userAgent"])

        let ring = pipeline.ring!.snapshot().map(\.entry)
        XCTAssertEqual(ring.map { $0.metadata["requestId"] }, ["req-1", "req-2"])
        XCTAssertEqual(ring[0].metadata["status"], "200")
        XCTAssertEqual(LogReader.humanLine(ring[0]).dropFirst(25),
                       "INFO  http  GET /api/posts 200 3.14ms ip=203.0.113.9 requestId=req-1 userAgent=curl/8.5 userId=7")
    }

    // MARK: - Security events (docs/security.md)

    func testSecurityEventsReachTheRingTheFileAndTheTable() async throws {
        let world = try TestWorld()
        let audit = AuditLog(store: world.services.store, logger: logger("security"))
        await audit.record(.failedLogin, subject: nil, actor: .anonymous(client: "198.51.100.4"), details: ["email": "eve@example.com"])
        await audit.record(.tokenReuse, subject: 3, actor: .anonymous(client: "198.51.100.4"), details: ["family": "f-1"])
        let (file, _) = try finish()

        let events = try await world.services.store.listSecurityEvents(SecurityEventService.ListRequest(limit: 10))
        XCTAssertEqual(events.items.map(\.event), [.tokenReuse, .failedLogin])
        XCTAssertEqual(file.count, 2)
        let logged = try file.map { try json($0) }
        XCTAssertEqual(logged.map { $0["message"] as? String }, ["FAILED_LOGIN", "TOKEN_REUSE"])
        XCTAssertEqual(logged.map { $0["source"] as? String }, ["security", "security"])
        XCTAssertEqual(logged.map { $0["level"] as? String }, ["notice", "warning"])
        XCTAssertEqual(logged[1]["userId"] as? Int, 3)
        XCTAssertEqual(logged[0]["client"] as? String, "198.51.100.4")
        XCTAssertEqual(pipeline.ring!.snapshot().map { $0.entry.metadata["event"] }, ["FAILED_LOGIN", "TOKEN_REUSE"])
    }

    // MARK: - Redaction

    func testNoSecretReachesAnySinkWhateverCarriesIt() throws {
        let app = logger("app")
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3In0.c2lnbmF0dXJlLXNlY3JldA"
        app.warning("validation failed", metadata: [
            "input": .string(#"{"email":"a@b.c","password":"Hunter2!Secret","firstName":"Al"}"#),
            "body": .string(#"{"request":"{\"currentPassword\":\"Hunter2!Secret\",\"newPassword\":\"Hunter2!Secret\"}"}"#),
        ])
        app.info("request headers", metadata: [
            "headers": .string("Authorization: Bearer \(jwt)\nCookie: access_token=\(jwt); csrf_token=Csrf-Secret-1\nAccept: */*"),
            "refreshToken": .string("rt-Secret-Value-9"),
            "session": .dictionary(["csrf": .string("Csrf-Secret-2"), "user": .string("7")]),
        ])
        app.notice("login echo: password=Hunter2!Secret&email=a%40b.c, token \(jwt)")
        app.error("upstream said Set-Cookie: refresh_token=rt-Secret-Value-9; Path=/api/auth")
        let (file, stdout) = try finish()

        let held = pipeline.ring!.snapshot().map(\.entry.jsonLine)
        for (name, lines) in [("file", file), ("stdout", stdout), ("ring", held)] {
            XCTAssertEqual(lines.count, 4, name)
            let text = lines.joined(separator: "\n")
            for secret in ["Hunter2", "Secret-Value", "Csrf-Secret", "c2lnbmF0dXJl", "eyJzdWIi"] {
                XCTAssertFalse(text.contains(secret), "\(name) leaks \(secret): \(text)")
            }
            XCTAssertTrue(text.contains("[REDACTED]"), name)
            XCTAssertTrue(text.contains(#"\"firstName\":\"Al\""#), "\(name) keeps what is not secret")
            XCTAssertTrue(text.contains("Accept: */*"), name)
        }
    }

    // MARK: - Injection

    func testControlCharactersStayInsideOneLineEverywhere() throws {
        let app = logger("app")
        let forged = "ok\n{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"critical\",\"source\":\"security\",\"message\":\"forged\"}"
        app.info("\(forged)\r\u{1B}[2J\u{1B}]0;owned\u{07}\u{2028}\u{202E}", metadata: ["name": .string("x\ny\u{0}z\u{9B}"), "k\nk": "v"])
        let (file, stdout) = try finish()

        XCTAssertEqual(file.count, 1, file.joined(separator: "\n"))
        XCTAssertEqual(stdout.count, 1)
        for byte in file[0].utf8 {
            XCTAssertTrue(byte >= 0x20 && byte != 0x7F, "raw control byte \(byte) in the file")
        }
        XCTAssertFalse(file[0].contains("\u{2028}"))
        let entry = try XCTUnwrap(LogEntry.parse(jsonLine: file[0]))
        XCTAssertEqual(entry.message, "\(forged)\r\u{1B}[2J\u{1B}]0;owned\u{07}\u{2028}\u{202E}", "the message reads back exactly")
        XCTAssertEqual(entry.metadata["k\nk"], "v")

        var printed: [String] = []
        try LogReader(directory: fileSink.directory).read(.init()) { printed.append($0) }
        XCTAssertEqual(printed.count, 1)
        XCTAssertFalse(printed[0].unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                       printed[0])
        var json: [String] = []
        try LogReader(directory: fileSink.directory).read(.init(json: true)) { json.append($0) }
        XCTAssertEqual(json, file, "--json prints the stored line, which is already inert")
    }

    // MARK: - Reading back as `steward logs` does

    func testLevelGrepAndJSONSelectTheSameLinesAfterTheWholePath() throws {
        let http = logger("http")
        for (index, status) in [200, 404, 401, 500, 200].enumerated() {
            logRequest(http, method: "GET", path: "/api/posts/\(index)", status: status, milliseconds: 1, userID: nil,
                       userAgent: "k6", requestID: "g-\(index)")
        }
        logger("security").notice("FAILED_LOGIN", metadata: ["event": "FAILED_LOGIN", "client": "10.1.1.1"])
        _ = try finish()

        let reader = LogReader(directory: fileSink.directory)
        var errors: [String] = []
        try reader.read(.init(minimumLevel: .error)) { errors.append($0) }
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].contains("ERROR http  GET /api/posts/3 500 1ms"), errors[0])

        var notices: [String] = []
        try reader.read(.init(minimumLevel: .notice)) { notices.append($0) }
        XCTAssertEqual(notices.count, 2)

        var grepped: [String] = []
        try reader.read(.init(grep: "posts/1 40")) { grepped.append($0) }
        XCTAssertEqual(grepped.count, 1)
        var greppedJSON: [String] = []
        try reader.read(.init(grep: "POSTS/1 40", json: true)) { greppedJSON.append($0) }
        XCTAssertEqual(try greppedJSON.map { try json($0)["requestId"] as? String }, ["g-1"])
    }
}

import Foundation
import Hummingbird
import Logging
@testable import StewardCore
import StewardHTTP
import Synchronization
import XCTest

/// Log lines captured from a `Logger`, for assertions.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    /// The request-log lines (those with a `status`).
    var requestLines: [Entry] { all.filter { $0.metadata["status"] != nil } }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    func logger(label: String = "steward.http.test") -> Logger {
        var logger = Logger(label: label) { _ in RecordingHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            merged.merge(event.metadata ?? [:]) { $1 }
            recorder.append(Entry(
                level: event.level,
                message: event.message.description,
                metadata: merged.mapValues { "\($0)" }
            ))
        }
    }
}

/// A failure whose description is full of what must never reach a client.
struct LeakyDatabaseFailure: Error, CustomStringConvertible {
    var description: String {
        "SQLITE_CORRUPT: SELECT password_hash FROM users WHERE id = 1 at /work/secret/Store.swift:42"
    }
}

/// The body `POST /echo` decodes and answers.
struct EchoInput: Codable, Equatable, Sendable {
    var title: String
    var count: Int?
    var tags: [String]?
}

/// Signs in the caller sending `Authorization: Bearer user-<id>`; stands in for the lead's
/// authentication middleware.
struct TestAuthentication: RouterMiddleware {
    typealias Context = StewardRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer user-"),
            let id = Int64(header.dropFirst("Bearer user-".count))
        {
            context.principal = Principal(userID: id, email: "user\(id)@example.com", roles: ["user"], permissions: [])
            context.authenticatedByCookie = false
        }
        return try await next(request, context)
    }
}

/// The routes the tests run against, behind the real middleware chain.
@Sendable func addTestRoutes(_ router: StewardRouter, metrics: HTTPMetrics) {
    router.addMetricsRoute(metrics)
    router.get("/healthz") { _, _ in ["status": "ok"] }
    router.get("/hello") { _, _ in "hello" }
    router.get("/users/:id") { _, context in
        try context.parameters.require("id")
    }
    router.get("/boom") { _, _ -> String in throw LeakyDatabaseFailure() }
    router.get("/internal") { _, _ -> String in
        throw StewardError.internalError("database is locked: /var/lib/steward/steward.sqlite")
    }
    router.get("/unauthenticated") { _, _ -> String in throw StewardError.unauthenticated }
    router.get("/throttled") { _, _ -> String in throw StewardError.throttled(retryAfter: 42) }
    router.get("/conflict") { _, _ -> String in throw StewardError.conflict("That title is taken.") }
    router.get("/invalid") { _, _ -> String in
        throw StewardError.badInput([
            FieldError(field: "title", message: "must be 5 to 200 characters"),
            FieldError(field: "content", message: "is required"),
        ])
    }
    router.get("/not-allowed") { _, _ -> String in throw HTTPError(.methodNotAllowed) }
    router.post("/echo") { request, context in
        try await context.decodeJSON(request, as: EchoInput.self)
    }
    router.delete("/echo") { _, _ in Response(status: .noContent) }
    router.get("/whoami") { _, context in
        "\(context.caller.userID.map(String.init) ?? "anonymous") from \(context.caller.client)"
    }
}

extension EchoInput: ResponseEncodable {}

/// A listener on a free port with the test routes, and what it logged.
struct TestServer {
    let listener: HTTPListener
    let logs: LogRecorder
    let port: Int

    var metrics: HTTPMetrics { listener.pipeline.metrics }

    static func start(
        _ configuration: HTTPConfiguration = HTTPConfiguration(),
        file: StaticString = #filePath,
        line: UInt = #line
    ) async throws -> TestServer {
        let logs = LogRecorder()
        let pipeline = HTTPPipeline(
            configuration: configuration,
            logger: logs.logger(),
            authentication: TestAuthentication()
        )
        let metrics = pipeline.metrics
        let listener = HTTPListener(host: "127.0.0.1", port: 0, pipeline: pipeline) { router in
            addTestRoutes(router, metrics: metrics)
        }
        listener.start()
        guard case .running(_, let port) = await listener.waitUntilStarted() else {
            XCTFail("the listener did not start: \(listener.state)", file: file, line: line)
            throw RawHTTPClient.Failure(description: "not started")
        }
        return TestServer(listener: listener, logs: logs, port: port)
    }

    func send(
        _ method: String,
        _ path: String,
        headers: [(String, String)] = [],
        body: Data? = nil
    ) async throws -> RawResponse {
        try await RawHTTPClient.send(port: port, method, path, headers: headers, body: body)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> RawResponse {
        try await send("GET", path, headers: headers)
    }

    func postJSON(_ path: String, _ json: String, contentType: String = "application/json") async throws -> RawResponse {
        try await send("POST", path, headers: [("Content-Type", contentType)], body: Data(json.utf8))
    }

    func stop() async {
        await listener.stop()
    }
}

/// The problem+json body, as a client reads it.
struct ProblemBody: Decodable, Equatable {
    struct Field: Decodable, Equatable {
        var field: String
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var requestId: String
    var errors: [Field]?
}

/// Runs `body` against a fresh ``TestServer`` and stops it afterwards, also when `body` throws.
func withTestServer(
    _ configuration: HTTPConfiguration = HTTPConfiguration(),
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: (TestServer) async throws -> Void
) async throws {
    let server = try await TestServer.start(configuration, file: file, line: line)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

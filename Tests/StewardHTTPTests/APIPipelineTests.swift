import Foundation
import StewardCore
import StewardHTTP
import XCTest

/// The middleware of docs/http-api.md in front of the real routes.
final class APIPipelineTests: XCTestCase {
    func testHealthzAnswersOkAndMetricsCountRoutes() async throws {
        try await withAPI { api in
            let health = try await api.get("/healthz")
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(health.text, #"{"status":"ok"}"#)
            _ = try await api.get("/api/posts/12345")
            let metrics = try await api.get("/metrics")
            XCTAssertEqual(metrics.status, 200)
            XCTAssertTrue(metrics.text.contains(#"steward_http_requests_total{route="/api/posts/{id}",method="GET",status="404"} 1"#), metrics.text)
            XCTAssertTrue(metrics.text.contains("steward_http_request_duration_seconds_bucket"), metrics.text)
        }
    }

    func testSecurityHeadersOnSuccessesAndProblems() async throws {
        try await withAPI { api in
            for response in [try await api.get("/api/posts"), try await api.get("/api/auth/me")] {
                XCTAssertEqual(response.header("X-Content-Type-Options"), "nosniff")
                XCTAssertEqual(response.header("X-Frame-Options"), "DENY")
                XCTAssertEqual(response.header("Referrer-Policy"), "no-referrer")
                XCTAssertEqual(response.header("Cross-Origin-Opener-Policy"), "same-origin")
                XCTAssertEqual(response.header("Cross-Origin-Resource-Policy"), "same-origin")
                XCTAssertTrue(response.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
                XCTAssertNil(response.header("Server"))
                XCTAssertNil(response.header("X-Powered-By"))
                XCTAssertNil(response.header("Strict-Transport-Security"), "not in development")
            }
        }
    }

    func testCORSAllowsOnlyTheConfiguredOrigins() async throws {
        try await withAPI({ $0.corsOrigins = ["https://app.example.com"] }) { api in
            let allowed = try await api.get("/api/posts", headers: [("Origin", "https://app.example.com")])
            XCTAssertEqual(allowed.header("Access-Control-Allow-Origin"), "https://app.example.com")
            XCTAssertEqual(allowed.header("Access-Control-Allow-Credentials"), "true")
            let denied = try await api.get("/api/posts", headers: [("Origin", "https://evil.example.com")])
            XCTAssertNil(denied.header("Access-Control-Allow-Origin"))
            let preflight = try await api.send("OPTIONS", "/api/posts", headers: [
                ("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, x-csrf-token")])
            XCTAssertEqual(preflight.status, 204)
            XCTAssertEqual(preflight.header("Access-Control-Allow-Origin"), "https://app.example.com")
        }
    }

    func testBodyProblems413And415AndMalformedJSON() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let huge = String(repeating: "a", count: 1_100_000)
            let tooLarge = try await api.postJSON("/api/posts", #"{"title":"Big","content":"\#(huge)"}"#, as: account)
            XCTAssertProblem(tooLarge, 413)
            let notJSON = try await api.send("POST", "/api/posts", headers: [("Content-Type", "text/plain")] + account.bearer,
                                             body: Data("title=x".utf8))
            XCTAssertProblem(notJSON, 415)
            let malformed = try await api.postJSON("/api/posts", #"{"title": "x", "#, as: account)
            XCTAssertProblem(malformed, 400)
            XCTAssertEqual(malformed.problem?.detail, "The request body is not valid JSON.")
            let array = try await api.postJSON("/api/auth/login", "[1,2]")
            XCTAssertProblem(array, 400)
        }
    }

    func testTheRateLimitAnswers429WithRetryAfterButSparesHealthz() async throws {
        try await withAPI({ $0.rateLimit = RateLimit(requests: 3, windowSeconds: 60) }) { api in
            for _ in 0..<3 { XCTAssertStatus(try await api.get("/api/posts"), 200) }
            let limited = try await api.get("/api/posts")
            XCTAssertProblem(limited, 429)
            XCTAssertGreaterThan(Int(limited.header("Retry-After") ?? "") ?? 0, 0)
            XCTAssertStatus(try await api.get("/healthz"), 200)
            XCTAssertStatus(try await api.get("/metrics"), 200)
        }
    }

    func testRequestIDsAreEchoedOrMadeAndEveryProblemCarriesOne() async throws {
        try await withAPI { api in
            let echoed = try await api.get("/api/posts", headers: [("X-Request-Id", "trace-123.abc_DEF")])
            XCTAssertEqual(echoed.header("X-Request-Id"), "trace-123.abc_DEF")
            let replaced = try await api.get("/api/posts", headers: [("X-Request-Id", "bad id with spaces")])
            XCTAssertNotEqual(replaced.header("X-Request-Id"), "bad id with spaces")
            XCTAssertFalse(replaced.header("X-Request-Id")?.isEmpty ?? true)
            let problems = [
                try await api.get("/api/auth/me"),
                try await api.get("/api/nowhere"),
                try await api.get("/api/posts?limit=0"),
                try await api.postJSON("/api/posts", "{"),
                try await api.get("/api/posts/1"),
            ]
            for response in problems { XCTAssertProblem(response, response.status) }
            XCTAssertEqual(problems.map(\.status), [401, 404, 400, 400, 404])
        }
    }

    func testTheRequestLogNamesTheSignedInUserAndNoSecrets() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            _ = try await api.get("/api/auth/me?token=x", as: account)
            let line = try XCTUnwrap(api.logs.requestLines.last { $0.metadata["path"] == "/api/auth/me" })
            XCTAssertEqual(line.metadata["userId"], String(account.id))
            let everything = api.logs.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            XCTAssertFalse(everything.contains(account.token), "no token in the log")
            XCTAssertFalse(everything.contains(APIWorld.password), "no password in the log")
        }
    }

    func testA500NeverLeaksItsCause() async throws {
        try await withAPI { api in
            try api.services.close()
            let response = try await api.get("/api/posts")
            XCTAssertProblem(response, 500)
            XCTAssertEqual(response.problem?.detail, Problem.internalErrorDetail)
            let text = response.text.lowercased()
            for secret in ["sqlite", "select", "grdb", ".swift", api.folder.path.lowercased()] {
                XCTAssertFalse(text.contains(secret), "leaked \(secret): \(response.text)")
            }
            XCTAssertStatus(try await api.get("/healthz"), 500)
        }
    }

    func testUnknownRoutesAndMethodsAreProblems() async throws {
        try await withAPI { api in
            XCTAssertProblem(try await api.get("/api/unknown"), 404)
            let wrongMethod = try await api.send("PUT", "/api/posts")
            XCTAssertTrue([404, 405].contains(wrongMethod.status), "\(wrongMethod.status)")
        }
    }
}

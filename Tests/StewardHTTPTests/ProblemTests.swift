import Foundation
import StewardHTTP
import XCTest

final class ProblemTests: XCTestCase {
    func testAnUnexpectedErrorIsAFixed500ThatLeaksNothing() async throws {
        try await withTestServer { server in
            for path in ["/boom", "/internal"] {
                let response = try await server.get(path, headers: [("X-Request-Id", "leak-check\(path.count)")])
                XCTAssertEqual(response.status, 500, path)
                XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
                let problem = try response.json(ProblemBody.self)
                XCTAssertEqual(problem.detail, "Something went wrong on our side.")
                XCTAssertEqual(problem.title, "Internal Server Error")
                XCTAssertEqual(problem.type, "about:blank")
                XCTAssertNil(problem.errors)
                for secret in ["SQLITE", "SELECT", "password_hash", "/work/secret", "Store.swift", "LeakyDatabaseFailure", "/var/lib", "locked"] {
                    XCTAssertFalse(response.text.contains(secret), "\(secret) leaked from \(path)")
                }
            }
            let causes = server.logs.all.filter { $0.level == .error && $0.metadata["status"] == nil }
            XCTAssertTrue(causes.contains { $0.metadata["requestId"] == "leak-check5" && ($0.metadata["error"] ?? "").contains("SELECT password_hash") },
                "the cause is logged with the request id")
            XCTAssertTrue(causes.contains { $0.metadata["requestId"] == "leak-check9" && ($0.metadata["error"] ?? "").contains("database is locked") })
        }
    }

    func testStewardErrorsMapToTheirStatuses() async throws {
        try await withTestServer { server in
            let unauthenticated = try await server.get("/unauthenticated")
            XCTAssertEqual(unauthenticated.status, 401)
            XCTAssertTrue(unauthenticated.header("WWW-Authenticate")?.hasPrefix("Bearer") ?? false)
            XCTAssertEqual(try unauthenticated.json(ProblemBody.self).detail, "Sign in to continue.")

            let throttled = try await server.get("/throttled")
            XCTAssertEqual(throttled.status, 429)
            XCTAssertEqual(throttled.header("Retry-After"), "42")

            let conflict = try await server.get("/conflict")
            XCTAssertEqual(conflict.status, 409)
            XCTAssertEqual(try conflict.json(ProblemBody.self).title, "Conflict")
            XCTAssertEqual(try conflict.json(ProblemBody.self).detail, "That title is taken.")

            let invalid = try await server.get("/invalid")
            XCTAssertEqual(invalid.status, 400)
            XCTAssertEqual(try invalid.json(ProblemBody.self).errors, [
                .init(field: "title", message: "must be 5 to 200 characters"),
                .init(field: "content", message: "is required"),
            ])
        }
    }

    func testHummingbirdErrorsKeepTheirStatus() async throws {
        try await withTestServer { server in
            let unknown = try await server.get("/api/nothing/here")
            XCTAssertEqual(unknown.status, 404)
            XCTAssertEqual(unknown.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(try unknown.json(ProblemBody.self).title, "Not Found")

            let wrongMethod = try await server.send("PUT", "/hello")
            XCTAssertEqual(wrongMethod.status, 405, "a known path with another method")
            XCTAssertEqual(wrongMethod.header("Allow"), "GET")
            let trace = try await server.send("TRACE", "/users/7")
            XCTAssertEqual(trace.status, 405)
            XCTAssertEqual(trace.header("Allow"), "GET")

            let notAllowed = try await server.get("/not-allowed")
            XCTAssertEqual(notAllowed.status, 405)
            XCTAssertEqual(try notAllowed.json(ProblemBody.self).title, "Method Not Allowed")
        }
    }
}

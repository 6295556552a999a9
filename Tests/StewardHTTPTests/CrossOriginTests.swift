import Foundation
import StewardHTTP
import XCTest

final class CrossOriginTests: XCTestCase {
    let configuration = HTTPConfiguration(allowedOrigins: ["https://app.example.com", "http://localhost:5173/"])

    func testAnAllowedOriginIsEchoedWithCredentials() async throws {
        try await withTestServer(configuration) { server in
            for origin in ["https://app.example.com", "http://localhost:5173"] {
                let response = try await server.get("/hello", headers: [("Origin", origin)])
                XCTAssertEqual(response.status, 200)
                XCTAssertEqual(response.header("Access-Control-Allow-Origin"), origin)
                XCTAssertEqual(response.header("Access-Control-Allow-Credentials"), "true")
                XCTAssertTrue(response.headers(named: "Vary").contains("Origin"))
                XCTAssertTrue(response.header("Access-Control-Expose-Headers")?.contains("X-Request-Id") ?? false)
            }
            let failing = try await server.get("/boom", headers: [("Origin", "https://app.example.com")])
            XCTAssertEqual(failing.status, 500)
            XCTAssertEqual(failing.header("Access-Control-Allow-Origin"), "https://app.example.com", "errors are readable too")
        }
    }

    func testAnOriginNotListedGetsNoCORSHeaders() async throws {
        try await withTestServer(configuration) { server in
            for origin in ["https://evil.example.com", "https://app.example.com.evil.test", "null"] {
                let response = try await server.get("/hello", headers: [("Origin", origin)])
                XCTAssertEqual(response.status, 200)
                XCTAssertNil(response.header("Access-Control-Allow-Origin"), origin)
                XCTAssertNil(response.header("Access-Control-Allow-Credentials"), origin)
                XCTAssertTrue(response.headers(named: "Vary").contains("Origin"))
            }
        }
    }

    func testPreflightFromAnAllowedOrigin() async throws {
        try await withTestServer(configuration) { server in
            let response = try await server.send("OPTIONS", "/echo", headers: [
                ("Origin", "https://app.example.com"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, x-csrf-token"),
            ])
            XCTAssertEqual(response.status, 204)
            XCTAssertEqual(response.header("Access-Control-Allow-Origin"), "https://app.example.com")
            XCTAssertEqual(response.header("Access-Control-Allow-Credentials"), "true")
            let methods = try XCTUnwrap(response.header("Access-Control-Allow-Methods"))
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                XCTAssertTrue(methods.contains(method), method)
            }
            let headers = try XCTUnwrap(response.header("Access-Control-Allow-Headers"))
            for header in ["Authorization", "Content-Type", "X-CSRF-Token", "X-Request-Id"] {
                XCTAssertTrue(headers.contains(header), header)
            }
            XCTAssertNotNil(response.header("X-Request-Id"))
            XCTAssertEqual(response.header("X-Frame-Options"), "DENY")
        }
    }

    func testPreflightFromAnotherOriginIsAnsweredWithoutAGrant() async throws {
        try await withTestServer(configuration) { server in
            let response = try await server.send("OPTIONS", "/echo", headers: [
                ("Origin", "https://evil.example.com"),
                ("Access-Control-Request-Method", "POST"),
            ])
            XCTAssertEqual(response.status, 204)
            XCTAssertNil(response.header("Access-Control-Allow-Origin"))
            XCTAssertNil(response.header("Access-Control-Allow-Methods"))
            XCTAssertNil(response.header("Access-Control-Allow-Credentials"))
        }
    }

    func testWithoutConfiguredOriginsNothingIsGranted() async throws {
        try await withTestServer { server in
            let response = try await server.get("/hello", headers: [("Origin", "https://app.example.com")])
            XCTAssertNil(response.header("Access-Control-Allow-Origin"))
            XCTAssertTrue(response.headers(named: "Vary").isEmpty)
        }
    }
}

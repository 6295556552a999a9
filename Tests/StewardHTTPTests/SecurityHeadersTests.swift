import Foundation
import StewardHTTP
import XCTest

final class SecurityHeadersTests: XCTestCase {
    static let expected = [
        "Content-Security-Policy": "default-src 'self'",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    ]

    func testEveryAnswerCarriesTheHeadersAndNamesNoServer() async throws {
        try await withTestServer { server in
            for (path, status) in [("/hello", 200), ("/no-such-route", 404), ("/boom", 500), ("/throttled", 429)] {
                let response = try await server.get(path)
                XCTAssertEqual(response.status, status, path)
                for (name, value) in Self.expected {
                    XCTAssertEqual(response.header(name), value, "\(name) on \(path)")
                }
                XCTAssertNil(response.header("Server"), path)
                XCTAssertNil(response.header("X-Powered-By"), path)
                XCTAssertNil(response.header("Strict-Transport-Security"), "no HSTS outside production")
                XCTAssertEqual(response.header("Cache-Control"), "no-store")
            }
        }
    }

    func testProductionAddsStrictTransportSecurity() async throws {
        try await withTestServer(HTTPConfiguration(production: true)) { server in
            for path in ["/hello", "/no-such-route"] {
                let response = try await server.get(path)
                XCTAssertEqual(response.header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains", path)
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
@testable import StewardHTTP
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

    /// Ours replace what an answer already carries under the same names (one value each,
    /// never joined), the server's names go, and a route's own `Cache-Control` stays.
    func testOursReplaceWhatAnAnswerAlreadyCarries() {
        let middleware = SecurityHeadersMiddleware<BasicRequestContext>(production: true)
        var carried: HTTPFields = [.contentType: "text/plain", .xFrameOptions: "SAMEORIGIN", .server: "Hummingbird",
                                   .xPoweredBy: "Swift", .cacheControl: "max-age=60"]
        middleware.decorate(&carried)
        var plain: HTTPFields = [.contentType: "application/json"]
        middleware.decorate(&plain)
        for headers in [carried, plain] {
            for (name, value) in Self.expected {
                XCTAssertEqual(headers[values: HTTPField.Name(name)!], [value], name)
            }
            XCTAssertEqual(headers[values: .strictTransportSecurity], ["max-age=31536000; includeSubDomains"])
            XCTAssertFalse(headers.contains(.server))
            XCTAssertFalse(headers.contains(.xPoweredBy))
        }
        XCTAssertEqual(carried[values: .cacheControl], ["max-age=60"])
        XCTAssertEqual(plain[values: .cacheControl], ["no-store"])
        XCTAssertEqual(carried[.contentType], "text/plain")
    }
}

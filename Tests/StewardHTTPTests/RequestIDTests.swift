import Foundation
import StewardHTTP
import XCTest

final class RequestIDTests: XCTestCase {
    func testAGeneratedIDIsWellFormedAndNewForEachRequest() async throws {
        try await withTestServer { server in
            let first = try await server.get("/hello").header("X-Request-Id")
            let second = try await server.get("/hello").header("X-Request-Id")
            XCTAssertNotNil(first)
            XCTAssertNotNil(RequestIDMiddleware.accepted(first), "a generated id follows the accepted form")
            XCTAssertNotEqual(first, second)
        }
    }

    func testAWellFormedClientIDIsEchoed() async throws {
        try await withTestServer { server in
            let id = "client-Trace_42.a" + String(repeating: "x", count: 100)
            let response = try await server.get("/hello", headers: [("X-Request-Id", id)])
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("X-Request-Id"), id)
        }
    }

    func testMalformedClientIDsAreReplaced() async throws {
        try await withTestServer { server in
            let bad = ["has space", String(repeating: "a", count: 129), "semi;colon", "slash/inside", "quote\"d", "ünicode"]
            for id in bad {
                let response = try await server.get("/hello", headers: [("X-Request-Id", id)])
                let answered = try XCTUnwrap(response.header("X-Request-Id"), id)
                XCTAssertNotEqual(answered, id)
                XCTAssertNotNil(RequestIDMiddleware.accepted(answered), "replacement for \(id)")
            }
        }
    }

    func testAcceptedIDRules() {
        XCTAssertEqual(RequestIDMiddleware.accepted("A"), "A")
        XCTAssertEqual(RequestIDMiddleware.accepted("a.b_c-D9"), "a.b_c-D9")
        XCTAssertNotNil(RequestIDMiddleware.accepted(String(repeating: "z", count: 128)))
        XCTAssertNil(RequestIDMiddleware.accepted(String(repeating: "z", count: 129)))
        XCTAssertNil(RequestIDMiddleware.accepted(""))
        XCTAssertNil(RequestIDMiddleware.accepted(nil))
        XCTAssertNil(RequestIDMiddleware.accepted("a,b"))
        XCTAssertNil(RequestIDMiddleware.accepted("tab\there"))
    }

    func testErrorAnswersCarryTheIDInHeaderAndProblem() async throws {
        try await withTestServer { server in
            for path in ["/no-such-route", "/boom", "/invalid"] {
                let response = try await server.get(path, headers: [("X-Request-Id", "trace-\(path.count)")])
                XCTAssertEqual(response.header("X-Request-Id"), "trace-\(path.count)", path)
                let problem = try response.json(ProblemBody.self)
                XCTAssertEqual(problem.requestId, "trace-\(path.count)", path)
            }
            let generated = try await server.get("/boom")
            XCTAssertEqual(try generated.json(ProblemBody.self).requestId, generated.header("X-Request-Id"))
        }
    }

    func testOneLogLinePerRequestWithItsMetadata() async throws {
        try await withTestServer { server in
            _ = try await server.get(
                "/hello?q=secret-search&cursor=abc",
                headers: [("X-Request-Id", "log-line-1"), ("User-Agent", "steward-tests/1.0")]
            )
            let lines = server.logs.requestLines.filter { $0.metadata["requestId"] == "log-line-1" }
            XCTAssertEqual(lines.count, 1)
            let line = try XCTUnwrap(lines.first)
            XCTAssertEqual(line.level, .info)
            XCTAssertEqual(line.metadata["method"], "GET")
            XCTAssertEqual(line.metadata["path"], "/hello", "no query string")
            XCTAssertEqual(line.metadata["status"], "200")
            XCTAssertEqual(line.metadata["ip"], "127.0.0.1")
            XCTAssertEqual(line.metadata["userAgent"], "steward-tests/1.0")
            XCTAssertNil(line.metadata["userId"], "anonymous")
            XCTAssertNotNil(Double(line.metadata["durationMs"] ?? ""))
            XCTAssertFalse(server.logs.all.contains { "\($0.message) \($0.metadata)".contains("secret-search") })
        }
    }

    func testTheLogLineNamesTheSignedInUserAndErrorsAreLoggedAtErrorLevel() async throws {
        try await withTestServer { server in
            let whoami = try await server.get("/whoami", headers: [("Authorization", "Bearer user-7"), ("X-Request-Id", "signed-in")])
            XCTAssertEqual(whoami.text, "7 from 127.0.0.1")
            _ = try await server.get("/boom", headers: [("X-Request-Id", "failing")])
            _ = try await server.get("/nothing-here", headers: [("X-Request-Id", "missing")])

            let lines = server.logs.requestLines
            XCTAssertEqual(lines.first { $0.metadata["requestId"] == "signed-in" }?.metadata["userId"], "7")
            let failing = lines.filter { $0.metadata["requestId"] == "failing" }
            XCTAssertEqual(failing.count, 1)
            XCTAssertEqual(failing.first?.level, .error)
            XCTAssertEqual(failing.first?.metadata["status"], "500")
            XCTAssertEqual(lines.filter { $0.metadata["requestId"] == "missing" }.map { $0.metadata["status"] }, ["404"])
            XCTAssertFalse(
                server.logs.all.contains { $0.metadata.values.contains { $0.contains("Bearer") } },
                "the Authorization header is never logged"
            )
        }
    }
}

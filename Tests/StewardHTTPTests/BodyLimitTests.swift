import Foundation
import StewardHTTP
import XCTest

final class BodyLimitTests: XCTestCase {
    func testAnAnnouncedBodyOverOneMiBIsRefusedBeforeItIsRead() async throws {
        try await withTestServer { server in
            // Only the head is sent: the answer must not wait for the 2 MiB it announces.
            let head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(2 << 20)\r\n\r\n"
            let response = try await RawHTTPClient.exchange(port: server.port, [Data(head.utf8)])
            XCTAssertEqual(response.status, 413)
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(try response.json(ProblemBody.self).detail, "The request body is larger than 1 MiB.")
            XCTAssertNotNil(response.header("X-Request-Id"))
        }
    }

    func testAChunkedBodyIsHeldToTheSameLimitAsItStreams() async throws {
        try await withTestServer { server in
            let big = Data("{\"title\":\"".utf8) + Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 64 * 1024) + Data("\"}".utf8)
            let response = try await RawHTTPClient.sendChunked(
                port: server.port, "POST", "/echo",
                headers: [("Content-Type", "application/json")],
                body: big
            )
            XCTAssertEqual(response.status, 413)
            XCTAssertEqual(try response.json(ProblemBody.self).status, 413)

            let small = Data(#"{"title":"chunked but small","count":3}"#.utf8)
            let accepted = try await RawHTTPClient.sendChunked(
                port: server.port, "POST", "/echo",
                headers: [("Content-Type", "application/json")],
                body: small, chunkSize: 7
            )
            XCTAssertEqual(accepted.status, 200)
            XCTAssertEqual(try accepted.json(EchoInput.self), EchoInput(title: "chunked but small", count: 3))
        }
    }

    func testABodyOfExactlyOneMiBIsAccepted() async throws {
        try await withTestServer { server in
            let padding = (1 << 20) - #"{"title":""}"#.utf8.count
            let body = Data("{\"title\":\"".utf8) + Data(repeating: UInt8(ascii: "b"), count: padding) + Data("\"}".utf8)
            XCTAssertEqual(body.count, 1 << 20)
            let response = try await server.send("POST", "/echo", headers: [("Content-Type", "application/json")], body: body)
            XCTAssertEqual(response.status, 200)
        }
    }

    func testABodyThatIsNotJSONIsRefusedWith415() async throws {
        try await withTestServer { server in
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", "application/jsonx"] {
                let response = try await server.postJSON("/echo", #"{"title":"x"}"#, contentType: contentType)
                XCTAssertEqual(response.status, 415, contentType)
                XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
            }
            let untyped = try await server.send("POST", "/echo", body: Data(#"{"title":"x"}"#.utf8))
            XCTAssertEqual(untyped.status, 415, "no Content-Type at all")

            for contentType in ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\"", "application/merge-patch+json"] {
                let response = try await server.postJSON("/echo", #"{"title":"x"}"#, contentType: contentType)
                XCTAssertEqual(response.status, 200, contentType)
            }
        }
    }

    func testARequestWithoutABodyNeedsNoContentType() async throws {
        try await withTestServer { server in
            let status = try await server.send("DELETE", "/echo").status
            XCTAssertEqual(status, 204)
            let empty = try await server.send("POST", "/echo", body: Data())
            XCTAssertEqual(empty.status, 400, "an empty body decodes as {} and misses the required title")
            XCTAssertEqual(try empty.json(ProblemBody.self).errors, [.init(field: "title", message: "is required")])
        }
    }

    func testMalformedJSONIs400WithAClearDetail() async throws {
        try await withTestServer { server in
            for body in [#"{"title": "unterminated"#, "{title: 1}", #"{"title":"x"} trailing"#, "nonsense"] {
                let response = try await server.postJSON("/echo", body)
                XCTAssertEqual(response.status, 400, body)
                XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
                let problem = try response.json(ProblemBody.self)
                XCTAssertEqual(problem.title, "Bad Request")
                XCTAssertEqual(problem.detail, "The request body is not valid JSON.", body)
            }
            let array = try await server.postJSON("/echo", "[1, 2]")
            XCTAssertEqual(array.status, 400)
            XCTAssertEqual(try array.json(ProblemBody.self).detail, "The request body must be a JSON object.")
        }
    }

    func testWrongFieldTypesAreReportedByField() async throws {
        try await withTestServer { server in
            let cases: [(String, ProblemBody.Field)] = [
                (#"{"title": 5}"#, .init(field: "title", message: "must be a string")),
                (#"{"title": "ok", "count": "three"}"#, .init(field: "count", message: "must be an integer")),
                (#"{"title": "ok", "tags": "one"}"#, .init(field: "tags", message: "must be an array")),
                (#"{"title": "ok", "tags": ["fine", 7]}"#, .init(field: "tags[1]", message: "must be a string")),
                (#"{"title": null}"#, .init(field: "title", message: "is required")),
                (#"{"count": 1}"#, .init(field: "title", message: "is required")),
            ]
            for (body, expected) in cases {
                let response = try await server.postJSON("/echo", body)
                XCTAssertEqual(response.status, 400, body)
                let problem = try response.json(ProblemBody.self)
                XCTAssertEqual(problem.errors, [expected], body)
                XCTAssertEqual(problem.detail, "The input is not valid.")
            }
        }
    }

    func testUnknownFieldsAreDropped() async throws {
        try await withTestServer { server in
            let response = try await server.postJSON("/echo", #"{"title":"kept","isAdmin":true,"roles":["admin"]}"#)
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(try response.json(EchoInput.self), EchoInput(title: "kept"))
            XCTAssertFalse(response.text.contains("isAdmin"))
        }
    }

    func testMediaTypeRules() {
        XCTAssertTrue(BodyLimitMiddleware.isJSON("application/json"))
        XCTAssertTrue(BodyLimitMiddleware.isJSON("application/json;charset=utf-8"))
        XCTAssertTrue(BodyLimitMiddleware.isJSON("application/problem+json"))
        XCTAssertFalse(BodyLimitMiddleware.isJSON(nil))
        XCTAssertFalse(BodyLimitMiddleware.isJSON("text/json"))
        XCTAssertFalse(BodyLimitMiddleware.isJSON("application/json; charset=utf-16"))
        XCTAssertFalse(BodyLimitMiddleware.isJSON("multipart/form-data; boundary=x"))
    }
}

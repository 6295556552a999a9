import Foundation
import Hummingbird
import StewardHTTP
import XCTest

final class OpenAPITests: XCTestCase {
    /// Every route of docs/http-api.md, plus the document itself.
    static let specifiedOperations: Set<String> = [
        "GET /healthz", "GET /metrics", "GET /openapi.json",
        "POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/refresh", "POST /api/auth/logout",
        "GET /api/auth/me", "POST /api/auth/password",
        "GET /api/users", "GET /api/users/{id}", "PATCH /api/users/{id}", "POST /api/users/{id}/reset-password",
        "PUT /api/users/{id}/roles",
        "GET /api/roles", "PUT /api/roles/{name}/permissions",
        "GET /api/posts", "POST /api/posts", "GET /api/posts/{id}", "PATCH /api/posts/{id}", "DELETE /api/posts/{id}",
        "POST /api/posts/{id}/publish", "POST /api/posts/{id}/archive",
        "GET /api/posts/{id}/comments", "POST /api/posts/{id}/comments",
        "DELETE /api/comments/{id}", "POST /api/comments/{id}/hide",
        "GET /api/security-events",
    ]

    static var repositoryDocumentPath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi.json").path
    }

    func testTheRepositoryDocumentDescribesExactlyTheSpecifiedRoutes() throws {
        let document = try OpenAPIDocument.load(from: Self.repositoryDocumentPath)
        let coverage = RouteCoverage(documented: document.operations, registered: Self.specifiedOperations)
        XCTAssertTrue(coverage.isComplete, coverage.description)
    }

    func testTheRepositoryDocumentDeclaresItsSchemasAndSecurity() throws {
        struct Outline: Decodable {
            struct Components: Decodable {
                var schemas: [String: JSONIgnored]
                var securitySchemes: [String: JSONIgnored]
            }
            var openapi: String
            var components: Components
        }
        struct JSONIgnored: Decodable { init(from decoder: any Decoder) throws {} }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.repositoryDocumentPath))
        let outline = try JSONDecoder().decode(Outline.self, from: data)
        XCTAssertTrue(outline.openapi.hasPrefix("3.1"))
        for schema in ["User", "UserWithPermissions", "Post", "Comment", "Role", "SecurityEvent", "TokenPair", "Problem", "FieldError", "UserList", "PostList", "CommentList", "SecurityEventList", "RoleList"] {
            XCTAssertNotNil(outline.components.schemas[schema], schema)
        }
        for scheme in ["bearerAuth", "cookieAuth", "csrfToken"] {
            XCTAssertNotNil(outline.components.securitySchemes[scheme], scheme)
        }
    }

    func testCoverageFindsMissingAndUndocumentedRoutes() throws {
        let json = Data(#"""
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {
               "/api/items": {"get": {}, "post": {}, "parameters": [], "summary": "not a method"},
               "/api/items/{id}": {"get": {}, "delete": {}}
             }}
            """#.utf8)
        let document = try OpenAPIDocument(data: json)
        XCTAssertEqual(document.operations, ["GET /api/items", "POST /api/items", "GET /api/items/{id}", "DELETE /api/items/{id}"])

        let router = Router()
        router.get("/api/items") { _, _ in "list" }
        router.post("/api/items") { _, _ in "create" }
        router.get("/api/items/:id") { _, _ in "one" }
        router.patch("/api/items/{id}") { _, _ in "edit" }

        XCTAssertEqual(RouteCoverage.operations(of: router), ["GET /api/items", "POST /api/items", "GET /api/items/{id}", "PATCH /api/items/{id}"])
        let coverage = RouteCoverage(documented: document.operations, router: router)
        XCTAssertFalse(coverage.isComplete)
        XCTAssertEqual(coverage.missingRoutes, ["DELETE /api/items/{id}"])
        XCTAssertEqual(coverage.undocumentedRoutes, ["PATCH /api/items/{id}"])
        XCTAssertTrue(coverage.description.contains("DELETE /api/items/{id}"))
    }

    func testLoadingErrorsNameTheFile() {
        XCTAssertThrowsError(try OpenAPIDocument.load(from: "/nonexistent/openapi.json")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/openapi.json"))
        }
        XCTAssertThrowsError(try OpenAPIDocument(data: Data("[1]".utf8)))
    }

    func testTheDocumentIsServedUnchanged() async throws {
        let document = try OpenAPIDocument.load(from: Self.repositoryDocumentPath)
        let listener = HTTPListener(host: "127.0.0.1", port: 0, pipeline: HTTPPipeline(logger: LogRecorder().logger())) { router in
            router.addOpenAPIRoute(document)
        }
        listener.start()
        guard case .running(_, let port) = await listener.waitUntilStarted() else { return XCTFail("not started") }
        let response = try await RawHTTPClient.send(port: port, "GET", "/openapi.json")
        await listener.stop()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertEqual(response.body, document.data)
    }
}

import Foundation
import StewardCore
@testable import StewardHTTP
import XCTest

/// The document served at `/openapi.json` is the repository's, and it matches the routes
/// the server registers: none missing, none extra.
final class OpenAPIDocumentTests: XCTestCase {
    static var repositoryDocumentURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi.json")
    }

    /// The embedded copy is byte for byte the repository's file (SwiftPM embeds it at
    /// build time; this proves the build did).
    func testTheEmbeddedDocumentIsTheRepositoryFile() throws {
        let repository = try Data(contentsOf: Self.repositoryDocumentURL)
        XCTAssertEqual(repository, try OpenAPIDocument.embedded.data)
    }

    func testTheDocumentMatchesTheRegisteredRoutes() async throws {
        try await withAPI { api in
            let router = try api.server.makeRouter()
            let document = try OpenAPIDocument.embedded
            let coverage = RouteCoverage(documented: document.operations, router: router)
            XCTAssertTrue(coverage.isComplete, coverage.description)
            XCTAssertEqual(RouteCoverage.operations(of: router), OpenAPITests.specifiedOperations)
        }
    }

    func testTheDocumentIsServedAsJSON() async throws {
        try await withAPI { api in
            let response = try await api.get("/openapi.json")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Content-Type"), "application/json; charset=utf-8")
            XCTAssertEqual(response.text, String(decoding: try OpenAPIDocument.embedded.data, as: UTF8.self))
        }
    }

    /// The shapes the routes answer carry exactly the properties the schemas declare.
    func testTheSchemasDeclareTheFieldsTheAnswersCarry() async throws {
        let data = try OpenAPIDocument.embedded.data
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = try XCTUnwrap((root["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func properties(_ name: String) -> Set<String> {
            Set(((schemas[name] as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        func keys(_ value: some JSONRepresentable) throws -> Set<String> {
            let object = try JSONSerialization.jsonObject(with: Data(value.jsonText.utf8)) as? [String: Any]
            return Set(object?.keys.map { $0 } ?? [])
        }
        let date = Date(timeIntervalSince1970: 0)
        let author = try JSONDecoder().decode(AuthorSummary.self, from: Data(#"{"id":1,"firstName":"Ada","lastName":"Lovelace"}"#.utf8))
        let user = User(id: 1, email: "a@example.com", firstName: "Ada", lastName: "Lovelace", isActive: true, roles: ["user"], createdAt: date)
        XCTAssertEqual(try keys(user), properties("User"))
        XCTAssertEqual(try keys(author), properties("AuthorSummary"))
        let post = try JSONDecoder().decode(Post.self, from: Data(#"{"id":1,"author":{"id":1,"firstName":"Ada","lastName":"Lovelace"},"title":"T","content":"C","status":"draft","tags":[],"createdAt":0,"updatedAt":0}"#.utf8))
        XCTAssertEqual(try keys(post), properties("Post"))
        let comment = try JSONDecoder().decode(Comment.self, from: Data(#"{"id":1,"postID":1,"author":{"id":1,"firstName":"Ada","lastName":"Lovelace"},"content":"C","status":"visible","createdAt":0}"#.utf8))
        XCTAssertEqual(try keys(comment), properties("Comment"))
        let event = try JSONDecoder().decode(SecurityEvent.self, from: Data(#"{"id":1,"createdAt":0,"event":"LOGOUT","client":"::1","details":{}}"#.utf8))
        XCTAssertEqual(try keys(event), properties("SecurityEvent"))
        let role = try JSONDecoder().decode(Role.self, from: Data(#"{"name":"user","description":"d","permissions":[]}"#.utf8))
        XCTAssertEqual(try keys(role), properties("Role"))
    }
}

import Foundation
import Hummingbird

/// The OpenAPI 3.1 document describing the HTTP API, served at `GET /openapi.json`.
///
/// The document is kept in the repository as `openapi.json`; the binary embeds its text (or
/// reads it with ``load(from:)``) and serves it unchanged. ``operations`` lists what it
/// documents as `METHOD /path/{param}` strings, the same form ``RouteCoverage`` reads from a
/// router, so a test can prove the two agree.
public struct OpenAPIDocument: Sendable {
    /// The document's bytes, exactly as served.
    public let data: Data
    /// Every documented operation, like `GET /api/users/{id}`.
    public let operations: Set<String>

    /// Reads a document from `data`; throws when it is not a JSON object with `openapi` and
    /// `paths`.
    public init(data: Data) throws {
        self.data = data
        self.operations = try Self.operations(in: data)
    }

    /// Reads the document at `path`; the error names the file.
    public static func load(from path: String) throws -> OpenAPIDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw OpenAPIDocumentError(message: "cannot read the OpenAPI document \(path)")
        }
        do {
            return try OpenAPIDocument(data: data)
        } catch let error as OpenAPIDocumentError {
            throw OpenAPIDocumentError(message: "\(path): \(error.message)")
        }
    }

    /// The operations documented in `json`, like `POST /api/posts/{id}/comments`: one per
    /// HTTP method under each entry of `paths`.
    public static func operations(in json: Data) throws -> Set<String> {
        let outline: Outline
        do {
            outline = try JSONDecoder().decode(Outline.self, from: json)
        } catch {
            throw OpenAPIDocumentError(message: "not an OpenAPI document (a JSON object with \"openapi\" and \"paths\")")
        }
        var operations: Set<String> = []
        for (path, item) in outline.paths {
            for method in item.keys where httpMethods.contains(method.lowercased()) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// The document as a `200 application/json` response.
    public func response() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(data.count)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    private static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Only what ``operations(in:)`` needs: the method names under each path.
    private struct Outline: Decodable {
        let openapi: String
        let paths: [String: [String: Ignored]]
    }

    /// Accepts any JSON value and keeps nothing.
    private struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

/// A problem with the OpenAPI document; ``message`` says which and where.
public struct OpenAPIDocumentError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// How the routes a router serves compare with the operations a document describes.
///
/// ```swift
/// let coverage = RouteCoverage(documented: document.operations, router: router)
/// XCTAssertTrue(coverage.isComplete, "\(coverage)")
/// ```
public struct RouteCoverage: Sendable, Equatable, CustomStringConvertible {
    /// Documented, but no route serves it.
    public var missingRoutes: Set<String>
    /// Served, but not documented.
    public var undocumentedRoutes: Set<String>

    public init(documented: Set<String>, registered: Set<String>) {
        self.missingRoutes = documented.subtracting(registered)
        self.undocumentedRoutes = registered.subtracting(documented)
    }

    /// Compares `documented` with every route registered on `router`.
    public init<Context>(documented: Set<String>, router: Router<Context>) {
        self.init(documented: documented, registered: Self.operations(of: router))
    }

    /// True when every documented operation is served and every route documented.
    public var isComplete: Bool { missingRoutes.isEmpty && undocumentedRoutes.isEmpty }

    /// The routes registered on `router`, as `METHOD /path/{param}` (Hummingbird writes a
    /// `:param` capture as `{param}`, as OpenAPI does).
    public static func operations<Context>(of router: Router<Context>) -> Set<String> {
        Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    public var description: String {
        var lines: [String] = []
        if !missingRoutes.isEmpty {
            lines.append("documented but not served: " + missingRoutes.sorted().joined(separator: ", "))
        }
        if !undocumentedRoutes.isEmpty {
            lines.append("served but not documented: " + undocumentedRoutes.sorted().joined(separator: ", "))
        }
        return lines.isEmpty ? "every route is documented and served" : lines.joined(separator: "\n")
    }
}

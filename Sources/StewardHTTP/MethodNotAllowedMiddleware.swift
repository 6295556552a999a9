import Hummingbird
import StewardCore
import Synchronization

/// Answers 405 with `Allow` when a request names a path the API has but a method that path
/// does not take (`TRACE /api/posts`), where the router alone would answer 404.
///
/// It sits inside ``ProblemMiddleware`` and turns the router's not-found into the 405 when
/// the path matches a route template with other methods. The templates are read from the
/// router once its routes are added (``KnownRoutes/load(_:)``).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext
    let known: KnownRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = known.methods(forPath: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw HTTPError(.methodNotAllowed, headers: [.allow: allowed.sorted().joined(separator: ", ")],
                            message: "\(request.method.rawValue) is not allowed here; use \(allowed.sorted().joined(separator: ", ")).")
        }
    }
}

/// The methods of each route template, like `/api/posts/{id}` → GET, PATCH, DELETE.
final class KnownRoutes: Sendable {
    private let table = Mutex<[(segments: [String], methods: Set<String>)]>([])

    /// Reads the templates of `routes` (`(method, path)` pairs as the router lists them).
    func load(_ routes: [(method: String, path: String)]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes { byPath[route.path, default: []].insert(route.method) }
        let entries = byPath.map { (segments: Self.segments($0.key), methods: $0.value) }
        table.withLock { $0 = entries }
    }

    /// Every method some template matching `path` takes (empty for an unknown path).
    func methods(forPath path: String) -> Set<String> {
        let parts = Self.segments(path)
        return table.withLock { entries in
            entries.filter { Self.matches(parts, $0.segments) }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        }
    }

    private static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// A `{name}` or `:name` segment stands for any one segment.
    private static func matches(_ parts: [String], _ template: [String]) -> Bool {
        guard parts.count == template.count else { return false }
        return zip(parts, template).allSatisfy { part, pattern in
            pattern.hasPrefix("{") || pattern.hasPrefix(":") || part == pattern
        }
    }
}

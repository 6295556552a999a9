import Hummingbird
import StewardCore

/// The routes under `/api`: each one turns a request into one service call made as
/// `context.caller`, and the result into the JSON of docs/http-api.md.
///
/// No route checks a permission, validates a field or writes an audit record: the services
/// do, the same way for the console. A route only parses (path ids, query parameters, the
/// JSON body), picks the status (201 for creations, 204 for deletions) and handles what is
/// HTTP's alone: cookies and the login metrics.
struct APIRoutes: Sendable {
    let services: Services
    let metrics: HTTPMetrics
    let cookies: SessionCookies

    func add(to router: StewardRouter) {
        addAuthRoutes(to: router)
        addUserRoutes(to: router)
        addRoleRoutes(to: router)
        addPostRoutes(to: router)
        addCommentRoutes(to: router)
        addSecurityEventRoutes(to: router)
    }

    /// The numeric id in the path; a path id that is not a positive integer names nothing, so 404.
    static func id(_ context: StewardRequestContext, _ what: String) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = QueryParameters.integer(text), id > 0 else {
            throw StewardError.notFound(what)
        }
        return id
    }
}

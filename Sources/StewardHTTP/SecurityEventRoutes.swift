import Hummingbird
import StewardCore

/// `GET /api/security-events`: the audit trail, newest first (`logs:read`).
extension APIRoutes {
    func addSecurityEventRoutes(to router: StewardRouter) {
        let audit = services.audit

        router.get("/api/security-events") { request, context -> Response in
            let query = try Store.SecurityEventQuery(parameters: QueryParameters.dictionary(request))
            return .json(try await audit.list(context.actor, query))
        }
    }
}

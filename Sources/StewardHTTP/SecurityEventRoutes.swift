import Hummingbird
import StewardCore

/// `GET /api/security-events`: the audit trail, newest first (`logs:read`).
extension APIRoutes {
    func addSecurityEventRoutes(to router: StewardRouter) {
        let securityEvents = services.securityEvents

        router.get("/api/security-events") { request, context -> Response in
            let query = try SecurityEventService.ListRequest(parameters: QueryParameters.dictionary(request))
            return .json(try await securityEvents.list(context.caller, query))
        }
    }
}

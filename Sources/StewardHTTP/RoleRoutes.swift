import Hummingbird
import StewardCore

/// `/api/roles/…`: the roles with their permissions, and permission edits.
extension APIRoutes {
    struct PermissionsBody: LenientBody {
        @Lenient var permissions: [String]?
    }

    func addRoleRoutes(to router: StewardRouter) {
        let roles = services.roles

        router.get("/api/roles") { _, context -> Response in
            .json(ItemList(items: try await roles.list(context.caller)))
        }

        router.put("/api/roles/:name/permissions") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let body = try await context.decodeJSON(request, as: PermissionsBody.self)
            guard let permissions = body.permissions else {
                throw StewardError.badInput(body.inputErrors.isEmpty ? [FieldError(field: "permissions", message: "is required")] : body.inputErrors)
            }
            return .json(try await roles.setPermissions(context.caller, role: name, permissions: permissions, inputErrors: body.inputErrors))
        }
    }
}

import Hummingbird
import StewardCore

/// `/api/users/…`: the account list and one account, edits, password resets and roles.
extension APIRoutes {
    struct UserUpdateBody: LenientBody {
        @Lenient var firstName: String?
        @Lenient var lastName: String?
        @Lenient var isActive: Bool?
    }

    struct RolesBody: LenientBody {
        @Lenient var roles: [String]?
    }

    func addUserRoutes(to router: StewardRouter) {
        let users = services.users

        router.get("/api/users") { request, context -> Response in
            let query = try UserService.ListRequest(parameters: QueryParameters.dictionary(request))
            return .json(try await users.list(context.caller, query))
        }

        router.get("/api/users/:id") { _, context -> Response in
            let id = try APIRoutes.id(context, "The user")
            return .json(try await users.get(context.caller, id: id))
        }

        router.patch("/api/users/:id") { request, context -> Response in
            let id = try APIRoutes.id(context, "The user")
            let body = try await context.decodeJSON(request, as: UserUpdateBody.self)
            let user = try await users.update(context.caller, id: id, firstName: body.firstName, lastName: body.lastName,
                                              isActive: body.isActive, inputErrors: body.inputErrors)
            return .json(user)
        }

        router.post("/api/users/:id/reset-password") { _, context -> Response in
            let id = try APIRoutes.id(context, "The user")
            let password = try await users.resetPassword(context.caller, id: id)
            return .json(TemporaryPassword(temporaryPassword: password))
        }

        router.put("/api/users/:id/roles") { request, context -> Response in
            let id = try APIRoutes.id(context, "The user")
            let body = try await context.decodeJSON(request, as: RolesBody.self)
            guard let roles = body.roles else {
                throw StewardError.badInput(body.inputErrors.isEmpty ? [FieldError(field: "roles", message: "is required")] : body.inputErrors)
            }
            return .json(try await users.setRoles(context.caller, id: id, roles: roles, inputErrors: body.inputErrors))
        }
    }
}

import Foundation

/// Roles and their permission sets.
public struct RoleService: Sendable {
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    public func list(_ caller: Caller) async throws -> [Role] {
        let actor = try await context.resolve(caller)
        try await context.require(.rolesRead, actor)
        return try await context.store.listRoles()
    }

    /// Replaces a role's permissions (`roles:update`). Permissions are read on every
    /// request, so holders get the new set at once. The admin role keeps `roles:update`:
    /// without it nobody could undo the change.
    public func setPermissions(_ caller: Caller, role: String, permissions: [String], inputErrors: [FieldError] = []) async throws -> Role {
        let actor = try await context.resolve(caller)
        try await context.require(.rolesUpdate, actor)
        let wanted = Array(Set(permissions)).sorted()
        var validator = Validator(inputErrors: inputErrors)
        let unknown = wanted.filter { !Permission.names.contains($0) }
        if !unknown.isEmpty { validator.add("permissions", "unknown permission: \(unknown.joined(separator: ", "))") }
        if role == "admin" && !wanted.contains(Permission.rolesUpdate.name) {
            validator.add("permissions", "the admin role must keep roles:update")
        }
        try validator.validate()
        let before = try await context.store.listRoles().first { $0.name == role }
        // Granting a role a permission is granting it to its holders: only what one holds.
        let added = Set(wanted).subtracting(before?.permissions ?? [])
        if let principal = actor.principal, let missing = added.subtracting(principal.permissions).sorted().first {
            await context.audit.record(.permissionDenied, subject: actor.userID, actor: actor,
                                       details: ["permission": missing, "rule": "privilege ceiling", "role": role])
            throw StewardError(.forbidden, "You cannot grant the permission \(missing), which your account does not hold.")
        }
        guard try await context.store.setRolePermissions(role: role, permissions: wanted) != nil else {
            throw StewardError.notFound("The role")
        }
        let removed = (before?.permissions ?? []).filter { !wanted.contains($0) }
        await context.audit.record(.roleChange, subject: nil, actor: actor,
                                   details: ["role": role, "added": added.sorted().joined(separator: ","), "removed": removed.joined(separator: ",")])
        guard let after = try await context.store.listRoles().first(where: { $0.name == role }) else { throw StewardError.notFound("The role") }
        return after
    }
}

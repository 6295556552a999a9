import StewardModel
import Foundation
import GRDB

/// Roles and their permissions.
extension SQLiteStore {
    public func listRoles() async throws -> [Role] {
        try await read { db in
            let permissions = try Row.fetchAll(db, sql: "SELECT role, permission FROM role_permissions ORDER BY role, permission")
            var byRole: [String: [String]] = [:]
            for row in permissions { byRole[row["role"], default: []].append(row["permission"]) }
            return try Row.fetchAll(db, sql: "SELECT name, description FROM roles ORDER BY name").map { row in
                let name: String = row["name"]
                return Role(name: name, description: row["description"], permissions: byRole[name] ?? [])
            }
        }
    }

    /// Replaces a role's permissions. Access checks read permissions from here on every
    /// request, so the change takes effect at once without signing anybody out. Returns the
    /// role's holders' ids, or `nil` for an unknown role.
    public func setRolePermissions(role: String, permissions: [String]) async throws -> [Int64]? {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM roles WHERE name = ?", arguments: [role]) ?? false else { return nil }
            try db.execute(sql: "DELETE FROM role_permissions WHERE role = ?", arguments: [role])
            for permission in Set(permissions) {
                try db.execute(sql: "INSERT INTO role_permissions(role, permission) VALUES (?, ?)", arguments: [role, permission])
            }
            let holders = try Int64.fetchAll(db, sql: "SELECT user_id FROM user_roles WHERE role = ?", arguments: [role])
            return holders
        }
    }
}

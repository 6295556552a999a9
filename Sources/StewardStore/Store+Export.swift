import StewardModel
import Foundation
import GRDB

/// Reading a database out, table by table, to move it elsewhere (`steward migrate --from-sqlite`).
extension SQLiteStore {
    /// Up to `limit` rows of `table` after the key `after`, in key order, each value as text
    /// (`nil` for NULL). Each row starts with its key columns, then `columns`. Keyset by the
    /// key, so that the last page costs what the first does on a table of millions.
    ///
    /// `table`, `key` and `columns` are the caller's names, never a user's: they are checked
    /// against the schema before they are put into SQL.
    public func exportRows(table: String, key: [String], columns: [String], after: [String?]?, limit: Int) async throws -> [[String?]] {
        try await read { db in
            let known = try Set(db.columns(in: table).map(\.name)).union(["rowid"])
            for name in key + columns where !known.contains(name) {
                throw StewardError.internalError("\(table) has no column \(name)")
            }
            let selected = (key + columns).joined(separator: ", ")
            let order = key.joined(separator: ", ")
            var sql = "SELECT \(selected) FROM \(table)"
            var arguments = StatementArguments()
            if let after {
                sql += " WHERE (\(order)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
                arguments = StatementArguments(after.map { $0 as (any DatabaseValueConvertible)? })
            }
            sql += " ORDER BY \(order) LIMIT \(limit)"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                row.databaseValues.map { value -> String? in
                    switch value.storage {
                    case .null: return nil
                    case .int64(let number): return String(number)
                    case .double(let number): return String(number)
                    case .string(let text): return text
                    case .blob(let data): return String(decoding: data, as: UTF8.self)
                    }
                }
            }
        }
    }

    /// True when every migration of this build is applied: only such a file is moved.
    public func isFullyMigrated() throws -> Bool {
        try migrationStatus().allSatisfy(\.applied)
    }
}

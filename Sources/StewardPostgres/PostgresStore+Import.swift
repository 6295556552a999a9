import StewardModel
import Foundation
import PostgresNIO

/// Writing a moved database in (`steward migrate --from-sqlite`): COPY, table by table.
extension PostgresStore {
    /// True when the database holds no users, posts or audit rows: the only kind a move goes into.
    public func isEmptyForImport() async throws -> Bool {
        try await withConnection { connection in
            try await connection.query("""
                SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM posts) AND NOT EXISTS (SELECT 1 FROM security_events)
                """, logger: self.logger).values(Bool.self).first ?? false
        }
    }

    /// Forgets the built-in roles and permissions the migrations inserted, so that the moved
    /// database's own (perhaps edited) ones take their place.
    public func clearRolesForImport() async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM role_permissions", logger: self.logger)
            try await connection.query("DELETE FROM roles", logger: self.logger)
            try await connection.query("DELETE FROM permissions", logger: self.logger)
        }
    }

    /// COPYs `rows` (text values, `nil` for NULL) into `table`'s `columns`.
    public func copyRows(table: String, columns: [String], rows: [[String?]]) async throws {
        guard !rows.isEmpty else { return }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(rows.count * 128)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                guard let value else { buffer.writeString("\\N"); continue }
                PostgresStore.writeCopyText(value, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let data = buffer
        try await withConnection { connection in
            try await connection.copyFrom(table: table, columns: columns, logger: self.logger) { writer in
                try await writer.write(data)
            }
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return escaped.
    static func writeCopyText(_ text: String, into buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Fills the search columns of moved posts (`texts`: id, title, visible text) or
    /// comments (id, visible text), folding the text as every write does.
    public func importSearch(posts texts: [(id: Int64, title: String, body: String)]) async throws {
        guard !texts.isEmpty else { return }
        try await withConnection { connection in
            try await connection.query("""
                UPDATE posts p SET search_title = to_tsvector('simple', s.title), search_body = to_tsvector('simple', s.body)
                FROM unnest(\(texts.map(\.id)), \(texts.map { SearchText.document($0.title) }), \(texts.map { SearchText.document($0.body) }))
                     AS s(id, title, body)
                WHERE p.id = s.id
                """, logger: self.logger)
        }
    }

    public func importSearch(comments texts: [(id: Int64, body: String)]) async throws {
        guard !texts.isEmpty else { return }
        try await withConnection { connection in
            try await connection.query("""
                UPDATE comments c SET search = to_tsvector('simple', s.body)
                FROM unnest(\(texts.map(\.id)), \(texts.map { SearchText.document($0.body) })) AS s(id, body)
                WHERE c.id = s.id
                """, logger: self.logger)
        }
    }

    /// Moves each identity column past the largest id copied in, so that new rows get new ids.
    public func finishImport() async throws {
        try await withConnection { connection in
            for table in ["users", "posts", "tags", "comments", "refresh_tokens", "security_events"] {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)
                    """), logger: self.logger)
            }
            try await connection.query("ANALYZE", logger: self.logger)
        }
    }
}

import StewardModel
import Foundation
import PostgresNIO

/// Comments and their full-text search.
extension PostgresStore {
    static let commentColumns = """
        c.id, c.post_id, c.author_id, c.parent_id, c.content, c.status, c.created_at,
        u.first_name AS author_first_name, u.last_name AS author_last_name
        """
    typealias CommentRow = (Int64, Int64, Int64, Int64?, String, String, StoredTime, String, String)

    static func comment(_ row: CommentRow) -> Comment {
        Comment(id: row.0, postID: row.1, author: AuthorSummary(id: row.2, firstName: row.7, lastName: row.8),
                parentID: row.3, content: row.4, status: CommentStatus(rawValue: row.5) ?? .visible, createdAt: row.6.date)
    }

    public func listComments(_ query: Store.CommentQuery) async throws -> Page<Comment> {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        var sql = SQLBuilder()
        var conditions: [String] = []
        let ascending = (query.postID != nil) != query.reversed
        if let postID = query.postID { conditions.append("c.post_id = \(sql.bind(postID))") }
        if let authorID = query.authorID { conditions.append("c.author_id = \(sql.bind(authorID))") }
        if !query.includeHidden {
            conditions.append("c.status = 'visible'")
        } else if let status = query.status {
            conditions.append("c.status = \(sql.bind(status.rawValue))")
        }
        if let text = query.text, let match = SearchText.query(text) {
            conditions.append("c.search @@ to_tsquery('simple', \(sql.bind(match)))")
        }
        if let after { conditions.append(ascending ? "c.id > \(sql.bind(after))" : "c.id < \(sql.bind(after))") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        sql.text = """
            SELECT \(PostgresStore.commentColumns) FROM comments c JOIN users u ON u.id = c.author_id
            \(whereClause) ORDER BY c.id \(ascending ? "ASC" : "DESC") LIMIT \(sql.bind(query.limit + 1))
            """
        let statement = sql.query
        return try await withConnection { connection in
            let rows = try await connection.query(statement, logger: self.logger).all(CommentRow.self)
            let comments = rows.prefix(query.limit).map(PostgresStore.comment)
            let next = rows.count > query.limit ? comments.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: Array(comments), nextCursor: next)
        }
    }

    static func comment(_ connection: PostgresConnection, id: Int64, logger: Logger) async throws -> Comment? {
        try await connection.query("""
            SELECT \(unescaped: commentColumns) FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = \(id)
            """, logger: logger).all(CommentRow.self).first.map(comment)
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await withConnection { connection in try await PostgresStore.comment(connection, id: id, logger: self.logger) }
    }

    public func insertComment(_ new: Store.NewComment, now: Date) async throws -> Comment {
        try await transaction { connection in
            let logger = self.logger
            if let parent = new.parentID {
                let parentPost = try await connection.query("SELECT post_id FROM comments WHERE id = \(parent)", logger: logger).values(Int64.self).first
                if parentPost != new.postID { throw StewardError.notFound("The parent comment (on this post)") }
            }
            let time = StoredTime(now)
            let id = try await connection.rows("""
                INSERT INTO comments(post_id, author_id, parent_id, content, status, created_at, updated_at, search)
                VALUES (\(new.postID), \(new.authorID), \(new.parentID), \(new.content), 'visible', \(time), \(time),
                        to_tsvector('simple', \(SearchText.document(new.visibleText))))
                RETURNING id
                """, logger: logger)[0].decode(Int64.self)
            return try await PostgresStore.comment(connection, id: id, logger: logger)!
        }
    }

    public func setCommentStatus(id: Int64, status: CommentStatus, now: Date) async throws -> Bool {
        try await withConnection { connection in
            try await !connection.rows("""
                UPDATE comments SET status = \(status.rawValue), updated_at = \(StoredTime(now)) WHERE id = \(id) RETURNING id
                """, logger: self.logger).isEmpty
        }
    }

    /// Deletes a comment and its replies (the foreign key cascades).
    public func deleteComment(id: Int64) async throws -> Bool {
        try await withConnection { connection in
            try await !connection.rows("DELETE FROM comments WHERE id = \(id) RETURNING id", logger: self.logger).isEmpty
        }
    }

    // MARK: Security events

    public func insertSecurityEvent(_ new: Store.NewSecurityEvent, now: Date) async throws -> SecurityEvent {
        try await withConnection { connection in
            let time = StoredTime(now)
            let id = try await connection.rows("""
                INSERT INTO security_events(created_at, event, user_id, actor_id, client, details)
                VALUES (\(time), \(new.event.rawValue), \(new.userID), \(new.actorID), \(new.client), \(PostgresStore.encodeDetails(new.details))::jsonb)
                RETURNING id
                """, logger: self.logger)[0].decode(Int64.self)
            return SecurityEvent(id: id, createdAt: time.date, event: new.event, userID: new.userID, actorID: new.actorID,
                                 client: new.client, details: new.details)
        }
    }

    static func securityEventListStatement(_ query: Store.SecurityEventQuery) throws(StewardError) -> PostgresQuery {
        let boundary = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        var sql = SQLBuilder()
        var conditions: [String] = []
        if let event = query.event { conditions.append("event = \(sql.bind(event.rawValue))") }
        if let user = query.userID {
            let marker = sql.bind(user)
            conditions.append("(user_id = \(marker) OR actor_id = \(marker))")
        }
        if let subject = query.subjectID { conditions.append("user_id = \(sql.bind(subject))") }
        if let actor = query.actorID { conditions.append("actor_id = \(sql.bind(actor))") }
        if let client = query.client { conditions.append("client = \(sql.bind(client))") }
        if let since = query.since { conditions.append("created_at >= \(sql.bind(StoredTime(since)))") }
        if let until = query.until { conditions.append("created_at < \(sql.bind(StoredTime(until)))") }
        if let boundary { conditions.append(query.ascending ? "id > \(sql.bind(boundary))" : "id < \(sql.bind(boundary))") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        sql.text = """
            SELECT id, created_at, event, user_id, actor_id, client, details::text FROM security_events
            \(whereClause) ORDER BY id \(query.ascending ? "ASC" : "DESC") LIMIT \(sql.bind(query.limit + 1))
            """
        return sql.query
    }

    public func listSecurityEvents(_ query: Store.SecurityEventQuery) async throws -> Page<SecurityEvent> {
        let statement = try PostgresStore.securityEventListStatement(query)
        return try await withConnection { connection in
            let rows = try await connection.query(statement, logger: self.logger)
                .all((Int64, StoredTime, String, Int64?, Int64?, String, String).self)
            let events = rows.prefix(query.limit).map { row in
                SecurityEvent(id: row.0, createdAt: row.1.date, event: SecurityEventKind(rawValue: row.2) ?? .suspiciousActivity,
                              userID: row.3, actorID: row.4, client: row.5, details: PostgresStore.decodeDetails(row.6))
            }
            let next = rows.count > query.limit ? events.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: Array(events), nextCursor: next)
        }
    }

    public func explainSecurityEventList(_ query: Store.SecurityEventQuery) async throws -> [String] {
        let statement = try PostgresStore.securityEventListStatement(query)
        return try await withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + statement.sql, binds: statement.binds), logger: self.logger)
                .values(String.self)
        }
    }

    static func encodeDetails(_ details: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeDetails(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String ?? "\($0)" }
    }
}

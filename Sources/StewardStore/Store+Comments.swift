import StewardModel
import Foundation
import GRDB

/// Comments and their full-text index.
extension SQLiteStore {
    private static let commentColumns = """
        c.id, c.post_id, c.author_id, c.parent_id, c.content, c.status, c.created_at,
        u.first_name AS author_first_name, u.last_name AS author_last_name
        """

    private static func comment(from row: Row) -> Comment {
        Comment(id: row["id"], postID: row["post_id"],
                author: AuthorSummary(id: row["author_id"], firstName: row["author_first_name"], lastName: row["author_last_name"]),
                parentID: row["parent_id"], content: row["content"],
                status: CommentStatus(rawValue: row["status"]) ?? .visible, createdAt: row.date("created_at"))
    }


    /// A post's comments oldest first (so replies follow their parents), or all comments
    /// newest first for moderation; keyset by id either way.
    public func listComments(_ query: Store.CommentQuery) async throws -> Page<Comment> {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        return try await read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            let ascending = (query.postID != nil) != query.reversed
            if let postID = query.postID {
                conditions.append("c.post_id = ?"); arguments.append(postID)
            }
            if let authorID = query.authorID {
                // `comments_author` holds (author_id, rowid): one index range, in id order.
                conditions.append("c.author_id = ?"); arguments.append(authorID)
            }
            if !query.includeHidden {
                conditions.append("c.status = 'visible'")
            } else if let status = query.status {
                conditions.append("c.status = ?"); arguments.append(status.rawValue)
            }
            if let text = query.text, let match = SQLiteStore.ftsMatch(text) {
                conditions.append("c.id IN (SELECT rowid FROM comments_fts WHERE comments_fts MATCH ?)"); arguments.append(match)
            }
            if let after {
                conditions.append(ascending ? "c.id > ?" : "c.id < ?"); arguments.append(after)
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(query.limit + 1)
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteStore.commentColumns) FROM comments c JOIN users u ON u.id = c.author_id
                \(whereClause) ORDER BY c.id \(ascending ? "ASC" : "DESC") LIMIT ?
                """, arguments: StatementArguments(arguments))
            let comments = rows.prefix(query.limit).map(SQLiteStore.comment(from:))
            let next = rows.count > query.limit ? comments.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: Array(comments), nextCursor: next)
        }
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.commentColumns) FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ?",
                             arguments: [id]).map(SQLiteStore.comment(from:))
        }
    }


    public func insertComment(_ new: Store.NewComment, now: Date) async throws -> Comment {
        try await write { db in
            if let parent = new.parentID {
                let parentPost = try Int64.fetchOne(db, sql: "SELECT post_id FROM comments WHERE id = ?", arguments: [parent])
                if parentPost != new.postID {
                    throw StewardError.notFound("The parent comment (on this post)")
                }
            }
            let time = Timestamp.string(now)
            try db.execute(sql: """
                INSERT INTO comments(post_id, author_id, parent_id, content, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'visible', ?, ?)
                """, arguments: [new.postID, new.authorID, new.parentID, new.content, time, time])
            let id = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO comments_fts(rowid, body) VALUES (?, ?)", arguments: [id, new.visibleText])
            return try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.commentColumns) FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ?",
                                    arguments: [id]).map(SQLiteStore.comment(from:))!
        }
    }

    public func setCommentStatus(id: Int64, status: CommentStatus, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE comments SET status = ?, updated_at = ? WHERE id = ?",
                           arguments: [status.rawValue, Timestamp.string(now), id])
            return db.changesCount > 0
        }
    }

    /// Deletes a comment and its replies (and their search entries).
    public func deleteComment(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: """
                WITH RECURSIVE thread(id) AS (SELECT ? UNION ALL SELECT c.id FROM comments c JOIN thread t ON c.parent_id = t.id)
                DELETE FROM comments_fts WHERE rowid IN (SELECT id FROM thread)
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM comments WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}

extension SQLiteStore {
    /// A reply must sit on the same post as its parent. The service checks first; this
    /// trigger keeps the rule true for every writer (bulk seeding drops and recreates it).
    static let commentsParentTrigger = """
        CREATE TRIGGER comments_parent_same_post
        BEFORE INSERT ON comments
        WHEN NEW.parent_id IS NOT NULL
         AND (SELECT post_id FROM comments WHERE id = NEW.parent_id) IS NOT NEW.post_id
        BEGIN
            SELECT RAISE(ABORT, 'parent comment is on another post');
        END
        """
}

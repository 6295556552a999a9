import StewardModel
import Foundation
import PostgresNIO

/// Posts, their tags and their full-text search.
extension PostgresStore {
    /// A post's columns, its author's name and its tags, in one row: a page or a post is
    /// one round trip (the tags by `post_tags`' primary key, for the rows returned only).
    static let postColumns = """
        p.id, p.author_id, p.title, p.content, p.status, p.created_at, p.updated_at,
        u.first_name AS author_first_name, u.last_name AS author_last_name,
        ARRAY(SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id ORDER BY t.name) AS tags
        """
    typealias PostRow = (Int64, Int64, String, String, String, StoredTime, StoredTime, String, String, [String])

    /// The statement a filtered (or an author's own, or oldest-first) posts list runs:
    /// `listPosts` executes it and `explainPostList` asks PostgreSQL for its plan.
    static func postListStatement(_ query: Store.PostQuery, visibility: Store.PostVisibility) throws(StewardError) -> PostgresQuery {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeTimeAndID(cursor) }
        var afterTime: StoredTime?
        if let after {
            guard let date = Timestamp.parse(after.0) else { throw StewardError.badInput(field: "cursor", "is not a cursor this list gave") }
            afterTime = StoredTime(date)
        }
        var sql = SQLBuilder()
        var conditions: [String] = []
        if let status = query.status { conditions.append("p.status = \(sql.bind(status.rawValue))") }
        if let author = query.authorID { conditions.append("p.author_id = \(sql.bind(author))") }
        if let tag = query.tag {
            conditions.append("p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = \(sql.bind(tag)))")
        }
        if let text = query.text, let match = SearchText.query(text) {
            conditions.append("(p.search_title || p.search_body) @@ to_tsquery('simple', \(sql.bind(match)))")
        }
        if let afterTime, let after {
            let comparison = query.ascending ? ">" : "<"
            conditions.append("(p.created_at, p.id) \(comparison) (\(sql.bind(afterTime)), \(sql.bind(after.1)))")
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let limit = sql.bind(query.limit + 1)
        let order = "ORDER BY p.created_at \(direction), p.id \(direction) LIMIT \(limit)"
        func branch(_ visible: String?) -> String {
            let all = (visible.map { [$0] } ?? []) + conditions
            let whereClause = all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
            return "SELECT \(postColumns) FROM posts p JOIN users u ON u.id = p.author_id \(whereClause) \(order)"
        }
        switch visibility {
        case .any:
            sql.text = branch(nil)
        case .published:
            sql.text = branch("p.status = 'published'")
        case .publishedOrOwn(let authorID):
            // Two keyset reads, each down its own index in order, merged: as on SQLite.
            let me = sql.bind(authorID)
            sql.text = """
                SELECT * FROM ((\(branch("p.status = 'published'"))) UNION ALL (\(branch("p.author_id = \(me) AND p.status <> 'published'")))) AS page
                ORDER BY created_at \(direction), id \(direction) LIMIT \(limit)
                """
        }
        return sql.query
    }

    public func listPosts(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> Page<Post> {
        if let newest = try PostgresStore.newestPosts(query, visibility: visibility) {
            return try await withConnection { connection in
                PostgresStore.page(try await newest.statement.rows(on: connection, logger: self.logger), limit: query.limit)
            }
        }
        let statement = try PostgresStore.postListStatement(query, visibility: visibility)
        return try await withConnection { connection in
            PostgresStore.page(try await connection.query(statement, logger: self.logger).all(PostRow.self), limit: query.limit)
        }
    }

    /// An unfiltered, newest-first list read by anyone or by `posts:read:any`: the list
    /// most requests ask for, which runs as a prepared statement.
    struct NewestPostsRead {
        var publishedOnly: Bool
        var after: (time: StoredTime, id: Int64)?
        /// The rows asked for: one more than the page, to know whether another follows.
        var limit: Int

        /// The prepared statement that runs it.
        var statement: any PostRowsStatement {
            switch (publishedOnly, after != nil) {
            case (false, false): PreparedReads.NewestPosts<EveryStatusFromTop>(self)
            case (false, true): PreparedReads.NewestPosts<EveryStatusAfterKey>(self)
            case (true, false): PreparedReads.NewestPosts<PublishedFromTop>(self)
            case (true, true): PreparedReads.NewestPosts<PublishedAfterKey>(self)
            }
        }
    }

    /// The prepared read for `query`, or `nil` for any other list (filters, oldest first,
    /// an author's own), which is built as SQL by ``postListStatement(_:visibility:)``.
    static func newestPosts(_ query: Store.PostQuery, visibility: Store.PostVisibility) throws(StewardError) -> NewestPostsRead? {
        guard query.status == nil, query.authorID == nil, query.tag == nil, !query.ascending, query.limit < PreparedReads.pageCap,
              query.text.map({ SearchText.query($0) == nil }) ?? true else { return nil }
        let publishedOnly: Bool
        switch visibility {
        case .any: publishedOnly = false
        case .published: publishedOnly = true
        case .publishedOrOwn: return nil
        }
        var after: (time: StoredTime, id: Int64)?
        if let cursor = query.cursor {
            let (time, id) = try PageCursor.decodeTimeAndID(cursor)
            guard let date = Timestamp.parse(time) else { throw StewardError.badInput(field: "cursor", "is not a cursor this list gave") }
            after = (StoredTime(date), id)
        }
        return NewestPostsRead(publishedOnly: publishedOnly, after: after, limit: query.limit + 1)
    }

    /// A page of `limit` posts from rows fetched with one more: the extra row says that
    /// another page follows, which starts after the page's last post.
    static func page(_ rows: [PostRow], limit: Int) -> Page<Post> {
        let page = Array(rows.prefix(limit))
        var next: String?
        if rows.count > limit, let last = page.last {
            next = PageCursor.encode([Timestamp.string(last.5.date), String(last.0)])
        }
        return Page(items: page.map(post(from:)), nextCursor: next)
    }

    static func post(from row: PostRow) -> Post {
        Post(id: row.0, author: AuthorSummary(id: row.1, firstName: row.7, lastName: row.8), title: row.2, content: row.3,
             status: PostStatus(rawValue: row.4) ?? .draft, tags: row.9, createdAt: row.5.date, updatedAt: row.6.date)
    }

    /// The plan PostgreSQL runs a list with. A filtered list is planned for its values
    /// each time, so that is what this explains. An unfiltered list is a prepared statement
    /// that settles on its generic plan after five runs: this prepares the same SQL under
    /// another name and explains its generic plan with the list's values.
    public func explainPostList(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> [String] {
        guard let newest = try PostgresStore.newestPosts(query, visibility: visibility) else {
            let statement = try PostgresStore.postListStatement(query, visibility: visibility)
            return try await withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + statement.sql, binds: statement.binds), logger: self.logger)
                    .values(String.self)
            }
        }
        let (sql, binds) = try newest.statement.sqlAndBindings
        return try await withConnection { connection in
            try await PostgresStore.explainGenericPlan(of: sql, binds: binds, on: connection, logger: self.logger)
        }
    }

    /// `EXPLAIN EXECUTE` of `sql` prepared under a scratch name, with its generic plan
    /// forced for the one transaction. A utility statement takes no parameters, so
    /// PostgreSQL first renders each value and names its type; the statement is prepared
    /// with those types and executed with those values as literals.
    static func explainGenericPlan(of sql: String, binds: PostgresBindings, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var values: [(type: String, literal: String)] = []
        if binds.count > 0 {
            let columns = (1...binds.count).map { "pg_typeof($\($0))::text, $\($0)::text" }.joined(separator: ", ")
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT " + columns, binds: binds), logger: logger) {
                let cells = try row.map { try $0.decode(String?.self) }
                for index in stride(from: 0, to: cells.count, by: 2) {
                    let literal = cells[index + 1].map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
                    values.append((cells[index] ?? "text", literal))
                }
            }
        }
        let types = values.isEmpty ? "" : "(" + values.map(\.type).joined(separator: ", ") + ")"
        let arguments = values.isEmpty ? "" : "(" + values.map(\.literal).joined(separator: ", ") + ")"
        try await connection.query(PostgresQuery(unsafeSQL: "PREPARE steward_explain\(types) AS " + sql), logger: logger)
        do {
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SET LOCAL plan_cache_mode = force_generic_plan", logger: logger)
            let plan = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN EXECUTE steward_explain\(arguments)"), logger: logger).values(String.self)
            try await connection.query("ROLLBACK", logger: logger)
            try await connection.query("DEALLOCATE steward_explain", logger: logger)
            return plan
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            _ = try? await connection.query("DEALLOCATE steward_explain", logger: logger)
            throw error
        }
    }

    static func post(_ connection: PostgresConnection, id: Int64, logger: Logger) async throws -> Post? {
        try await PreparedReads.PostByID(id: id).rows(on: connection, logger: logger).first.map(post(from:))
    }

    public func post(id: Int64) async throws -> Post? {
        try await withConnection { connection in try await PostgresStore.post(connection, id: id, logger: self.logger) }
    }

    /// The daily limit and the unique title, checked in the documented order under a
    /// per-author advisory lock: of two instances creating this author's eleventh post at
    /// once, one waits for the other's commit and then counts it.
    public func createPost(_ new: Store.NewPost, dailyLimit: Int, now: Date) async throws -> Post {
        try await transaction { connection in
            let logger = self.logger
            try await connection.query("SELECT pg_advisory_xact_lock(\(new.authorID))", logger: logger)
            let dayAgo = StoredTime(now.addingTimeInterval(-86_400))
            let recent = try await connection.query("""
                SELECT created_at FROM post_creations WHERE author_id = \(new.authorID) AND created_at > \(dayAgo) ORDER BY created_at
                """, logger: logger).values(StoredTime.self)
            if recent.count >= dailyLimit {
                let oldest = recent[recent.count - dailyLimit].date
                let retry = Int((oldest.addingTimeInterval(86_400).timeIntervalSince(now)).rounded(.up))
                throw StewardError.throttled(retryAfter: retry, "At most \(dailyLimit) posts a day; try again later.")
            }
            let conflict = StewardError(.conflict, "You already have a post with this title.",
                                        fieldErrors: [FieldError(field: "title", message: "is already used by another of your posts")])
            if try await !connection.rows("SELECT 1 FROM posts WHERE author_id = \(new.authorID) AND title_key = \(new.titleKey)", logger: logger).isEmpty {
                throw conflict
            }
            let time = StoredTime(now)
            let id: Int64
            do {
                id = try await connection.rows("""
                    INSERT INTO posts(author_id, title, title_key, content, status, created_at, updated_at, search_title, search_body)
                    VALUES (\(new.authorID), \(new.title), \(new.titleKey), \(new.content), \(new.status.rawValue), \(time), \(time),
                            to_tsvector('simple', \(SearchText.document(new.title))), to_tsvector('simple', \(SearchText.document(new.visibleText))))
                    RETURNING id
                    """, logger: logger)[0].decode(Int64.self)
            } catch where PostgresStore.isUniqueViolation(error) {
                throw conflict
            }
            try await connection.query("INSERT INTO post_creations(author_id, created_at) VALUES (\(new.authorID), \(time))", logger: logger)
            try await PostgresStore.setTags(connection, postID: id, tags: new.tags, logger: logger)
            return try await PostgresStore.post(connection, id: id, logger: logger)!
        }
    }

    static func setTags(_ connection: PostgresConnection, postID: Int64, tags: [String], logger: Logger) async throws {
        try await connection.query("DELETE FROM post_tags WHERE post_id = \(postID)", logger: logger)
        guard !tags.isEmpty else { return }
        try await connection.query("INSERT INTO tags(name) SELECT unnest(\(tags)::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING", logger: logger)
        try await connection.query("""
            INSERT INTO post_tags(post_id, tag_id) SELECT \(postID), id FROM tags WHERE name = ANY(\(tags)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    public func updatePost(id: Int64, _ changes: Store.PostChanges, now: Date) async throws -> Post? {
        try await transaction { connection in
            let logger = self.logger
            guard let before = try await PostgresStore.post(connection, id: id, logger: logger) else { return nil }
            let time = StoredTime(now)
            let conflict = StewardError(.conflict, "The author already has a post with this title.",
                                        fieldErrors: [FieldError(field: "title", message: "is already used by another post of this author")])
            if let title = changes.title, let key = changes.titleKey {
                if try await !connection.rows("SELECT 1 FROM posts WHERE author_id = \(before.author.id) AND title_key = \(key) AND id <> \(id)",
                                              logger: logger).isEmpty {
                    throw conflict
                }
                do {
                    try await connection.query("""
                        UPDATE posts SET title = \(title), title_key = \(key), updated_at = \(time),
                            search_title = to_tsvector('simple', \(SearchText.document(title))) WHERE id = \(id)
                        """, logger: logger)
                } catch where PostgresStore.isUniqueViolation(error) {
                    throw conflict
                }
            }
            if let content = changes.content {
                try await connection.query("UPDATE posts SET content = \(content), updated_at = \(time) WHERE id = \(id)", logger: logger)
            }
            if let visible = changes.visibleText {
                try await connection.query("UPDATE posts SET search_body = to_tsvector('simple', \(SearchText.document(visible))) WHERE id = \(id)",
                                           logger: logger)
            }
            if let status = changes.status {
                try await connection.query("UPDATE posts SET status = \(status.rawValue), updated_at = \(time) WHERE id = \(id)", logger: logger)
            }
            if let tags = changes.tags {
                try await PostgresStore.setTags(connection, postID: id, tags: tags, logger: logger)
                try await connection.query("UPDATE posts SET updated_at = \(time) WHERE id = \(id)", logger: logger)
            }
            return try await PostgresStore.post(connection, id: id, logger: logger)
        }
    }

    public func deletePost(id: Int64) async throws -> Bool {
        try await withConnection { connection in
            try await !connection.rows("DELETE FROM posts WHERE id = \(id) RETURNING id", logger: self.logger).isEmpty
        }
    }

    public func postCount() async throws -> Int {
        try await withConnection { connection in
            try await connection.query("SELECT count(*) FROM posts", logger: self.logger).values(Int.self).first ?? 0
        }
    }
}

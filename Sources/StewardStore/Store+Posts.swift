import StewardModel
import Foundation
import GRDB

/// Posts, their tags and their full-text index.
extension SQLiteStore {


    private static let postColumns = """
        p.id, p.author_id, p.title, p.content, p.status, p.created_at, p.updated_at,
        u.first_name AS author_first_name, u.last_name AS author_last_name
        """

    /// The one statement a posts list runs, with its arguments: `listPosts` executes it and
    /// `explainPostList` asks SQLite for its plan, so a test of the plan tests the real query.
    private static func postListStatement(_ query: Store.PostQuery, visibility: Store.PostVisibility) throws(StewardError) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let after = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeTimeAndID(cursor) }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let status = query.status {
            conditions.append("p.status = ?"); arguments.append(status.rawValue)
        }
        if let author = query.authorID {
            conditions.append("p.author_id = ?"); arguments.append(author)
        }
        if let tag = query.tag {
            conditions.append("p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = ?)")
            arguments.append(tag)
        }
        if let text = query.text, let match = SQLiteStore.ftsMatch(text) {
            conditions.append("p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)"); arguments.append(match)
        }
        if let (time, id) = after {
            conditions.append(query.ascending ? "(p.created_at, p.id) > (?, ?)" : "(p.created_at, p.id) < (?, ?)"); arguments += [time, id]
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let order = "ORDER BY p.created_at \(direction), p.id \(direction) LIMIT ?"
        func branch(_ visible: String?, _ visibleArguments: [any DatabaseValueConvertible]) -> (String, [any DatabaseValueConvertible]) {
            let all = (visible.map { [$0] } ?? []) + conditions
            let whereClause = all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
            return ("SELECT \(SQLiteStore.postColumns) FROM posts p JOIN users u ON u.id = p.author_id \(whereClause) \(order)",
                    visibleArguments + arguments + [query.limit + 1])
        }
        switch visibility {
        case .any:
            return branch(nil, [])
        case .published:
            return branch("p.status = 'published'", [])
        case .publishedOrOwn(let authorID):
            // `published OR author = me` in one WHERE makes SQLite gather every published
            // post and sort them (90 ms on 100,000 posts). Two keyset reads, each walking
            // its own index in order (the published posts; this author's other posts), and
            // a merge of at most twice a page, answer the same rows in well under 1 ms.
            let (published, publishedArguments) = branch("p.status = 'published'", [])
            let (own, ownArguments) = branch("p.author_id = ? AND p.status <> 'published'", [authorID])
            let sql = """
                SELECT * FROM (SELECT * FROM (\(published)) UNION ALL SELECT * FROM (\(own)))
                ORDER BY created_at \(direction), id \(direction) LIMIT ?
                """
            return (sql, publishedArguments + ownArguments + [query.limit + 1])
        }
    }

    /// Newest first, by the key (created_at, id): the next page starts strictly after the
    /// last row of this one, through an index whatever the page number.
    public func listPosts(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> Page<Post> {
        let (sql, values) = try SQLiteStore.postListStatement(query, visibility: visibility)
        let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
        return try await readLatest { db in
            let statement = try db.cachedStatement(sql: sql)
            let rows = try Row.fetchAll(statement, arguments: arguments)
            let pageRows = Array(rows.prefix(query.limit))
            let posts = try SQLiteStore.posts(db, rows: pageRows)
            var next: String?
            if rows.count > query.limit, let last = pageRows.last {
                next = PageCursor.encode([last[5], String(last[0] as Int64)])
            }
            return Page(items: posts, nextCursor: next)
        }
    }

    /// `EXPLAIN QUERY PLAN` of exactly the statement `listPosts` runs for `query`.
    public func explainPostList(_ query: Store.PostQuery, visibility: Store.PostVisibility) async throws -> [String] {
        let (sql, values) = try SQLiteStore.postListStatement(query, visibility: visibility)
        let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
        return try await read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }

    /// Turns what a user typed into an FTS5 query that cannot be a syntax error: every word
    /// becomes a quoted prefix term, all of which must match.
    static func ftsMatch(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map { word in
            "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    static func posts(_ db: Database, rows: [Row]) throws -> [Post] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0["id"] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var tags: [Int64: [String]] = [:]
        let statement = try db.cachedStatement(sql: """
            SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
            WHERE pt.post_id IN (\(marks)) ORDER BY t.name
            """)
        for row in try Row.fetchAll(statement, arguments: StatementArguments(ids)) {
            tags[row[0], default: []].append(row[1])
        }
        return rows.map { row in post(row, tags: tags[row[0]] ?? []) }
    }

    /// A post from a row whose first columns are `postColumns`, in that order (by position:
    /// lists decode thousands of these a second).
    private static func post(_ row: Row, tags: [String]) -> Post {
        Post(id: row[0],
             author: AuthorSummary(id: row[1], firstName: row[7], lastName: row[8]),
             title: row[2], content: row[3],
             status: PostStatus(rawValue: row[4]) ?? .draft, tags: tags,
             createdAt: Timestamp.parse(row[5]) ?? Date(timeIntervalSince1970: 0),
             updatedAt: Timestamp.parse(row[6]) ?? Date(timeIntervalSince1970: 0))
    }

    /// Separates the tags of one post in ``post(_:id:)``'s single statement: a control
    /// character, which no stored tag contains (every tag is cleaned as plain text, which
    /// removes control characters, before it is stored).
    private static let tagSeparator = "\u{1F}"

    /// One post and its tags in one statement: each statement outside a transaction is a
    /// read transaction of its own (a lock and an unlock of the WAL index), so the tags are
    /// gathered by a subquery rather than read by a second statement as a page's are.
    static func post(_ db: Database, id: Int64) throws -> Post? {
        let statement = try db.cachedStatement(sql: """
            SELECT \(SQLiteStore.postColumns),
                   (SELECT group_concat(name, char(31)) FROM
                      (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id ORDER BY t.name))
            FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?
            """)
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let tags = (row[9] as String?).map { $0.split(separator: tagSeparator, omittingEmptySubsequences: false).map(String.init) } ?? []
        return post(row, tags: tags)
    }

    public func post(id: Int64) async throws -> Post? {
        try await readLatest { db in try SQLiteStore.post(db, id: id) }
    }


    /// Inserts a post after the checks that need the database, in the documented order and in one
    /// transaction so that two racing requests cannot both take the last slot:
    /// the author's daily limit (429, counting deleted posts), then the unique title (409).
    public func createPost(_ new: Store.NewPost, dailyLimit: Int, now: Date) async throws -> Post {
        try await write { db in
            let dayAgo = Timestamp.string(now.addingTimeInterval(-86_400))
            let recent = try Row.fetchAll(db, sql: """
                SELECT created_at FROM post_creations WHERE author_id = ? AND created_at > ? ORDER BY created_at
                """, arguments: [new.authorID, dayAgo])
            if recent.count >= dailyLimit {
                let oldest = recent[recent.count - dailyLimit].date("created_at")
                let retry = Int((oldest.addingTimeInterval(86_400).timeIntervalSince(now)).rounded(.up))
                throw StewardError.throttled(retryAfter: retry, "At most \(dailyLimit) posts a day; try again later.")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM posts WHERE author_id = ? AND title_key = ?",
                                 arguments: [new.authorID, new.titleKey]) ?? false {
                throw StewardError(.conflict, "You already have a post with this title.",
                                   fieldErrors: [FieldError(field: "title", message: "is already used by another of your posts")])
            }
            let time = Timestamp.string(now)
            try db.execute(sql: """
                INSERT INTO posts(author_id, title, title_key, content, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.authorID, new.title, new.titleKey, new.content, new.status.rawValue, time, time])
            let id = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO post_creations(author_id, created_at) VALUES (?, ?)", arguments: [new.authorID, time])
            try db.execute(sql: "INSERT INTO posts_fts(rowid, title, body) VALUES (?, ?, ?)", arguments: [id, new.title, new.visibleText])
            try SQLiteStore.setTags(db, postID: id, tags: new.tags)
            return try SQLiteStore.post(db, id: id)!
        }
    }

    static func setTags(_ db: Database, postID: Int64, tags: [String]) throws {
        try db.execute(sql: "DELETE FROM post_tags WHERE post_id = ?", arguments: [postID])
        for tag in tags {
            try db.execute(sql: "INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING", arguments: [tag])
            try db.execute(sql: "INSERT OR IGNORE INTO post_tags(post_id, tag_id) SELECT ?, id FROM tags WHERE name = ?", arguments: [postID, tag])
        }
    }


    /// Applies the changes; a new title taken by another of the author's posts is a conflict.
    public func updatePost(id: Int64, _ changes: Store.PostChanges, now: Date) async throws -> Post? {
        try await write { db in
            guard let before = try SQLiteStore.post(db, id: id) else { return nil }
            let time = Timestamp.string(now)
            if let title = changes.title, let key = changes.titleKey {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM posts WHERE author_id = ? AND title_key = ? AND id <> ?",
                                     arguments: [before.author.id, key, id]) ?? false {
                    throw StewardError(.conflict, "The author already has a post with this title.",
                                       fieldErrors: [FieldError(field: "title", message: "is already used by another post of this author")])
                }
                try db.execute(sql: "UPDATE posts SET title = ?, title_key = ?, updated_at = ? WHERE id = ?", arguments: [title, key, time, id])
            }
            if let content = changes.content {
                try db.execute(sql: "UPDATE posts SET content = ?, updated_at = ? WHERE id = ?", arguments: [content, time, id])
            }
            if let status = changes.status {
                try db.execute(sql: "UPDATE posts SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, time, id])
            }
            if let tags = changes.tags {
                try SQLiteStore.setTags(db, postID: id, tags: tags)
                try db.execute(sql: "UPDATE posts SET updated_at = ? WHERE id = ?", arguments: [time, id])
            }
            if changes.title != nil || changes.visibleText != nil {
                let title = changes.title ?? before.title
                let body: String
                if let visible = changes.visibleText {
                    body = visible
                } else {
                    body = try String.fetchOne(db, sql: "SELECT body FROM posts_fts WHERE rowid = ?", arguments: [id]) ?? ""
                }
                try db.execute(sql: "DELETE FROM posts_fts WHERE rowid = ?", arguments: [id])
                try db.execute(sql: "INSERT INTO posts_fts(rowid, title, body) VALUES (?, ?, ?)", arguments: [id, title, body])
            }
            return try SQLiteStore.post(db, id: id)
        }
    }

    /// Deletes a post with its comments, tags links and search entries.
    public func deletePost(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM comments_fts WHERE rowid IN (SELECT id FROM comments WHERE post_id = ?)", arguments: [id])
            try db.execute(sql: "DELETE FROM posts_fts WHERE rowid = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM posts WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func postCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM posts") ?? 0 }
    }
}

import StewardModel
import Foundation
import PostgresNIO

/// The reads nearly every request makes, as named prepared statements, so that PostgreSQL
/// plans each once per connection rather than once per request: planning a page took
/// about as long as running it (0.2 ms each, measured with `EXPLAIN ANALYZE`).
///
/// PostgreSQL keeps a statement's generic plan (one for any values) after five runs only
/// if it looks no dearer than planning for the values each time. A bare `LIMIT $1` makes it
/// look far dearer (the planner guesses a tenth of the table for a limit it cannot see),
/// so the page statements take at most ``pageCap`` rows in a subquery with a constant
/// limit, and cut to the page outside it: the executor pulls rows one at a time, so the
/// rows past the page are never read.
enum PreparedReads {
    /// The largest page the prepared page statements serve, plus the one row that says
    /// whether another page follows (an API page holds at most 100 posts).
    static let pageCap = 101

    /// One post with its author and tags.
    struct PostByID: PostRowsStatement {
        static let name = "steward_post_by_id"
        static let sql = "SELECT \(PostgresStore.postColumns) FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1"
        var id: Int64
        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(id)
            return bindings
        }
    }

    /// The newest posts, a page: every status or published only, from the top or after a
    /// key. Four statements rather than one with optional conditions, so that each plan
    /// walks the right index from the right place (a condition that may be absent would
    /// be a filter on a scan from the top, not where the index scan starts).
    struct NewestPosts<Shape: NewestPostsShape>: PostRowsStatement {
        /// Short and distinct: PostgreSQL cuts names at 63 bytes, and the type's own
        /// name (the default) would leave the four shapes one name.
        static var name: String { "steward_newest_posts_\(Shape.publishedOnly ? "published" : "all")\(Shape.afterKey ? "_after" : "")" }
        static var sql: String {
            """
            SELECT \(PostgresStore.postColumns)
            FROM (SELECT * FROM posts p
                  WHERE \(Shape.publishedOnly ? "p.status = 'published'" : "TRUE")
                    AND \(Shape.afterKey ? "(p.created_at, p.id) < ($2, $3)" : "TRUE")
                  ORDER BY p.created_at DESC, p.id DESC LIMIT \(PreparedReads.pageCap)) p
            JOIN users u ON u.id = p.author_id
            ORDER BY p.created_at DESC, p.id DESC LIMIT $1
            """
        }
        var limit: Int
        var after: (time: StoredTime, id: Int64)?

        init(_ read: PostgresStore.NewestPostsRead) {
            limit = read.limit
            after = read.after
        }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(limit)
            if Shape.afterKey, let after {
                try bindings.append(after.time)
                bindings.append(after.id)
            }
            return bindings
        }
    }
}

/// A prepared statement whose rows are posts (``PostgresStore/PostRow``).
protocol PostRowsStatement: PostgresPreparedStatement where Row == PostgresStore.PostRow {}

extension PostRowsStatement {
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }

    /// Every row. Read to the end: that is what gives the connection back.
    func rows(on connection: PostgresConnection, logger: Logger) async throws -> [PostgresStore.PostRow] {
        var rows: [PostgresStore.PostRow] = []
        for try await row in try await connection.execute(self, logger: logger) { rows.append(row) }
        return rows
    }

    /// The SQL and the values, for `explainPostList`.
    var sqlAndBindings: (sql: String, binds: PostgresBindings) {
        get throws { (Self.sql, try makeBindings()) }
    }
}

protocol NewestPostsShape {
    static var publishedOnly: Bool { get }
    static var afterKey: Bool { get }
}

enum EveryStatusFromTop: NewestPostsShape { static let publishedOnly = false, afterKey = false }
enum EveryStatusAfterKey: NewestPostsShape { static let publishedOnly = false, afterKey = true }
enum PublishedFromTop: NewestPostsShape { static let publishedOnly = true, afterKey = false }
enum PublishedAfterKey: NewestPostsShape { static let publishedOnly = true, afterKey = true }

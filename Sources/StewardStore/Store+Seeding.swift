import StewardModel
import Foundation
import GRDB

/// Bulk loading for `steward seed`: prepared statements in large transactions, because
/// records through Codable cost three times as much per row (STACK.md).
extension SQLiteStore {


    /// Fills the database with generated rows. User 1 is `admin@example.com` (admin),
    /// user 2 `mod@example.com` (moderator), the rest `userN@example.com`; every account
    /// shares `passwordHash` (hashing each would take minutes). Posts are created in time
    /// order over the year before `now`, so ids follow `created_at`.
    public func seedGenerated(_ volumes: Store.GeneratedVolumes, passwordHash: String, now: Date,
                              progress: (@Sendable (String) -> Void)? = nil) throws -> Store.SeedReport {
        var rng = SplitMix64(seed: volumes.seed)
        var report = Store.SeedReport()
        let existingUsers = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0 }
        guard existingUsers == 0 else {
            throw StewardError.conflict("The database already has users; generated data goes into an empty database.")
        }
        let userCount = max(volumes.users, 2)
        let nowMillis = Int64(now.timeIntervalSince1970 * 1000)
        let yearMillis: Int64 = 365 * 86_400_000
        var indexes: [(name: String, sql: String)] = []

        try pool.writeWithoutTransaction { db in
            // A bulk load into an empty database: skip fsyncs (a crash means seeding again),
            // and build the secondary indexes and the search index once at the end, by
            // sorting, instead of row by row in random key order.
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('posts', 'comments', 'post_tags')
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
            try db.execute(sql: "DROP TRIGGER IF EXISTS comments_parent_same_post")
            // Users.
            try db.inTransaction {
                let insertUser = try db.makeStatement(sql: """
                    INSERT INTO users(id, email, password_hash, first_name, last_name, is_active, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?)
                    """)
                let insertRole = try db.makeStatement(sql: "INSERT INTO user_roles(user_id, role) VALUES (?, ?)")
                for id in 1...userCount {
                    let email = id == 1 ? "admin@example.com" : id == 2 ? "mod@example.com" : "user\(id)@example.com"
                    let time = Timestamp.string(Date(timeIntervalSince1970: Double(nowMillis - yearMillis - Int64(userCount - id) * 1000) / 1000))
                    try insertUser.execute(arguments: [id, email, passwordHash, GeneratedText.firstNames[id % GeneratedText.firstNames.count],
                                                       GeneratedText.lastNames[(id / 7) % GeneratedText.lastNames.count], time, time])
                    try insertRole.execute(arguments: [id, id == 1 ? "admin" : id == 2 ? "moderator" : "user"])
                }
                return .commit
            }
            report.users = userCount
            progress?("users: \(userCount)")

            // Tags.
            try db.inTransaction {
                for tag in GeneratedText.tags {
                    try db.execute(sql: "INSERT OR IGNORE INTO tags(name) VALUES (?)", arguments: [tag])
                }
                return .commit
            }
            let tagIDs = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, name FROM tags").map { ($0["name"] as String, $0["id"] as Int64) })

            // Posts, in batches of 50,000 rows per transaction.
            let postStep = volumes.posts > 0 ? max(yearMillis / Int64(volumes.posts), 1) : 1
            var postID = 0
            while postID < volumes.posts {
                let end = min(postID + 50_000, volumes.posts)
                try db.inTransaction {
                    let insertPost = try db.makeStatement(sql: """
                        INSERT INTO posts(id, author_id, title, title_key, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let insertTag = try db.makeStatement(sql: "INSERT OR IGNORE INTO post_tags(post_id, tag_id) VALUES (?, ?)")
                    while postID < end {
                        postID += 1
                        let author = Int(rng.next(below: UInt64(userCount))) + 1
                        let title = "\(GeneratedText.sentence(&rng, words: 3...7)) #\(postID)"
                        let body = GeneratedText.sentence(&rng, words: 12...40)
                        let content = "<p>\(body)</p>"
                        let roll = rng.next(below: 100)
                        let status = roll < 80 ? "published" : roll < 95 ? "draft" : "archived"
                        let time = Timestamp.string(Date(timeIntervalSince1970: Double(nowMillis - yearMillis + Int64(postID) * postStep) / 1000))
                        insertPost.setUncheckedArguments([postID, author, title, title.lowercased(), content, status, time, time])
                        try insertPost.execute()
                        for _ in 0..<rng.next(below: 4) {
                            let tag = GeneratedText.tags[Int(rng.next(below: UInt64(GeneratedText.tags.count)))]
                            try insertTag.execute(arguments: [postID, tagIDs[tag]!])
                        }
                    }
                    return .commit
                }
                progress?("posts: \(postID)")
            }
            report.posts = volumes.posts

            // Comments: a third are replies to the previous comment on the same post.
            guard volumes.posts > 0 else { return }
            var lastCommentOnPost = [Int64](repeating: 0, count: volumes.posts + 1)
            var commentID = 0
            let commentStep = volumes.comments > 0 ? max(yearMillis / Int64(volumes.comments), 1) : 1
            while commentID < volumes.comments {
                let end = min(commentID + 100_000, volumes.comments)
                try db.inTransaction {
                    let insertComment = try db.makeStatement(sql: """
                        INSERT INTO comments(id, post_id, author_id, parent_id, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    while commentID < end {
                        commentID += 1
                        let post = Int(rng.next(below: UInt64(volumes.posts))) + 1
                        let author = Int(rng.next(below: UInt64(userCount))) + 1
                        let previous = lastCommentOnPost[post]
                        let parent: Int64? = previous > 0 && rng.next(below: 3) == 0 ? previous : nil
                        let body = GeneratedText.sentence(&rng, words: 4...18)
                        let status = rng.next(below: 50) == 0 ? "hidden" : "visible"
                        let time = Timestamp.string(Date(timeIntervalSince1970: Double(nowMillis - yearMillis + Int64(commentID) * commentStep) / 1000))
                        insertComment.setUncheckedArguments([commentID, post, author, parent, "<p>" + body + "</p>", status, time, time])
                        try insertComment.execute()
                        lastCommentOnPost[post] = Int64(commentID)
                    }
                    return .commit
                }
                progress?("comments: \(commentID)")
            }
            report.comments = volumes.comments
        }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            try db.inTransaction {
                for index in indexes { try db.execute(sql: index.sql) }
                try db.execute(sql: SQLiteStore.commentsParentTrigger)
                return .commit
            }
            progress?("indexes built")
            // Generated content is one paragraph: its visible text is the content without <p>…</p>.
            try db.inTransaction {
                try db.execute(sql: "INSERT INTO posts_fts(rowid, title, body) SELECT id, title, substr(content, 4, length(content) - 7) FROM posts")
                return .commit
            }
            try db.inTransaction {
                try db.execute(sql: "INSERT INTO comments_fts(rowid, body) SELECT id, substr(content, 4, length(content) - 7) FROM comments")
                return .commit
            }
            progress?("search index built")
            try db.execute(sql: "PRAGMA optimize")
        }
        return report
    }




    /// Inserts the demo set in one transaction (all or nothing), keeping its times.
    /// Posts and comments are inserted in time order so that ids follow `created_at`.
    public func seedDemo(users: [Store.DemoUser], posts: [Store.DemoPost], comments: [Store.DemoComment]) throws -> Store.SeedReport {
        try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM users") == 0 else {
                throw StewardError.conflict("The database already has users; the demo set goes into an empty database.")
            }
            var userIDs: [String: Int64] = [:]
            let firstPost = posts.map(\.createdAt).min() ?? Date()
            for user in users {
                let created = firstPost.addingTimeInterval(-30 * 86_400)
                let inserted = try SQLiteStore.insertUser(db, Store.NewUser(email: user.email, passwordHash: user.passwordHash, firstName: user.firstName,
                                                                lastName: user.lastName, isActive: user.isActive, roles: user.roles), now: created)
                userIDs[user.email] = inserted.id
            }
            var postIDs: [String: Int64] = [:]
            for post in posts.sorted(by: { $0.createdAt < $1.createdAt }) {
                guard let author = userIDs[post.authorEmail] else {
                    throw StewardError.badInput(field: "posts.\(post.key).author", "names no demo user")
                }
                let time = Timestamp.string(post.createdAt)
                try db.execute(sql: """
                    INSERT INTO posts(author_id, title, title_key, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [author, post.title, post.titleKey, post.content, post.status.rawValue, time, time])
                let id = db.lastInsertedRowID
                try db.execute(sql: "INSERT INTO post_creations(author_id, created_at) VALUES (?, ?)", arguments: [author, time])
                try db.execute(sql: "INSERT INTO posts_fts(rowid, title, body) VALUES (?, ?, ?)", arguments: [id, post.title, post.visibleText])
                try SQLiteStore.setTags(db, postID: id, tags: post.tags)
                postIDs[post.key] = id
            }
            var commentIDs: [String: Int64] = [:]
            for comment in comments.sorted(by: { $0.createdAt < $1.createdAt }) {
                guard let author = userIDs[comment.authorEmail], let post = postIDs[comment.postKey] else {
                    throw StewardError.badInput(field: "comments.\(comment.key)", "names no demo user or post")
                }
                let parent = try comment.parentKey.map { key in
                    guard let id = commentIDs[key] else { throw StewardError.badInput(field: "comments.\(comment.key).parent", "names no earlier comment") }
                    return id
                }
                let time = Timestamp.string(comment.createdAt)
                try db.execute(sql: """
                    INSERT INTO comments(post_id, author_id, parent_id, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [post, author, parent, comment.content, comment.status.rawValue, time, time])
                let id = db.lastInsertedRowID
                try db.execute(sql: "INSERT INTO comments_fts(rowid, body) VALUES (?, ?)", arguments: [id, comment.visibleText])
                commentIDs[comment.key] = id
            }
            return Store.SeedReport(users: users.count, posts: posts.count, comments: comments.count)
        }
    }
}

/// A small, fast, deterministic PRNG: the same seed gives the same database.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below bound: UInt64) -> UInt64 { next() % bound }
}

/// Word lists for generated rows.
enum GeneratedText {
    static let firstNames = ["Ada", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia",
                             "Sophie", "Tim", "Hedy", "Alan", "Katherine", "Donald", "Annie", "John", "Joan", "Niklaus"]
    static let lastNames = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra",
                            "Perlman", "Wilson", "Berners-Lee", "Lamarr", "Turing", "Johnson", "Knuth", "Easley", "Backus", "Clarke", "Wirth"]
    static let tags = ["release", "incident", "howto", "database", "security", "frontend", "backend", "ops", "design", "testing",
                       "performance", "onboarding", "api", "console", "logging", "postmortem", "roadmap", "hiring", "docs", "tooling"]
    static let words = ["deploy", "cache", "query", "index", "latency", "review", "schema", "migration", "token", "session",
                        "throughput", "rollback", "feature", "budget", "incident", "customer", "metric", "alert", "dashboard",
                        "pipeline", "release", "branch", "merge", "service", "worker", "queue", "retry", "timeout", "replica",
                        "backup", "restore", "audit", "policy", "sprint", "planning", "roadmap", "design", "prototype", "benchmark",
                        "profile", "memory", "thread", "request", "response", "header", "cookie", "router", "handler", "storage",
                        "network", "the", "a", "our", "new", "faster", "quiet", "stable", "careful", "small", "clear", "shared"]

    static let capitalizedWords = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }

    /// Millions of these are made per seed: appends into one reserved string, no temporaries.
    static func sentence(_ rng: inout SplitMix64, words range: ClosedRange<Int>) -> String {
        let count = range.lowerBound + Int(rng.next(below: UInt64(range.count)))
        var text = ""
        text.reserveCapacity(count * 9)
        for index in 0..<count {
            let pick = Int(rng.next(below: UInt64(words.count)))
            if index == 0 {
                text.append(capitalizedWords[pick])
            } else {
                text.append(" ")
                text.append(words[pick])
            }
        }
        return text
    }
}

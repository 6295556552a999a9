import Foundation

/// The demo set in `data/demo/`: users, posts and threaded comments as JSON, loaded by
/// `steward seed --demo` and `steward console --demo`.
///
/// Content goes through the same cleaning as content written through the services, and
/// passwords through the same hashing, so the demo database is one users could have made.
public enum DemoSet {
    struct UserEntry: Decodable {
        var email: String
        var firstName: String
        var lastName: String
        var password: String
        var roles: [String]
        var isActive: Bool?
    }

    struct PostEntry: Decodable {
        var key: String
        var author: String
        var title: String
        var content: String
        var status: PostStatus
        var tags: [String]
        var createdAt: String
    }

    struct CommentEntry: Decodable {
        var key: String
        var post: String
        var author: String
        var parent: String?
        var content: String
        var status: CommentStatus
        var createdAt: String
    }

    /// Loads `folder/{users,posts,comments}.json` and inserts them into an empty database.
    static func seed(into context: ServiceContext, from folder: URL) async throws -> Store.SeedReport {
        func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
            let url = folder.appendingPathComponent(name)
            do {
                return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
            } catch {
                throw StewardError(.badInput, "cannot read the demo file \(url.path): \(error)")
            }
        }
        let users = try load("users.json", as: [UserEntry].self)
        let posts = try load("posts.json", as: [PostEntry].self)
        let comments = try load("comments.json", as: [CommentEntry].self)

        var demoUsers: [Store.DemoUser] = []
        for user in users {
            let hash = try await context.hash(user.password)
            demoUsers.append(Store.DemoUser(email: Email.normalize(user.email), passwordHash: hash, firstName: PlainText.clean(user.firstName),
                                            lastName: PlainText.clean(user.lastName), roles: user.roles, isActive: user.isActive ?? true))
        }
        func date(_ text: String, _ key: String) throws -> Date {
            guard let date = Timestamp.parse(text) else { throw StewardError.badInput(field: "\(key).createdAt", "is not an ISO 8601 time") }
            return date
        }
        let demoPosts = try posts.map { post in
            let cleaned = HTMLSanitizer.clean(post.content)
            return Store.DemoPost(key: post.key, authorEmail: Email.normalize(post.author), title: PlainText.clean(post.title), titleKey: PlainText.foldedKey(PlainText.clean(post.title)),
                                  content: cleaned.html, visibleText: cleaned.visibleText, status: post.status,
                                  tags: Tags.normalize(post.tags), createdAt: try date(post.createdAt, post.key))
        }
        let demoComments = try comments.map { comment in
            let cleaned = HTMLSanitizer.clean(comment.content)
            return Store.DemoComment(key: comment.key, postKey: comment.post, authorEmail: Email.normalize(comment.author), parentKey: comment.parent,
                                     content: cleaned.html, visibleText: cleaned.visibleText, status: comment.status,
                                     createdAt: try date(comment.createdAt, comment.key))
        }
        let store = context.store
        let hashedUsers = demoUsers
        return try await Offload.run { try store.seedDemo(users: hashedUsers, posts: demoPosts, comments: demoComments) }
    }
}

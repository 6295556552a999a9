import Foundation

/// The demo set: users, posts and threaded comments as JSON, loaded by `steward seed --demo`
/// and `steward console --demo`.
///
/// The JSON files are compiled into the binary (`Sources/StewardCore/Resources/demo/`,
/// linked as `data/demo/`, written by `data/demo/make_demo.py`), so the demo works from any
/// working folder and for an installed binary.
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

    /// The three files of a demo set, as the JSON bytes `make_demo.py` writes.
    struct Files: Sendable {
        var users: [UInt8]
        var posts: [UInt8]
        var comments: [UInt8]

        /// The demo set compiled into the binary.
        static let builtIn = Files(users: PackageResources.users_json, posts: PackageResources.posts_json,
                                   comments: PackageResources.comments_json)
    }

    /// Decodes `files` and inserts them into an empty database.
    static func seed(into context: ServiceContext, files: Files = .builtIn) async throws -> Store.SeedReport {
        func decode<T: Decodable>(_ bytes: [UInt8], name: String, as: T.Type) throws -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(bytes))
            } catch {
                throw StewardError(.badInput, "cannot read the demo file \(name): \(error)")
            }
        }
        let users = try decode(files.users, name: "users.json", as: [UserEntry].self)
        let posts = try decode(files.posts, name: "posts.json", as: [PostEntry].self)
        let comments = try decode(files.comments, name: "comments.json", as: [CommentEntry].self)

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

    /// Where `steward console --demo` keeps its database.
    ///
    /// In a checkout (the working folder has a `data/` folder) it is `data/demo.sqlite`, as
    /// it has always been. Anywhere else the binary must not litter the working folder, so
    /// it is `steward/demo.sqlite` in the per-user data folder of the XDG base directory
    /// spec: `$XDG_DATA_HOME` when that is an absolute path (the spec says to ignore a
    /// relative one), else `~/.local/share`.
    public static func databasePath(workingDirectory: String, environment: [String: String], homeDirectory: String) -> String {
        var isFolder: ObjCBool = false
        let checkoutData = (workingDirectory as NSString).appendingPathComponent("data")
        if FileManager.default.fileExists(atPath: checkoutData, isDirectory: &isFolder), isFolder.boolValue {
            return "data/demo.sqlite"
        }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? homeDirectory
            dataHome = (home as NSString).appendingPathComponent(".local/share")
        }
        return (dataHome as NSString).appendingPathComponent("steward/demo.sqlite")
    }
}

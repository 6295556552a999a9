import Foundation
import StewardCore

/// The last rows the tables fetched, by id, so a screen can open the selected row without
/// another query. Bounded: when it grows past ``limit`` it starts over (the table keeps
/// only a few pages anyway).
final class EntityCache<Value> {
    private(set) var values: [Int64: Value] = [:]
    let limit: Int

    init(limit: Int = 2_000) { self.limit = limit }

    func store(_ items: [Value], id: (Value) -> Int64) {
        if values.count + items.count > limit { values.removeAll(keepingCapacity: true) }
        for item in items { values[id(item)] = item }
    }

    subscript(id: Int64) -> Value? { values[id] }

    func update(_ value: Value, id: Int64) { values[id] = value }
}

/// Fetches `limit` rows through a keyset-paged service list, in pages of at most 100 (the
/// services' list limit), starting at `cursor`.
func fetchPages<Item: Sendable>(limit: Int, cursor: String?, page: @escaping @Sendable (Int, String?) async throws -> Page<Item>) throws -> [Item] {
    try BlockingCall.run {
        var items: [Item] = []
        var next = cursor
        repeat {
            let result = try await page(min(100, limit - items.count), next)
            items += result.items
            next = result.nextCursor
        } while next != nil && items.count < limit
        return items
    }
}

// MARK: - Posts

/// A post's place in the newest-first order: what the next page starts after.
public struct PostKey: Equatable, Hashable, Sendable {
    public var id: Int64
    public var createdAt: Date
}

/// The posts table over `PostService.list`: keyset pages by (created_at, id), newest
/// first; the Created column sorts oldest first too. Filters: status and full text.
struct PostsSource: TableDataSource {
    let services: Services
    let caller: Caller
    var status: PostStatus?
    var text: String?
    let cache: EntityCache<Post>

    static let columns = [
        TableColumn("ID", width: .fixed(7), alignment: .right),
        TableColumn("Status", width: .fixed(9)),
        TableColumn("Title", width: .fill(weight: 3, minimum: 20)),
        TableColumn("Author", width: .fill(weight: 1, minimum: 12)),
        TableColumn("Created", width: .fixed(16), isSortable: true),
    ]

    func rows(after key: PostKey?, limit: Int, sort: TableSort?) throws -> [TableRow<PostKey>] {
        try fetch(from: key, ascending: sort?.ascending == true, limit: limit)
    }

    func rows(before key: PostKey?, limit: Int, sort: TableSort?) throws -> [TableRow<PostKey>] {
        try fetch(from: key, ascending: sort?.ascending != true, limit: limit)
    }

    private func fetch(from key: PostKey?, ascending: Bool, limit: Int) throws -> [TableRow<PostKey>] {
        let services = services, actor = caller, status = status, text = text
        let posts = try fetchPages(limit: limit, cursor: key.map { Store.cursor(createdAt: $0.createdAt, id: $0.id) }) { size, cursor in
            try await services.posts.list(actor, PostService.ListRequest(status: status, text: text, limit: size, cursor: cursor, ascending: ascending))
        }
        cache.store(posts, id: \.id)
        return posts.map(PostsSource.row)
    }

    static func row(_ post: Post) -> TableRow<PostKey> {
        TableRow(key: PostKey(id: post.id, createdAt: post.createdAt), cells: [
            TableCell(String(post.id)),
            TableCell(post.status.rawValue, role: ThemeRole(status: post.status.rawValue)),
            TableCell(TerminalSafe.line(post.title)),
            TableCell(TerminalSafe.line(post.author.name)),
            TableCell(ConsoleTime.short(post.createdAt)),
        ])
    }
}

// MARK: - Users

/// The users table over `UserService.list`: keyset pages by id; `s` on ID reverses.
struct UsersSource: TableDataSource {
    let services: Services
    let caller: Caller
    var text: String?
    let cache: EntityCache<User>

    static let columns = [
        TableColumn("ID", width: .fixed(6), alignment: .right, isSortable: true),
        TableColumn("Email", width: .fill(weight: 2, minimum: 18)),
        TableColumn("Name", width: .fill(weight: 2, minimum: 14)),
        TableColumn("Roles", width: .fill(weight: 1, minimum: 10)),
        TableColumn("Active", width: .fixed(6)),
        TableColumn("Created", width: .fixed(16)),
    ]

    func rows(after key: Int64?, limit: Int, sort: TableSort?) throws -> [TableRow<Int64>] {
        try fetch(from: key, descending: sort?.ascending == false, limit: limit)
    }

    func rows(before key: Int64?, limit: Int, sort: TableSort?) throws -> [TableRow<Int64>] {
        try fetch(from: key, descending: sort?.ascending != false, limit: limit)
    }

    private func fetch(from key: Int64?, descending: Bool, limit: Int) throws -> [TableRow<Int64>] {
        let services = services, actor = caller, text = text
        let users = try fetchPages(limit: limit, cursor: key.map { Store.cursor(afterID: $0) }) { size, cursor in
            try await services.users.list(actor, UserService.ListRequest(text: text, limit: size, cursor: cursor, descending: descending))
        }
        cache.store(users, id: \.id)
        return users.map(UsersSource.row)
    }

    static func row(_ user: User) -> TableRow<Int64> {
        TableRow(key: user.id, cells: [
            TableCell(String(user.id)),
            TableCell(TerminalSafe.line(user.email)),
            TableCell(TerminalSafe.line(user.displayName)),
            TableCell(user.roles.joined(separator: ",")),
            TableCell(user.isActive ? "yes" : "no", role: user.isActive ? nil : .warning),
            TableCell(ConsoleTime.short(user.createdAt)),
        ], role: user.isActive ? nil : .muted)
    }
}

// MARK: - Comments

/// The moderation queue over `CommentService.moderationQueue`: every comment, newest
/// first, keyset by id; filters: status and full text.
struct CommentsSource: TableDataSource {
    let services: Services
    let caller: Caller
    var status: CommentStatus?
    var text: String?
    let cache: EntityCache<Comment>

    static let columns = [
        TableColumn("ID", width: .fixed(7), alignment: .right, isSortable: true),
        TableColumn("Post", width: .fixed(7), alignment: .right),
        TableColumn("Status", width: .fixed(8)),
        TableColumn("Comment", width: .fill(weight: 3, minimum: 20)),
        TableColumn("Author", width: .fill(weight: 1, minimum: 12)),
        TableColumn("Created", width: .fixed(16)),
    ]

    func rows(after key: Int64?, limit: Int, sort: TableSort?) throws -> [TableRow<Int64>] {
        try fetch(from: key, oldestFirst: sort?.ascending == true, limit: limit)
    }

    func rows(before key: Int64?, limit: Int, sort: TableSort?) throws -> [TableRow<Int64>] {
        try fetch(from: key, oldestFirst: sort?.ascending != true, limit: limit)
    }

    private func fetch(from key: Int64?, oldestFirst: Bool, limit: Int) throws -> [TableRow<Int64>] {
        let services = services, actor = caller, status = status, text = text
        let comments = try fetchPages(limit: limit, cursor: key.map { Store.cursor(afterID: $0) }) { size, cursor in
            try await services.comments.moderationQueue(actor, status: status, text: text, limit: size, cursor: cursor, oldestFirst: oldestFirst)
        }
        cache.store(comments, id: \.id)
        return comments.map { CommentsSource.row($0, depth: nil) }
    }

    /// A comment as a table row; in a thread, `depth` indents the text under its parent.
    static func row(_ comment: Comment, depth: Int?) -> TableRow<Int64> {
        let summary = TerminalSafe.line(ReadableText.summary(html: comment.content))
        let text = depth.map { String(repeating: "  ", count: $0) + ($0 > 0 ? "↳ " : "") + summary } ?? summary
        return TableRow(key: comment.id, cells: [
            TableCell(String(comment.id)),
            TableCell(String(comment.postID)),
            TableCell(comment.status.rawValue, role: ThemeRole(status: comment.status.rawValue)),
            TableCell(text),
            TableCell(TerminalSafe.line(comment.author.name)),
            TableCell(ConsoleTime.short(comment.createdAt)),
        ], role: comment.status == .hidden ? .muted : nil)
    }
}

import Foundation
import StewardCore

/// Tab 3: every post the account may read, newest first, paged by key (fast on a million
/// posts). `/` searches titles and content (full text), `f` filters by status; Enter reads
/// a post as text; `p`, `a`, `d` and `x` publish, archive, return to draft and delete
/// (after a confirmation); `c` opens the post's comment thread.
public final class PostsScreen: ConsoleScreen {
    enum Message: ScreenMessage {
        case table(BrowseTable<PostListing>.Message)
        /// An action went through; `text` says what it did.
        case changed(String)
        case deleted(String)
        /// The post shown in full, read again after an action.
        case reloaded(Post)
        /// A post named by id on the command line (`:open 47`), read to be shown in full.
        case opened(Post)
        /// A post named by id for `:delete 57`, read so the question names its title (and
        /// an unknown id is refused before anything is asked).
        case confirmDelete(Post)
        case failed(StewardError)
    }

    let environment: ConsoleEnvironment
    private(set) var browse: BrowseTable<PostListing>

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        browse = BrowseTable(PostListing(services: environment.services, caller: environment.caller))
    }

    public var title: String { "Posts" }
    public var capturesInput: Bool { browse.capturesInput }
    var rememberedFilter: TabFilterState? { browse.rememberedFilter }
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message> { browse.restore(filter).map(Message.table) }

    /// The selected post (from the rows the table fetched).
    public var selectedPost: Post? { browse.selectedItem }
    public var isShowingDetail: Bool { browse.isShowingDetail }
    var textFilter: String? { browse.filter.text }

    public var keyHints: KeyHintList {
        var hints = browse.keyHints
        if environment.can(.postsPublish) {
            hints.append(KeyHint(key: "p", action: "publish", section: "Posts", isProminent: true))
            hints.append(KeyHint(key: "d", action: "back to draft", section: "Posts"))
        }
        if environment.can(.postsArchive) { hints.append(KeyHint(key: "a", action: "archive", section: "Posts", isProminent: true)) }
        if environment.can(.postsDelete) || environment.can(.postsDeleteOwn) {
            hints.append(KeyHint(key: "x", action: "delete (asks first)", section: "Posts"))
        }
        hints.append(KeyHint(key: "c", action: "open comments", section: "Posts"))
        var commands = [":open", ":comments"]
        if environment.can(.postsPublish) { commands += [":publish", ":draft"] }
        if environment.can(.postsArchive) { commands.append(":archive") }
        if environment.can(.postsDelete) || environment.can(.postsDeleteOwn) { commands.append(":delete") }
        hints.append(KeyHint(key: commands.joined(separator: " ") + " [ID]", action: "act on post ID, or the selected post", section: "Commands"))
        return KeyHintList(hints)
    }

    public var commandNames: [String] {
        var names = ["open", "comments", "filter", "search"]
        if environment.can(.postsPublish) { names += ["publish", "draft", "unpublish"] }
        if environment.can(.postsArchive) { names.append("archive") }
        if environment.can(.postsDelete) || environment.can(.postsDeleteOwn) { names.append("delete") }
        return names
    }

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            return browse.layout(area).map(Message.table)
        case .activated:
            return browse.refresh().map(Message.table)
        case .tick:
            return .none
        case .command(let input):
            return command(input)
        case .input(let input):
            // `h` is also "back" in a post (it is `hide` on the Comments tab).
            if browse.isShowingDetail && input == .char("h") {
                browse.closeDetail()
                return .redraw
            }
            if let effect = browse.handle(input) { return effect.map(Message.table) }
            return handle(input)
        }
    }

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        switch event {
        case .char("p"): return act("publish")
        case .char("a"): return act("archive")
        case .char("d"): return act("draft")
        case .char("x"), .delete:
            return environment.refusal(lacking: .postsDelete, or: .postsDeleteOwn).map { .error($0) } ?? act("delete")
        case .char("c"): return act("comments")
        default: return .none
        }
    }

    private func command(_ input: CommandLineInput) -> ScreenEffect<Message> {
        switch input.name {
        case "open", "publish", "archive", "draft", "unpublish", "delete", "comments":
            switch input.optionalID(of: "post") {
            case .failure(let error):
                return .error(error.message)
            case .success(let id):
                return act(input.name == "unpublish" ? "draft" : input.name, id: id)
            }
        default:
            return browse.command(input)?.map(Message.table) ?? .unhandled
        }
    }

    /// Runs a post action on post `typed` when the command line named one, else on the
    /// post shown in full, else on the selected one.
    private func act(_ action: String, id typed: Int64? = nil) -> ScreenEffect<Message> {
        guard let id = typed ?? browse.actionKey?.id else { return .error("No post selected: select one, or name it (:\(action) ID)") }
        let services = environment.services, actor = environment.caller
        switch action {
        case "open":
            guard typed != nil else { return browse.openSelected().map(Message.table) }
            return .perform(ScreenWork(label: "Reading post \(id)…", naming: "post", id: id) { .opened(try await services.posts.get(actor, id: id)) })
        case "publish":
            return .perform(ScreenWork(label: "Publishing post \(id)…", naming: "post", id: id) {
                _ = try await services.posts.publish(actor, id: id)
                return .changed("Published post \(id)")
            })
        case "archive":
            return .perform(ScreenWork(label: "Archiving post \(id)…", naming: "post", id: id) {
                _ = try await services.posts.archive(actor, id: id)
                return .changed("Archived post \(id)")
            })
        case "draft":
            return .perform(ScreenWork(label: "Returning post \(id) to draft…") {
                _ = try await services.posts.unpublish(actor, id: id)
                return .changed("Post \(id) is a draft again")
            })
        case "delete":
            // A typed id may be a post this tab never listed: read it, so the question
            // names what it deletes, and an unknown id is said before anything is asked.
            guard typed == nil, let post = browse.actionKey.flatMap(browse.item) else {
                return .perform(ScreenWork(label: "Reading post \(id)…", naming: "post", id: id) { .confirmDelete(try await services.posts.get(actor, id: id)) })
            }
            return confirmDelete(post)
        case "comments":
            return .switchTab(3, then: .command(CommandLineInput("thread \(id)")))
        default:
            return .unhandled
        }
    }

    /// The question `x` and `:delete` ask before deleting `post`.
    private func confirmDelete(_ post: Post) -> ScreenEffect<Message> {
        let id = post.id, services = environment.services, actor = environment.caller
        let dialog = ConfirmDialog(title: "Delete post", message: "Delete post \(id) “\(TerminalSafe.line(post.title))” and its comments? This cannot be undone.",
                                   confirmLabel: "Delete", cancelLabel: "Keep", isDestructive: true)
        return .confirm(dialog, then: ScreenWork(label: "Deleting post \(id)…", naming: "post", id: id) {
            try await services.posts.delete(actor, id: id)
            return .deleted("Deleted post \(id)")
        })
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .opened(let post):
            browse.remember([post])
            browse.showDetail(post)
            return .redraw
        case .confirmDelete(let post):
            return confirmDelete(post)
        case .table(let page):
            return browse.receive(page).map(Message.table)
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        case .reloaded(let post):
            guard browse.detail?.key.id == post.id else { return .none }
            browse.remember([post])
            browse.showDetail(post)
            return .redraw
        case .deleted(let text):
            browse.closeDetail()
            return .batch([.status(text), browse.refresh().map(Message.table)])
        case .changed(let text):
            let refresh = browse.refresh().map(Message.table)
            guard let id = browse.detail?.key.id else { return .batch([.status(text), refresh]) }
            let services = environment.services, actor = environment.caller
            return .batch([.status(text), refresh, .perform(ScreenWork { .reloaded(try await services.posts.get(actor, id: id)) })])
        }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        browse.render(into: &buffer, area: area, theme: theme)
    }
}

/// A post's place in the newest-first order: what the next page starts after.
public struct PostKey: Equatable, Hashable, Sendable {
    public var id: Int64
    public var createdAt: Date
}

/// The posts as the Posts tab lists them: `PostService.list`, keyset pages by
/// (created_at, id), newest first; the Created column sorts oldest first too. Filters:
/// status and full text.
struct PostListing: BrowseListing {
    let services: Services
    let caller: Caller

    var title: String { "Posts" }
    var noun: String { "posts" }
    var searchHint: String { "full-text search" }
    var columns: [TableColumn] { Self.columns }

    static let columns = [
        TableColumn("ID", width: .fixed(7), alignment: .right),
        TableColumn("Status", width: .fixed(9)),
        TableColumn("Title", width: .fill(weight: 3, minimum: 20)),
        TableColumn("Author", width: .fill(weight: 1, minimum: 12)),
        TableColumn("Created", width: .fixed(16), isSortable: true),
    ]

    func key(of post: Post) -> PostKey { PostKey(id: post.id, createdAt: post.createdAt) }
    func row(_ post: Post) -> TableRow<PostKey> { Self.row(post) }
    func cursor(after key: PostKey) -> String { Store.cursor(createdAt: key.createdAt, id: key.id) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != true }

    func list(_ filter: BrowseFilter<PostStatus>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<Post> {
        try await services.posts.list(caller, PostService.ListRequest(status: filter.status, text: filter.text, limit: limit, cursor: cursor, ascending: reversed))
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

    func summary(_ filter: BrowseFilter<PostStatus>, sort: TableSort?) -> String {
        var parts: [String] = [filter.status.map { "status: \($0.rawValue)" } ?? "all statuses"]
        if let text = filter.text { parts.append("search: \(text)") }
        if let sort { parts.append("sorted by \(columns[sort.column].title.lowercased()) \(sort.ascending ? "oldest first" : "newest first")") }
        return parts.joined(separator: " · ")
    }

    func detail(_ post: Post, highlight: String?) -> DetailView {
        DetailView(title: "Post \(post.id)", fields: [
            DetailField("Title", TerminalSafe.line(post.title)),
            DetailField("Status", post.status.rawValue, role: ThemeRole(status: post.status.rawValue)),
            DetailField("Author", TerminalSafe.line(post.author.name)),
            DetailField("Tags", post.tags.isEmpty ? "—" : post.tags.joined(separator: ", ")),
            DetailField("Created", ConsoleTime.short(post.createdAt)),
            DetailField("Updated", ConsoleTime.short(post.updatedAt)),
        ], body: TerminalSafe.text(ReadableText.from(html: post.content)), highlight: highlight)
    }
}

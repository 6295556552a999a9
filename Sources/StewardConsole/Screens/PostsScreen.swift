import Foundation
import StewardCore

/// Tab 3: every post the account may read, newest first, paged by key (fast on a million
/// posts), or one author's (drill-down from a user). `/` searches titles and content (full
/// text), `f` filters by status; Enter reads a post as text, with its comment thread under
/// it; `p`, `a`, `d` and `x` publish, archive, return to draft and delete (after a
/// confirmation), on the marked posts when Space marked some; `c` opens the post's thread
/// on the Comments tab.
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
        /// The first comments of the post shown in full, in thread order.
        case threadLoaded(postID: Int64, [Comment], more: Bool)
        /// A bulk action went through on some of the marked posts; `failures` says why the
        /// others did not.
        case bulkDone(String, failures: [String])
        case failed(StewardError)
    }

    /// How many comments the post's detail shows under it; the Comments tab (`c`) has the
    /// whole thread.
    static let threadPreviewLimit = 50

    let environment: ConsoleEnvironment
    private(set) var browse: BrowseTable<PostListing>
    /// The comments under the post shown in full (nil while they load).
    private var shownThread: (postID: Int64, comments: [Comment], more: Bool)?

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        browse = BrowseTable(PostListing(services: environment.services, caller: environment.caller))
        browse.allowsMarking = environment.can(.postsPublish) || environment.can(.postsArchive) || environment.can(.postsDelete)
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
        hints.append(KeyHint(key: "c", action: "the comment thread (Comments tab)", section: "Posts"))
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
        case .show(let location):
            return show(location)
        case .input(let input):
            // `h` is also "back" in a post (it is `hide` on the Comments tab).
            if browse.isShowingDetail && input == .char("h") {
                browse.closeDetail()
                return .redraw
            }
            // Enter opens the post and asks for its thread.
            if input == .enter && !browse.isShowingDetail && !browse.capturesInput {
                guard let post = selectedPost else { return .none }
                return open(post)
            }
            if let effect = browse.handle(input) { return effect.map(Message.table) }
            return handle(input)
        }
    }

    // MARK: Drill-down

    public func canShow(_ location: ConsoleLocation) -> Bool {
        switch location {
        case .post, .posts: true
        default: false
        }
    }

    public var location: ConsoleLocation? {
        if let key = browse.detail?.key { return .post(key.id) }
        if let user = browse.filter.user { return .posts(authorID: user.id, name: user.name) }
        return nil
    }

    public var relatedPlaces: [RelatedPlace] {
        guard let key = browse.actionKey else { return [] }
        var places: [RelatedPlace] = []
        if let post = browse.item(key), environment.can(.usersRead) {
            places.append(RelatedPlace("a", "author \(TerminalSafe.line(post.author.name))", .user(post.author.id)))
        }
        places.append(RelatedPlace("t", "the comment thread of post \(key.id)", .thread(postID: key.id)))
        return places
    }

    private func show(_ location: ConsoleLocation?) -> ScreenEffect<Message> {
        switch location {
        case .post(let id):
            // Read afresh, as every place is: it may have changed (or gone) meanwhile.
            let services = environment.services, actor = environment.caller
            return .perform(ScreenWork(label: "Reading post \(id)…", naming: "post", id: id) { .opened(try await services.posts.get(actor, id: id)) })
        case .posts(let authorID, let name):
            return browse.showOnly(UserScope(id: authorID, name: name)).map(Message.table)
        case nil:
            return browse.dropUserScope().map(Message.table)
        default:
            return .none
        }
    }

    /// Shows `post` in full at once, and its comments when they arrive.
    private func open(_ post: Post) -> ScreenEffect<Message> {
        browse.remember([post])
        if shownThread?.postID != post.id { shownThread = nil }
        showDetail(post)
        let services = environment.services, actor = environment.caller, id = post.id
        let includeHidden = environment.can(.commentsHide), limit = Self.threadPreviewLimit
        return .perform(ScreenWork {
            let page = try await services.comments.thread(actor, postID: id, includeHidden: includeHidden, limit: limit)
            return .threadLoaded(postID: id, page.items, more: page.nextCursor != nil)
        })
    }

    /// Draws the detail of `post` with the thread known for it.
    private func showDetail(_ post: Post) {
        let thread = shownThread?.postID == post.id ? shownThread.map { ($0.comments, $0.more) } : nil
        browse.show(browse.listing.detail(post, highlight: browse.filter.text, thread: thread), for: PostListing.key(of: post))
    }

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        let action: String
        switch event {
        case .char("p"): action = "publish"
        case .char("a"): action = "archive"
        case .char("d"): action = "draft"
        case .char("x"), .delete:
            if let refusal = environment.refusal(lacking: .postsDelete, or: .postsDeleteOwn) { return .error(refusal) }
            action = "delete"
        case .char("c"): return act("comments")
        default: return .none
        }
        if !browse.marked.isEmpty && !browse.isShowingDetail { return actOnMarked(action) }
        return act(action)
    }

    /// One confirmed action on every marked post: the spam wave archived in one go. Each
    /// post goes through the service on its own (so each is checked and audited), one
    /// after the other; what fails is counted and said, and does not stop the rest.
    private func actOnMarked(_ action: String) -> ScreenEffect<Message> {
        let ids = browse.marked.map(\.id)
        let services = environment.services, actor = environment.caller
        let verb: (title: String, done: String)
        switch action {
        case "publish": verb = ("Publish", "Published")
        case "archive": verb = ("Archive", "Archived")
        case "draft": verb = ("Return to draft", "Returned to draft")
        default: verb = ("Delete", "Deleted")
        }
        let count = ids.count == 1 ? "1 marked post" : "\(ids.count) marked posts"
        let message = action == "delete" ? "Delete the \(count) and their comments? This cannot be undone." : "\(verb.title) the \(count)?"
        let dialog = ConfirmDialog(title: "\(verb.title) \(count)", message: message, confirmLabel: verb.title, cancelLabel: "Cancel",
                                   isDestructive: action == "delete")
        return .confirm(dialog, then: ScreenWork(label: "\(verb.title): \(count)…") {
            let outcome = try await BulkOutcome.run(ids, noun: "post") { id in
                switch action {
                case "publish": _ = try await services.posts.publish(actor, id: id)
                case "archive": _ = try await services.posts.archive(actor, id: id)
                case "draft": _ = try await services.posts.unpublish(actor, id: id)
                default: try await services.posts.delete(actor, id: id)
                }
            }
            return .bulkDone("\(verb.done) \(outcome.done) of \(ids.count) posts", failures: outcome.failures)
        })
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
            guard typed != nil else { return selectedPost.map(open) ?? .none }
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
            return .navigate(.thread(postID: id))
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
            return open(post)
        case .threadLoaded(let postID, let comments, let more):
            guard let key = browse.detail?.key, key.id == postID, let post = browse.item(key) else { return .none }
            shownThread = (postID, comments, more)
            showDetail(post)
            return .redraw
        case .bulkDone(let text, let failures):
            browse.clearMarks()
            return .batch([BulkOutcome.report(text, failures: failures), browse.refresh().map(Message.table)])
        case .confirmDelete(let post):
            return confirmDelete(post)
        case .table(let page):
            return browse.receive(page).map(Message.table)
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        case .reloaded(let post):
            guard browse.detail?.key.id == post.id else { return .none }
            browse.remember([post])
            showDetail(post)
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

    func key(of post: Post) -> PostKey { Self.key(of: post) }
    static func key(of post: Post) -> PostKey { PostKey(id: post.id, createdAt: post.createdAt) }
    func row(_ post: Post) -> TableRow<PostKey> { Self.row(post) }
    func cursor(after key: PostKey) -> String { Store.cursor(createdAt: key.createdAt, id: key.id) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != true }

    func list(_ filter: BrowseFilter<PostStatus>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<Post> {
        try await services.posts.list(caller, PostService.ListRequest(status: filter.status, authorID: filter.user?.id, text: filter.text,
                                                                      limit: limit, cursor: cursor, ascending: reversed))
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
        detail(post, highlight: highlight, thread: nil)
    }

    /// The post in full with the first comments of its thread under the text (nil while
    /// they load); `more` says the thread goes on past them.
    func detail(_ post: Post, highlight: String?, thread: (comments: [Comment], more: Bool)?) -> DetailView {
        var body = ReadableText.from(html: post.content)
        body += "\n\n"
        if let thread {
            let count = thread.more ? "first \(thread.comments.count)" : String(thread.comments.count)
            body += "Comments (\(count))" + (thread.comments.isEmpty ? "\n\nnone" : "\n")
            for (comment, depth) in CommentsScreen.threadOrder(thread.comments, id: \.id, parent: \.parentID) {
                let indent = String(repeating: "    ", count: depth)
                let hidden = comment.status == .hidden ? " · hidden" : ""
                body += "\n\(indent)#\(comment.id) \(comment.author.name) · \(ConsoleTime.short(comment.createdAt))\(hidden)\n"
                body += indent + ReadableText.summary(html: comment.content) + "\n"
            }
            if thread.more { body += "\n… the whole thread: c" }
        } else {
            body += "Loading comments…"
        }
        return DetailView(title: "Post \(post.id)", fields: [
            DetailField("Title", TerminalSafe.line(post.title)),
            DetailField("Status", post.status.rawValue, role: ThemeRole(status: post.status.rawValue)),
            DetailField("Author", TerminalSafe.line(post.author.name)),
            DetailField("Tags", post.tags.isEmpty ? "—" : post.tags.joined(separator: ", ")),
            DetailField("Created", ConsoleTime.short(post.createdAt)),
            DetailField("Updated", ConsoleTime.short(post.updatedAt)),
        ], body: TerminalSafe.text(body), highlight: highlight)
    }
}

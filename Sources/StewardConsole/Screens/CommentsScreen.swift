import Foundation
import StewardCore

/// Tab 4: the moderation queue (every comment, newest first, paged by key; `/` searches
/// the text, `f` filters by status; one author's comments after drill-down from a user)
/// and, from a post (`c` on the Posts tab, `t` here, or `:thread ID`), that post's thread
/// with replies indented under their parents. `h` hides or shows a comment again, `x`
/// deletes it with its replies (after a confirmation); with rows marked (Space), `h` hides
/// and `x` deletes every marked comment after one confirmation: a spam wave in one go.
public final class CommentsScreen: ConsoleScreen {
    enum Message: ScreenMessage {
        case table(BrowseTable<CommentListing>.Message)
        case threadLoaded(CommentThread)
        /// An action went through; `text` says what it did.
        case changed(String)
        case deleted(String)
        /// The comment shown in full, read again after an action.
        case reloaded(Comment)
        /// A comment named by id on the command line (`:open 12`), read to be shown in full.
        case opened(Comment)
        /// A comment named by id for `:delete 57`, read so an unknown id is refused before
        /// anything is asked.
        case confirmDelete(Comment)
        /// A bulk action went through on some of the marked comments; `failures` says why
        /// the others did not.
        case bulkDone(String, failures: [String])
        case failed(StewardError)
    }

    /// One post's comments, as `t`, `c` on the Posts tab and `:thread` load them.
    struct CommentThread: Sendable {
        var postID: Int64
        var title: String
        var comments: [Comment]
    }

    let environment: ConsoleEnvironment
    /// The moderation queue; it also holds the comment shown in full, from the queue or
    /// from the thread.
    private(set) var browse: BrowseTable<CommentListing>
    /// The open thread: its post and its table (in memory: one post's comments).
    private(set) var thread: (postID: Int64, title: String, table: Table<InMemoryTableSource<Int64>>)?
    private var area = Rect(width: 80, height: 22)

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        browse = BrowseTable(CommentListing(services: environment.services, caller: environment.caller))
        browse.allowsMarking = environment.can(.commentsHide)
    }

    public var title: String { "Comments" }
    public var capturesInput: Bool { browse.capturesInput }
    var rememberedFilter: TabFilterState? { browse.rememberedFilter }
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message> { browse.restore(filter).map(Message.table) }
    private var canModerate: Bool { environment.can(.commentsHide) }
    public var isShowingThread: Bool { thread != nil }
    public var isShowingDetail: Bool { browse.isShowingDetail }

    public var selectedID: Int64? { thread?.table.selectedKey ?? (canModerate ? browse.selectedKey : nil) }
    public var selectedComment: Comment? { selectedID.flatMap { browse.item($0) } }
    /// The comment shown in full, if one is.
    public var shownComment: Comment? { browse.detail.flatMap { browse.item($0.key) } }

    public var keyHints: KeyHintList {
        var hints = browse.keyHints
        hints.append(KeyHint(key: "t", action: "open the thread", section: "Comments"))
        var commands = [":open"]
        if canModerate {
            hints.append(KeyHint(key: "h", action: "hide / show", section: "Comments", isProminent: true))
            commands += [":hide", ":unhide"]
        }
        if environment.can(.commentsDelete) || environment.can(.commentsDeleteOwn) {
            hints.append(KeyHint(key: "x", action: "delete (asks first)", section: "Comments", isProminent: true, bar: "delete"))
            commands.append(":delete")
        }
        hints.append(KeyHint(key: ":thread [POST-ID]", action: "open post POST-ID's thread, or the selected comment's", section: "Commands"))
        hints.append(KeyHint(key: commands.joined(separator: " ") + " [ID]", action: "act on comment ID, or the selected comment", section: "Commands"))
        return KeyHintList(hints)
    }

    public var commandNames: [String] {
        var names = ["thread", "open", "filter", "search"]
        if canModerate { names += ["hide", "unhide", "show"] }
        if environment.can(.commentsDelete) || environment.can(.commentsDeleteOwn) { names.append("delete") }
        return names
    }

    private var tableArea: Rect { area.inset(top: 1) }

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            self.area = area
            thread?.table.fit(to: tableArea)
            guard canModerate else { return .redraw }
            return browse.layout(area).map(Message.table)
        case .activated:
            guard canModerate else { return .redraw }
            return browse.refresh().map(Message.table)
        case .tick:
            return .none
        case .command(let input):
            return command(input)
        case .show(let location):
            return show(location)
        case .input(let input):
            return handle(input)
        }
    }

    // MARK: Drill-down

    public func canShow(_ location: ConsoleLocation) -> Bool {
        switch location {
        case .comment, .thread: true
        // One author's comments are a filter of the moderation queue.
        case .comments: canModerate
        default: false
        }
    }

    public var location: ConsoleLocation? {
        if let id = browse.detail?.key { return .comment(id) }
        if let thread { return .thread(postID: thread.postID) }
        if let user = browse.filter.user { return .comments(authorID: user.id, name: user.name) }
        return nil
    }

    public var relatedPlaces: [RelatedPlace] {
        guard let id = browse.detail?.key ?? selectedID, let comment = browse.item(id) else { return [] }
        var places = [RelatedPlace("p", "post \(comment.postID)", .post(comment.postID))]
        if environment.can(.usersRead) {
            places.append(RelatedPlace("a", "author \(TerminalSafe.line(comment.author.name))", .user(comment.author.id)))
        }
        if thread?.postID != comment.postID || browse.isShowingDetail {
            places.append(RelatedPlace("t", "the thread of post \(comment.postID)", .thread(postID: comment.postID)))
        }
        return places
    }

    private func show(_ location: ConsoleLocation?) -> ScreenEffect<Message> {
        switch location {
        case .comment(let id):
            // Read afresh, as every place is: it may have changed (or gone) meanwhile.
            let services = environment.services, actor = environment.caller
            return .perform(ScreenWork(label: "Reading comment \(id)…", naming: "comment", id: id) { .opened(try await services.comments.get(actor, id: id)) })
        case .thread(let postID):
            browse.closeDetail()
            return openThread(postID: postID)
        case .comments(let authorID, let name):
            thread = nil
            return browse.showOnly(UserScope(id: authorID, name: name)).map(Message.table)
        case nil:
            thread = nil
            return browse.dropUserScope().map(Message.table)
        default:
            return .none
        }
    }

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        // The filter line and the detail are the browse table's, over the queue or the
        // thread alike; the queue's own keys only while no thread is open.
        if thread == nil && canModerate || browse.capturesInput || browse.isShowingDetail {
            if let effect = browse.handle(event) { return effect.map(Message.table) }
        }
        let bulk = !browse.marked.isEmpty && thread == nil && !browse.isShowingDetail
        switch event {
        case .char("h"):
            if let refusal = environment.refusal(lacking: .commentsHide) { return .error(refusal) }
            return bulk ? actOnMarked("hide") : act("toggle-hidden")
        case .char("x"), .delete:
            if let refusal = environment.refusal(lacking: .commentsDelete, or: .commentsDeleteOwn) { return .error(refusal) }
            return bulk ? actOnMarked("delete") : act("delete")
        case .char("t"):
            guard let comment = selectedComment else { return .none }
            return openThread(postID: comment.postID)
        default:
            guard !browse.isShowingDetail, var open = thread else { return .none }
            return handleThread(event, &open)
        }
    }

    /// The keys of the open thread: Enter opens a comment, Esc leaves, the rest moves.
    private func handleThread(_ event: InputEvent, _ open: inout (postID: Int64, title: String, table: Table<InMemoryTableSource<Int64>>)) -> ScreenEffect<Message> {
        switch event {
        case .enter:
            guard let comment = selectedComment else { return .none }
            browse.showDetail(comment)
            return .redraw
        case .escape:
            thread = nil
            return .redraw
        case .char("/"):
            return .status("Esc leaves the thread; search works on the queue", role: .muted)
        case .char("n"), .char("N"):
            open.table.moveSelection(by: event == .char("n") ? 1 : -1)
        default:
            guard open.table.handle(event, area: tableArea) else { return .none }
        }
        thread = open
        return .redraw
    }

    private func openThread(postID: Int64) -> ScreenEffect<Message> {
        let services = environment.services, actor = environment.caller
        return .perform(ScreenWork(label: "Loading the thread of post \(postID)…", naming: "post", id: postID) {
            let post = try await services.posts.get(actor, id: postID)
            var comments: [Comment] = []
            var cursor: String?
            repeat {
                let page = try await services.comments.thread(actor, postID: postID, includeHidden: true, limit: 100, cursor: cursor)
                comments += page.items
                cursor = page.nextCursor
            } while cursor != nil && comments.count < 5_000
            return .threadLoaded(CommentThread(postID: postID, title: post.title, comments: comments))
        })
    }

    /// Orders a post's comments as a thread: each reply right after its parent (and the
    /// parent's earlier replies), depth by nesting. A reply whose parent is missing starts
    /// a thread of its own.
    static func threadOrder<Item>(_ items: [Item], id: (Item) -> Int64, parent: (Item) -> Int64?) -> [(item: Item, depth: Int)] {
        let ids = Set(items.map(id))
        var children: [Int64?: [Item]] = [:]
        for item in items {
            let parentID = parent(item).flatMap { ids.contains($0) ? $0 : nil }
            children[parentID, default: []].append(item)
        }
        var rows: [(Item, Int)] = []
        // Iterative depth-first walk: a deep reply chain cannot overflow the stack.
        var stack: [(Item, Int)] = (children[nil] ?? []).sorted { id($0) > id($1) }.map { ($0, 0) }
        while let (item, depth) = stack.popLast() {
            rows.append((item, depth))
            stack += (children[id(item)] ?? []).sorted { id($0) > id($1) }.map { ($0, depth + 1) }
        }
        return rows
    }

    private func command(_ input: CommandLineInput) -> ScreenEffect<Message> {
        switch input.name {
        case "thread":
            switch input.optionalID(of: "post") {
            case .failure(let error):
                return .error(error.message)
            case .success(let typed):
                guard let id = typed ?? selectedComment?.postID else { return .error("No comment selected: name the post (:thread POST-ID)") }
                return openThread(postID: id)
            }
        case "open", "hide", "unhide", "show", "delete":
            switch input.optionalID(of: "comment") {
            case .failure(let error):
                return .error(error.message)
            case .success(let typed):
                return act(input.name == "show" ? "unhide" : input.name, id: typed)
            }
        case "filter", "search":
            return browse.command(input)?.map(Message.table) ?? .unhandled
        default:
            return .unhandled
        }
    }

    /// Runs a comment action on comment `typed` when the command line named one, else on
    /// the comment shown in full, else on the selected one.
    private func act(_ action: String, id typed: Int64? = nil) -> ScreenEffect<Message> {
        guard let id = typed ?? browse.detail?.key ?? selectedID else { return .error("No comment selected: select one, or name it (:\(action) ID)") }
        let services = environment.services, actor = environment.caller
        switch action {
        case "open":
            if typed == nil, let comment = browse.item(id) {
                browse.showDetail(comment)
                return .redraw
            }
            return .perform(ScreenWork(label: "Reading comment \(id)…", naming: "comment", id: id) { .opened(try await services.comments.get(actor, id: id)) })
        case "toggle-hidden":
            return act(browse.item(id)?.status == .hidden ? "unhide" : "hide")
        case "hide", "unhide":
            let hide = action == "hide"
            return .perform(ScreenWork(label: hide ? "Hiding comment \(id)…" : "Showing comment \(id)…", naming: "comment", id: id) {
                _ = try await services.comments.setHidden(actor, id: id, hidden: hide)
                return .changed(hide ? "Hid comment \(id)" : "Comment \(id) is visible again")
            })
        case "delete":
            // A typed id may be a comment this tab never listed: an unknown one is said
            // before anything is asked.
            guard typed == nil else {
                return .perform(ScreenWork(label: "Reading comment \(id)…", naming: "comment", id: id) { .confirmDelete(try await services.comments.get(actor, id: id)) })
            }
            return confirmDelete(id: id)
        default:
            return .unhandled
        }
    }

    /// One confirmed action on every marked comment. Each goes through the service on its
    /// own (so each is checked and audited), one after the other; what fails is counted and
    /// said, and does not stop the rest. Hiding a hidden comment is no change: the service
    /// refuses it (409), so it is said among the failures, not counted as done.
    private func actOnMarked(_ action: String) -> ScreenEffect<Message> {
        let ids = browse.marked
        let services = environment.services, actor = environment.caller
        let hide = action == "hide"
        let count = ids.count == 1 ? "1 marked comment" : "\(ids.count) marked comments"
        let dialog = hide
            ? ConfirmDialog(title: "Hide \(count)", message: "Hide the \(count)? They can be shown again with h.", confirmLabel: "Hide", cancelLabel: "Cancel")
            : ConfirmDialog(title: "Delete \(count)", message: "Delete the \(count) and their replies? This cannot be undone.",
                            confirmLabel: "Delete", cancelLabel: "Keep", isDestructive: true)
        return .confirm(dialog, then: ScreenWork(label: "\(hide ? "Hiding" : "Deleting") \(count)…") {
            // A reply deleted with its parent earlier in the run is already gone: done.
            let outcome = try await BulkOutcome.run(ids, noun: "comment", countsAsDone: { !hide && $0.kind == .notFound }) { id in
                if hide { _ = try await services.comments.setHidden(actor, id: id, hidden: true) } else { try await services.comments.delete(actor, id: id) }
            }
            return .bulkDone("\(hide ? "Hid" : "Deleted") \(outcome.done) of \(ids.count) comments", failures: outcome.failures)
        })
    }

    /// The question `x` and `:delete` ask before deleting comment `id`.
    private func confirmDelete(id: Int64) -> ScreenEffect<Message> {
        let services = environment.services, actor = environment.caller
        let dialog = ConfirmDialog(title: "Delete comment", message: "Delete comment \(id) and its replies? This cannot be undone.",
                                   confirmLabel: "Delete", cancelLabel: "Keep", isDestructive: true)
        return .confirm(dialog, then: ScreenWork(label: "Deleting comment \(id)…") {
            try await services.comments.delete(actor, id: id)
            return .deleted("Deleted comment \(id)")
        })
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .table(let page):
            return browse.receive(page).map(Message.table)
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        case .opened(let comment):
            browse.remember([comment])
            browse.showDetail(comment)
            return .redraw
        case .confirmDelete(let comment):
            return confirmDelete(id: comment.id)
        case .threadLoaded(let loaded):
            showThread(loaded)
            return .redraw
        case .reloaded(let comment):
            guard browse.detail?.key == comment.id else { return .none }
            browse.remember([comment])
            browse.showDetail(comment)
            return .redraw
        case .deleted(let text):
            browse.closeDetail()
            return afterAction(text)
        case .bulkDone(let text, let failures):
            browse.clearMarks()
            return .batch([afterAction(text), BulkOutcome.report(text, failures: failures)])
        case .changed(let text):
            return afterAction(text)
        }
    }

    /// After an action: the status, then the queue, and the thread or the comment shown in
    /// full, read again.
    private func afterAction(_ text: String) -> ScreenEffect<Message> {
        var effects: [ScreenEffect<Message>] = [.status(text)]
        if canModerate { effects.append(browse.refresh().map(Message.table)) }
        if let open = thread {
            effects.append(openThread(postID: open.postID))
        } else if let id = browse.detail?.key {
            let services = environment.services, actor = environment.caller
            effects.append(.perform(ScreenWork { .reloaded(try await services.comments.get(actor, id: id)) }))
        }
        return .batch(effects)
    }

    private func showThread(_ loaded: CommentThread) {
        let ordered = CommentsScreen.threadOrder(loaded.comments, id: \.id, parent: \.parentID)
        browse.remember(loaded.comments)
        let selected = thread?.postID == loaded.postID ? thread?.table.selectedKey : nil
        var table = Table(columns: CommentListing.columns,
                          source: InMemoryTableSource(rows: ordered.map { CommentListing.row($0.item, depth: $0.depth) }))
        table.emptyMessage = "No comments on this post"
        table.fit(to: tableArea)
        if let selected { table.reveal(key: selected) }
        thread = (loaded.postID, loaded.title, table)
        if let id = browse.detail?.key, let comment = browse.item(id) { browse.showDetail(comment) }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if let thread, !browse.isShowingDetail {
            drawTitleRow("Thread of post \(thread.postID)", detail: "“\(TerminalSafe.line(thread.title))” · Esc back to the queue", into: &buffer, area: area, theme: theme)
            thread.table.render(into: &buffer, area: tableArea, theme: theme)
            return
        }
        guard canModerate || browse.isShowingDetail else {
            drawNotAllowed("The moderation queue needs comments:hide. Open a post's comments from the Posts tab with c.", into: &buffer, area: area, theme: theme)
            return
        }
        browse.render(into: &buffer, area: area, theme: theme)
    }
}

/// The comments as the moderation queue lists them: `CommentService.moderationQueue`,
/// every comment, newest first, keyset by id; filters: status and full text.
struct CommentListing: BrowseListing {
    let services: Services
    let caller: Caller

    var title: String { "Comments" }
    var noun: String { "comments" }
    var searchHint: String { "full-text search" }
    var columns: [TableColumn] { Self.columns }

    static let columns = [
        TableColumn("ID", width: .fixed(7), alignment: .right, isSortable: true),
        TableColumn("Post", width: .fixed(7), alignment: .right),
        TableColumn("Status", width: .fixed(8)),
        TableColumn("Comment", width: .fill(weight: 3, minimum: 20)),
        TableColumn("Author", width: .fill(weight: 1, minimum: 12)),
        TableColumn("Created", width: .fixed(16)),
    ]

    func key(of comment: Comment) -> Int64 { comment.id }
    func row(_ comment: Comment) -> TableRow<Int64> { Self.row(comment, depth: nil) }
    func cursor(after key: Int64) -> String { Store.cursor(afterID: key) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != true }

    func list(_ filter: BrowseFilter<CommentStatus>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<Comment> {
        try await services.comments.moderationQueue(caller, status: filter.status, text: filter.text, authorID: filter.user?.id, limit: limit,
                                                    cursor: cursor, oldestFirst: reversed)
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

    func summary(_ filter: BrowseFilter<CommentStatus>, sort: TableSort?) -> String {
        var parts: [String] = [filter.status.map { "status: \($0.rawValue)" } ?? "all comments"]
        if let text = filter.text { parts.append("search: \(text)") }
        if let sort { parts.append(sort.ascending ? "oldest first" : "newest first") }
        return parts.joined(separator: " · ")
    }

    func detail(_ comment: Comment, highlight: String?) -> DetailView {
        DetailView(title: "Comment \(comment.id)", fields: [
            DetailField("Post", String(comment.postID)),
            DetailField("Author", TerminalSafe.line(comment.author.name)),
            DetailField("Status", comment.status.rawValue, role: ThemeRole(status: comment.status.rawValue)),
            DetailField("Reply to", comment.parentID.map { "comment \($0)" } ?? "—"),
            DetailField("Created", ConsoleTime.short(comment.createdAt)),
        ], body: TerminalSafe.text(ReadableText.from(html: comment.content)), highlight: highlight)
    }
}

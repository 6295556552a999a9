import Foundation
import StewardCore

/// Tab 4: the moderation queue (every comment, newest first, paged by key; `/` searches
/// the text, `f` filters by status) and, from a post (`c` on the Posts tab, `t` here, or
/// `:thread ID`), that post's thread with replies indented under their parents. `h` hides
/// or shows a comment again, `x` deletes it with its replies (after a confirmation).
public final class CommentsScreen: ConsoleScreen {
    let environment: ConsoleEnvironment
    let cache = EntityCache<Comment>()
    private(set) var queue: Table<CommentsSource>
    private(set) var statusFilter: CommentStatus?
    private(set) var textFilter: String?
    /// The open thread: its post and its table (in memory: one post's comments).
    private(set) var thread: (postID: Int64, title: String, table: Table<InMemoryTableSource<Int64>>)?
    private var filterLine: FilterLine?
    private(set) var detail: DetailView?
    private var detailID: Int64?
    private var area = Rect(width: 80, height: 22)

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        queue = Table(columns: CommentsSource.columns,
                      source: CommentsSource(services: environment.services, caller: environment.caller, cache: cache))
        queue.emptyMessage = "No comments"
    }

    public var title: String { "Comments" }
    public var capturesInput: Bool { filterLine != nil }
    private var canModerate: Bool { environment.can(.commentsHide) }
    public var isShowingThread: Bool { thread != nil }
    public var isShowingDetail: Bool { detail != nil }

    public var selectedID: Int64? { thread?.table.selectedKey ?? (canModerate ? queue.selectedKey : nil) }
    public var selectedComment: Comment? { selectedID.flatMap { cache[$0] } }

    public var keyHints: KeyHintList {
        var hints = navigationHints(filter: "full-text search")
        hints.append(KeyHint(key: "f", action: "filter by status", section: "Navigation"))
        hints.append(KeyHint(key: "t", action: "open the thread", section: "Comments"))
        var commands = [":thread ID"]
        if canModerate {
            hints.append(KeyHint(key: "h", action: "hide / show", section: "Comments", isProminent: true))
            commands += [":hide", ":unhide"]
        }
        if environment.can(.commentsDelete) || environment.can(.commentsDeleteOwn) {
            hints.append(KeyHint(key: "x", action: "delete (asks first)", section: "Comments", isProminent: true))
            commands.append(":delete")
        }
        hints.append(KeyHint(key: commands.joined(separator: " "), action: "act on the selected comment", section: "Commands"))
        return KeyHintList(hints)
    }

    private var tableArea: Rect { area.inset(top: 1) }

    public func update(_ event: ScreenEvent) -> ScreenEffect {
        switch event {
        case .layout(let area):
            self.area = area
            if canModerate { queue.fit(to: tableArea) }
            thread?.table.fit(to: tableArea)
            return .redraw
        case .activated:
            if canModerate {
                queue.fit(to: tableArea)
                queue.reload()
            }
            return .redraw
        case .tick:
            return .none
        case .command(let input):
            return command(input)
        case .finished(let result):
            return finished(result)
        case .input(let input):
            return handle(input)
        }
    }

    private func handle(_ event: InputEvent) -> ScreenEffect {
        switch FilterLine.route(event, to: &filterLine) {
        case .notOpen: break
        case .consumed: return .redraw
        case .applied(let text):
            applyFilter(text: text, status: statusFilter)
            return .redraw
        }
        if var open = detail {
            switch event {
            case .escape, .left:
                detail = nil
                detailID = nil
                return .redraw
            case .char("h"), .char("x"), .char("t"):
                break
            default:
                guard open.handle(event, area: area) else { return .none }
                detail = open
                return .redraw
            }
        }
        switch event {
        case .enter:
            guard let comment = selectedComment else { return .none }
            showDetail(comment)
            return .redraw
        case .escape:
            if thread != nil {
                thread = nil
                return .redraw
            }
            guard textFilter != nil || statusFilter != nil else { return .none }
            applyFilter(text: nil, status: nil)
            return .status("Filters cleared", role: .muted)
        case .char("/"):
            guard thread == nil else { return .status("Esc leaves the thread; search works on the queue", role: .muted) }
            var line = FilterLine()
            line.prompt.reset(text: textFilter ?? "")
            filterLine = line
            return .redraw
        case .char("f"):
            guard thread == nil, canModerate else { return .none }
            let order: [CommentStatus?] = [nil, .visible, .hidden]
            applyFilter(text: textFilter, status: order[((order.firstIndex(of: statusFilter) ?? 0) + 1) % order.count])
            return .redraw
        case .char("n"), .char("N"):
            guard textFilter != nil || statusFilter != nil || thread != nil else { return .status("No filter: press / to search", role: .muted) }
            return moveSelection(by: event == .char("n") ? 1 : -1)
        case .char("h"): return act("toggle-hidden")
        case .char("x"), .delete: return act("delete")
        case .char("t"):
            guard let comment = selectedComment else { return .none }
            return openThread(postID: comment.postID)
        default:
            if thread != nil {
                guard var open = thread, open.table.handle(event, area: tableArea) else { return .none }
                thread = open
                return .redraw
            }
            guard canModerate else { return .none }
            return queue.handle(event, area: tableArea) ? .redraw : .none
        }
    }

    private func moveSelection(by delta: Int) -> ScreenEffect {
        if var open = thread {
            open.table.moveSelection(by: delta)
            thread = open
        } else {
            queue.moveSelection(by: delta)
        }
        return .redraw
    }

    private func applyFilter(text: String?, status: CommentStatus?) {
        textFilter = text
        statusFilter = status
        queue.replaceSource(CommentsSource(services: environment.services, caller: environment.caller, status: status, text: text, cache: cache))
        queue.emptyMessage = text == nil && status == nil ? "No comments" : "No comments match"
    }

    private func showDetail(_ comment: Comment) {
        detail = DetailView(title: "Comment \(comment.id)", fields: [
            DetailField("Post", String(comment.postID)),
            DetailField("Author", TerminalSafe.line(comment.author.name)),
            DetailField("Status", comment.status.rawValue, role: ThemeRole(status: comment.status.rawValue)),
            DetailField("Reply to", comment.parentID.map { "comment \($0)" } ?? "—"),
            DetailField("Created", ConsoleTime.short(comment.createdAt)),
        ], body: TerminalSafe.text(ReadableText.from(html: comment.content)), highlight: textFilter)
        detailID = comment.id
    }

    struct Thread: Sendable {
        var postID: Int64
        var title: String
        var comments: [Comment]
    }

    private func openThread(postID: Int64) -> ScreenEffect {
        let services = environment.services, actor = environment.caller
        return .perform(ScreenWork(tag: "thread", label: "Loading the thread of post \(postID)…") {
            let post = try await services.posts.get(actor, id: postID)
            var comments: [Comment] = []
            var cursor: String?
            repeat {
                let page = try await services.comments.thread(actor, postID: postID, includeHidden: true, limit: 100, cursor: cursor)
                comments += page.items
                cursor = page.nextCursor
            } while cursor != nil && comments.count < 5_000
            return Thread(postID: postID, title: post.title, comments: comments)
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

    private func command(_ input: CommandLineInput) -> ScreenEffect {
        switch input.name {
        case "thread":
            guard let id = input.arguments.first.flatMap({ Int64($0) }) ?? selectedComment?.postID else { return .error("Usage: :thread POST-ID") }
            return openThread(postID: id)
        case "hide", "unhide", "show", "delete":
            return act(input.name == "show" ? "unhide" : input.name)
        case "filter", "search":
            applyFilter(text: input.rest.isEmpty ? nil : input.rest, status: statusFilter)
            return .redraw
        default:
            return .unhandled
        }
    }

    private func act(_ action: String) -> ScreenEffect {
        guard let id = detailID ?? selectedID else { return .error("No comment selected") }
        let services = environment.services, actor = environment.caller
        switch action {
        case "toggle-hidden":
            return act(cache[id]?.status == .hidden ? "unhide" : "hide")
        case "hide", "unhide":
            let hide = action == "hide"
            return .perform(actionWork("changed", hide ? "Hiding comment \(id)…" : "Showing comment \(id)…") {
                _ = try await services.comments.setHidden(actor, id: id, hidden: hide)
                return hide ? "Hid comment \(id)" : "Comment \(id) is visible again"
            })
        case "delete":
            let dialog = ConfirmDialog(title: "Delete comment", message: "Delete comment \(id) and its replies? This cannot be undone.",
                                       confirmLabel: "Delete", cancelLabel: "Keep", isDestructive: true)
            return .confirm(dialog, then: actionWork("deleted", "Deleting comment \(id)…") {
                try await services.comments.delete(actor, id: id)
                return "Deleted comment \(id)"
            })
        default:
            return .unhandled
        }
    }

    private func finished(_ result: WorkResult) -> ScreenEffect {
        if result.tag == "thread-refresh" {
            guard let comment = result.value(as: Comment.self), comment.id == detailID else { return .none }
            cache.update(comment, id: comment.id)
            showDetail(comment)
            return .redraw
        }
        if let message = result.errorMessage { return .error(message) }
        if result.tag == "thread", let loaded = result.value(as: Thread.self) {
            showThread(loaded, keep: nil)
            return .redraw
        }
        if result.tag == "deleted" {
            detail = nil
            detailID = nil
        }
        if canModerate { queue.reload() }
        let effect = ScreenEffect.status(result.value(as: String.self) ?? "Done")
        if let open = thread {
            let postID = open.postID
            return .batch([effect, openThread(postID: postID)])
        }
        if let id = detailID {
            let services = environment.services, actor = environment.caller
            return .batch([effect, .perform(ScreenWork(tag: "thread-refresh") { try await services.comments.get(actor, id: id) })])
        }
        return effect
    }

    private func showThread(_ loaded: Thread, keep: Int64?) {
        let ordered = CommentsScreen.threadOrder(loaded.comments, id: \.id, parent: \.parentID)
        cache.store(loaded.comments, id: \.id)
        let selected = thread?.postID == loaded.postID ? thread?.table.selectedKey : nil
        var table = Table(columns: CommentsSource.columns,
                          source: InMemoryTableSource(rows: ordered.map { CommentsSource.row($0.item, depth: $0.depth) }))
        table.emptyMessage = "No comments on this post"
        table.fit(to: tableArea)
        if let selected { table.reveal(key: selected) }
        thread = (loaded.postID, loaded.title, table)
        if let id = detailID, let comment = cache[id] { showDetail(comment) }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if let detail {
            detail.render(into: &buffer, area: area, theme: theme)
            return
        }
        if let thread {
            drawTitleRow("Thread of post \(thread.postID)", detail: "“\(TerminalSafe.line(thread.title))” · Esc back to the queue", into: &buffer, area: area, theme: theme)
            thread.table.render(into: &buffer, area: tableArea, theme: theme)
            return
        }
        guard canModerate else {
            drawNotAllowed("The moderation queue needs comments:hide. Open a post's comments from the Posts tab with c.", into: &buffer, area: area, theme: theme)
            return
        }
        var filters: [String] = [statusFilter.map { "status: \($0.rawValue)" } ?? "all comments"]
        if let textFilter { filters.append("search: \(textFilter)") }
        if let sort = queue.sort { filters.append(sort.ascending ? "oldest first" : "newest first") }
        drawTitleRow("Comments", detail: filters.joined(separator: " · "), into: &buffer, area: area, theme: theme)
        if let filterLine { filterLine.prompt.render(into: &buffer, area: area.top(1), theme: theme) }
        queue.render(into: &buffer, area: tableArea, theme: theme)
    }
}

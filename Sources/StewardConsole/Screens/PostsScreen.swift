import Foundation
import StewardCore

/// Tab 3: every post the account may read, newest first, paged by key (fast on a million
/// posts). `/` searches titles and content (full text), `f` filters by status; Enter reads
/// a post as text; `p`, `a`, `d` and `x` publish, archive, return to draft and delete
/// (after a confirmation); `c` opens the post's comment thread.
public final class PostsScreen: ConsoleScreen {
    let environment: ConsoleEnvironment
    let cache = EntityCache<Post>()
    private(set) var table: Table<PostsSource>
    private(set) var statusFilter: PostStatus?
    private(set) var textFilter: String?
    private var filterLine: FilterLine?
    private(set) var detail: DetailView?
    private var detailID: Int64?
    private var area = Rect(width: 80, height: 22)

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        table = Table(columns: PostsSource.columns,
                      source: PostsSource(services: environment.services, caller: environment.caller, cache: cache))
        table.emptyMessage = "No posts"
    }

    public var title: String { "Posts" }
    public var capturesInput: Bool { filterLine != nil }

    /// The selected post (from the rows the table fetched).
    public var selectedPost: Post? { table.selectedKey.flatMap { cache[$0.id] } }
    public var isShowingDetail: Bool { detail != nil }

    public var keyHints: KeyHintList {
        var hints = navigationHints(filter: "full-text search")
        hints.append(KeyHint(key: "f", action: "filter by status", section: "Navigation"))
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
        hints.append(KeyHint(key: commands.joined(separator: " "), action: "act on the selected post", section: "Commands"))
        return KeyHintList(hints)
    }

    private var tableArea: Rect { area.inset(top: 1) }

    public func update(_ event: ScreenEvent) -> ScreenEffect {
        switch event {
        case .layout(let area):
            self.area = area
            table.fit(to: tableArea)
            return .redraw
        case .activated:
            table.fit(to: tableArea)
            table.reload()
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
            case .escape, .char("h"), .left:
                detail = nil
                detailID = nil
                return .redraw
            case .char("p"), .char("a"), .char("d"), .char("x"), .char("c"):
                break
            default:
                guard open.handle(event, area: area) else { return .none }
                detail = open
                return .redraw
            }
        }
        switch event {
        case .enter:
            return open()
        case .char("/"):
            var line = FilterLine()
            line.prompt.reset(text: textFilter ?? "")
            filterLine = line
            return .redraw
        case .escape:
            guard textFilter != nil || statusFilter != nil else { return .none }
            applyFilter(text: nil, status: nil)
            return .status("Filters cleared", role: .muted)
        case .char("f"):
            let order: [PostStatus?] = [nil, .draft, .published, .archived]
            let next = order[((order.firstIndex(of: statusFilter) ?? 0) + 1) % order.count]
            applyFilter(text: textFilter, status: next)
            return .redraw
        case .char("n"), .char("N"):
            guard textFilter != nil || statusFilter != nil else { return .status("No filter: press / to search", role: .muted) }
            table.moveSelection(by: event == .char("n") ? 1 : -1)
            return .redraw
        case .char("p"): return act("publish")
        case .char("a"): return act("archive")
        case .char("d"): return act("draft")
        case .char("x"), .delete: return act("delete")
        case .char("c"): return act("comments")
        default:
            return table.handle(event, area: tableArea) ? .redraw : .none
        }
    }

    private func applyFilter(text: String?, status: PostStatus?) {
        textFilter = text
        statusFilter = status
        table.replaceSource(PostsSource(services: environment.services, caller: environment.caller, status: status, text: text, cache: cache))
        table.emptyMessage = text == nil && status == nil ? "No posts" : "No posts match"
    }

    private func open() -> ScreenEffect {
        guard let post = selectedPost else { return .none }
        showDetail(post)
        return .redraw
    }

    private func showDetail(_ post: Post) {
        var view = DetailView(title: "Post \(post.id)", fields: [
            DetailField("Title", TerminalSafe.line(post.title)),
            DetailField("Status", post.status.rawValue, role: ThemeRole(status: post.status.rawValue)),
            DetailField("Author", TerminalSafe.line(post.author.name)),
            DetailField("Tags", post.tags.isEmpty ? "—" : post.tags.joined(separator: ", ")),
            DetailField("Created", ConsoleTime.short(post.createdAt)),
            DetailField("Updated", ConsoleTime.short(post.updatedAt)),
        ], body: TerminalSafe.text(ReadableText.from(html: post.content)), highlight: textFilter)
        if detailID == post.id, let current = detail { view.scroll(by: current.scrollOffset, area: area) }
        detail = view
        detailID = post.id
    }

    private func command(_ input: CommandLineInput) -> ScreenEffect {
        switch input.name {
        case "publish", "archive", "draft", "unpublish", "delete", "comments":
            return act(input.name == "unpublish" ? "draft" : input.name)
        case "open":
            return open()
        case "filter", "search":
            applyFilter(text: input.rest.isEmpty ? nil : input.rest, status: statusFilter)
            return .redraw
        default:
            return .unhandled
        }
    }

    /// Runs a post action on the post shown in the detail view, or else the selected one.
    private func act(_ action: String) -> ScreenEffect {
        guard let id = detailID ?? table.selectedKey?.id else { return .error("No post selected") }
        let title = cache[id]?.title ?? ""
        let services = environment.services, actor = environment.caller
        switch action {
        case "publish":
            return .perform(actionWork("changed", "Publishing post \(id)…") {
                _ = try await services.posts.publish(actor, id: id)
                return "Published post \(id)"
            })
        case "archive":
            return .perform(actionWork("changed", "Archiving post \(id)…") {
                _ = try await services.posts.archive(actor, id: id)
                return "Archived post \(id)"
            })
        case "draft":
            return .perform(actionWork("changed", "Returning post \(id) to draft…") {
                _ = try await services.posts.unpublish(actor, id: id)
                return "Post \(id) is a draft again"
            })
        case "delete":
            let dialog = ConfirmDialog(title: "Delete post", message: "Delete post \(id) “\(TerminalSafe.line(title))” and its comments? This cannot be undone.",
                                       confirmLabel: "Delete", cancelLabel: "Keep", isDestructive: true)
            return .confirm(dialog, then: actionWork("deleted", "Deleting post \(id)…") {
                try await services.posts.delete(actor, id: id)
                return "Deleted post \(id)"
            })
        case "comments":
            return .switchTab(3, then: .command(CommandLineInput("thread \(id)")))
        default:
            return .unhandled
        }
    }

    private func finished(_ result: WorkResult) -> ScreenEffect {
        if result.tag == "refresh" {
            guard let post = result.value(as: Post.self), detailID == post.id else { return .none }
            cache.update(post, id: post.id)
            showDetail(post)
            return .redraw
        }
        if let message = result.errorMessage { return .error(message) }
        let text = result.value(as: String.self) ?? "Done"
        if result.tag == "deleted" {
            detail = nil
            detailID = nil
        }
        table.reload()
        if let id = detailID {
            let services = environment.services, actor = environment.caller
            return .batch([.status(text), .perform(ScreenWork(tag: "refresh") { try await services.posts.get(actor, id: id) })])
        }
        return .status(text)
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if let detail {
            detail.render(into: &buffer, area: area, theme: theme)
            return
        }
        var filters: [String] = [statusFilter.map { "status: \($0.rawValue)" } ?? "all statuses"]
        if let textFilter { filters.append("search: \(textFilter)") }
        if let sort = table.sort { filters.append("sorted by \(table.columns[sort.column].title.lowercased()) \(sort.ascending ? "oldest first" : "newest first")") }
        drawTitleRow("Posts", detail: filters.joined(separator: " · "), into: &buffer, area: area, theme: theme)
        if let filterLine {
            filterLine.prompt.render(into: &buffer, area: area.top(1), theme: theme)
        }
        table.render(into: &buffer, area: tableArea, theme: theme)
    }
}

import Foundation
import StewardCore

// MARK: - What differs between browse tables

/// What a ``BrowseTable`` lists: the columns, how a row looks, how to ask the service for a
/// keyset page, and how to show one item in full. The Users, Posts and Comments tabs each
/// have one; everything else about browsing (paging, `/`, `f`, `n`/`N`, `s`, Enter, Esc,
/// the title row, the hints) is the browse table's.
///
/// A listing is a value the page fetches carry off the input loop, so it is `Sendable`:
/// give it the services and the caller, never a screen.
protocol BrowseListing: Sendable {
    associatedtype Item: Sendable
    /// What places a row in the order: the keyset boundary the next page starts after.
    associatedtype Key: Hashable & Sendable
    /// The values the status key (``statusKey``) cycles through (after "all"); ``NoStatus``
    /// for a listing without one.
    associatedtype Status: Hashable & Sendable & CaseIterable

    /// The title row's name: "Posts".
    var title: String { get }
    /// The plural in "No posts" and "No posts match".
    var noun: String { get }
    /// What `/` does, in the help: "full-text search".
    var searchHint: String { get }
    /// The verb of "No filter: press / to search".
    var searchVerb: String { get }
    /// The key that cycles ``Status`` and what it does, in the help: `f` "filter by status"
    /// unless the listing's one status filter reads better under its own letter (`w`,
    /// "signed in now" on the Users tab).
    var statusKey: (key: Character, hint: String) { get }
    var columns: [TableColumn] { get }

    func key(of item: Item) -> Key
    func row(_ item: Item) -> TableRow<Key>
    /// The service's cursor for "right after `key`".
    func cursor(after key: Key) -> String
    /// Whether `sort` is the order the service lists in by default (newest first, or by
    /// id); the other way round the page is asked for reversed.
    func isNaturalOrder(_ sort: TableSort?) -> Bool
    /// One page of the service's list: at most `limit` items after `cursor` (from the
    /// start when nil), in the natural order or `reversed`.
    func list(_ filter: BrowseFilter<Status>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<Item>
    /// The title row's detail: the filters and the order in words.
    func summary(_ filter: BrowseFilter<Status>, sort: TableSort?) -> String
    /// The item in full, for Enter; `highlight` is the search text.
    func detail(_ item: Item, highlight: String?) -> DetailView
}

extension BrowseListing {
    var searchVerb: String { "search" }
    var statusKey: (key: Character, hint: String) { ("f", "filter by status") }
}

/// The filters of a browse table: the `/` text, the `f` status, and the account whose
/// items alone are listed (set by drill-down: "their posts").
struct BrowseFilter<Status: Hashable & Sendable>: Equatable, Sendable {
    var text: String?
    var status: Status?
    var user: UserScope?

    var isEmpty: Bool { text == nil && status == nil && user == nil }
}

/// One account a list is narrowed to, with the name its title row says ("by Ada Lovelace").
struct UserScope: Hashable, Sendable {
    var id: Int64
    var name: String
}

/// The status of a listing that has none: `f` does nothing.
enum NoStatus: Hashable, Sendable, CaseIterable {}

// MARK: - One action on every marked row

/// What came of one action applied to each marked row in turn: how many it went through
/// for, and why it did not for the others.
struct BulkOutcome: Sendable {
    var done = 0
    var failures: [String] = []

    /// Runs `act` on each id, one after the other, through the service as a single action
    /// would (so each is checked and audited). A refusal is noted as "`noun` ID: why" and
    /// the rest go on, unless `countsAsDone` says the refusal leaves the row as wanted (a
    /// reply already deleted with its parent). A session that ended stops it all.
    static func run(_ ids: [Int64], noun: String, countsAsDone: @Sendable (StewardError) -> Bool = { _ in false },
                    _ act: @Sendable (Int64) async throws -> Void) async throws -> BulkOutcome {
        var outcome = BulkOutcome()
        for id in ids {
            do {
                try await act(id)
                outcome.done += 1
            } catch let error as StewardError where !error.isSessionEnded {
                if countsAsDone(error) { outcome.done += 1 } else { outcome.failures.append("\(noun) \(id): \(error.message)") }
            }
        }
        return outcome
    }

    /// The status line of a bulk action: `text`, or (when some failed) an error naming the
    /// first failure and how many more there were.
    static func report<Message>(_ text: String, failures: [String]) -> ScreenEffect<Message> {
        guard let first = failures.first else { return .status(text) }
        let more = failures.count > 1 ? " (and \(failures.count - 1) more)" : ""
        return .error("\(text); \(first)\(more)")
    }
}

// MARK: - Pages fetched off the input loop

/// One page a table asked for: which side of which key, how many rows, in what order.
struct PageRequest<Key: Hashable & Sendable>: Hashable, Sendable {
    enum Side: Hashable, Sendable { case after, before }
    var side: Side
    var key: Key?
    var limit: Int
    var sort: TableSort?
}

/// The table source of a browse table: the pages fetched so far for one filter, answered
/// at once, and ``PageNotLoaded`` for any other (remembered in ``wanted``, which the browse
/// table then fetches). The table asks for a page again after it arrives, and a reveal
/// asks for two, so pages are kept (the last ``capacity``) until ``removeAll()`` makes
/// the table read fresh rows.
final class FetchedPages<Key: Hashable & Sendable>: TableDataSource {
    private var pages: [PageRequest<Key>: [TableRow<Key>]] = [:]
    private var arrival: [PageRequest<Key>] = []
    private let capacity = 16
    /// The last page the table asked for and did not get.
    private(set) var wanted: PageRequest<Key>?

    func rows(after key: Key?, limit: Int, sort: TableSort?) throws -> [TableRow<Key>] {
        try answer(PageRequest(side: .after, key: key, limit: limit, sort: sort))
    }

    func rows(before key: Key?, limit: Int, sort: TableSort?) throws -> [TableRow<Key>] {
        try answer(PageRequest(side: .before, key: key, limit: limit, sort: sort))
    }

    private func answer(_ request: PageRequest<Key>) throws -> [TableRow<Key>] {
        if let page = pages[request] { return page }
        wanted = request
        throw PageNotLoaded()
    }

    func store(_ rows: [TableRow<Key>], for request: PageRequest<Key>) {
        if pages.updateValue(rows, forKey: request) == nil { arrival.append(request) }
        if arrival.count > capacity { pages[arrival.removeFirst()] = nil }
        if wanted == request { wanted = nil }
    }

    func removeAll() {
        pages.removeAll()
        arrival.removeAll()
        wanted = nil
    }
}

// MARK: - The browse table

/// A keyset-paged table over a service list, with everything a browsing tab does around
/// it: the `/` filter line, `f` (status), `n`/`N`, `s` (the table's sort), Enter for the
/// selected item in full and Esc back, the title row and the navigation hints. A screen
/// embeds one, passes it its events, wraps its ``Message`` in one case of its own message
/// type (``ScreenEffect/map(_:)``), and keeps only its actions.
///
/// Pages never block the input loop: the table's source answers only from pages already
/// fetched, and a missing page becomes a ``ScreenWork`` whose answer (a ``Message``)
/// arrives later; the table keeps its rows (or says "Loading…") meanwhile and carries on
/// once it is there. Pages are asked for by key, as the service lists them, in pages of at
/// most 100: never by offset, never the whole table. A page fetch whose session has ended
/// goes, like any work, to the app, which returns to sign-in.
struct BrowseTable<Listing: BrowseListing> {
    typealias Key = Listing.Key
    typealias Item = Listing.Item

    /// The answers of the page fetches. `generation` tells answers for the current filter
    /// (and since the last refresh) from late ones, which are dropped.
    enum Message: Sendable {
        /// `reachedEnd`: the list has nothing past this page, on its side.
        case pageLoaded(generation: Int, PageRequest<Key>, [Item], reachedEnd: Bool)
        case pageFailed(generation: Int, PageRequest<Key>, StewardError)
    }

    let listing: Listing
    private(set) var table: Table<FetchedPages<Key>>
    private(set) var filter = BrowseFilter<Listing.Status>()
    private var filterLine: FilterLine?
    /// The item shown in full, and how.
    private(set) var detail: (key: Key, view: DetailView)?
    /// The items of the rows fetched lately, so the selected one opens without a query.
    /// Bounded: past ``itemLimit`` it starts over (the table keeps a few pages anyway).
    private var items: [Key: Item] = [:]
    private let itemLimit = 2_000
    private var generation = 0
    private var inFlight: Set<PageRequest<Key>> = []
    /// What the pages of this generation tell of how many items match: the distinct keys
    /// fetched, and the run of pages read one after the other from the start (its last
    /// key, and whether it reached the end). The services page by key and never count, so
    /// the count is exact only once that run is unbroken to the end; a jump (`G`) leaves a
    /// gap that the run does not cross.
    private var fetchedKeys: Set<Key> = []
    private var runFromStart: (last: Key?, complete: Bool)?
    private var area = Rect(width: 80, height: 22)
    /// Whether Space marks rows for one action on all of them (the tabs that moderate).
    var allowsMarking = false
    /// The marked rows, in the order they were marked: what a bulk action applies to.
    private(set) var marked: [Key] = [] {
        didSet { table.markedKeys = marked }
    }

    init(_ listing: Listing) {
        self.listing = listing
        table = Table(columns: listing.columns, source: FetchedPages())
        table.emptyMessage = "No \(listing.noun)"
    }

    /// True while the `/` line is open.
    var capturesInput: Bool { filterLine != nil }
    var isShowingDetail: Bool { detail != nil }
    var selectedKey: Key? { table.selectedKey }
    var selectedItem: Item? { table.selectedKey.flatMap { items[$0] } }
    /// What an action applies to: the item shown in full, or else the selected one.
    var actionKey: Key? { detail?.key ?? table.selectedKey }
    func item(_ key: Key) -> Item? { items[key] }

    private var tableArea: Rect { area.inset(top: 1) }

    /// The navigation keys, for the status bar and `?`. The status bar shows the prominent
    /// ones, which follow the context: in a list, open and search; in an item shown in
    /// full, scroll and back; with rows marked, unmarking.
    var keyHints: [KeyHint] {
        let inDetail = detail != nil
        var hints = [
            KeyHint(key: "j/k ↑/↓", action: inDetail ? "scroll" : "move", section: "Navigation", isProminent: inDetail),
            KeyHint(key: "g/G", action: "top / bottom", section: "Navigation"),
            KeyHint(key: "PgUp/PgDn", action: "page", section: "Navigation"),
            KeyHint(key: "Enter", action: "open", section: "Navigation", isProminent: !inDetail),
            KeyHint(key: "Esc", action: inDetail ? "back to the list" : "back / clear filter", section: "Navigation", isProminent: inDetail, bar: "back"),
            KeyHint(key: "/", action: listing.searchHint, section: "Navigation", isProminent: !inDetail, bar: listing.searchVerb),
            KeyHint(key: "n/N", action: "next / previous match", section: "Navigation"),
            KeyHint(key: "s", action: "change sort", section: "Navigation"),
            KeyHint(key: "click, wheel", action: "select, scroll", section: "Navigation"),
        ]
        if !Listing.Status.allCases.isEmpty {
            hints.append(KeyHint(key: String(listing.statusKey.key), action: listing.statusKey.hint, section: "Navigation"))
        }
        if allowsMarking {
            hints.append(KeyHint(key: "Space", action: "mark / unmark a row: the next action applies to every marked row", section: "Navigation"))
            hints.append(KeyHint(key: "Esc", action: "with rows marked: unmark them all (before any filter is cleared)", section: "Navigation", isProminent: !marked.isEmpty && !inDetail, bar: "unmark"))
        }
        return hints
    }

    // MARK: Loading

    /// The screen's area changed (or is first known): fit the table to it.
    mutating func layout(_ area: Rect) -> ScreenEffect<Message> {
        self.area = area
        table.fit(to: tableArea)
        return fetchingWanted(.redraw)
    }

    /// Reads the rows around the selection again, from the service (the tab was shown
    /// again, or an action changed rows): the old rows stay until the new ones arrive.
    mutating func refresh() -> ScreenEffect<Message> {
        startGeneration()
        table.fit(to: tableArea)
        table.reload()
        return fetchingWanted(.redraw)
    }

    private mutating func startGeneration() {
        generation += 1
        inFlight.removeAll()
        fetchedKeys.removeAll()
        runFromStart = nil
        table.source.removeAll()
    }

    /// Starts the fetch of the page the table waits for, unless it is on its way.
    private mutating func fetchingWanted(_ effect: ScreenEffect<Message>) -> ScreenEffect<Message> {
        guard table.isWaitingForPage, let request = table.source.wanted, !inFlight.contains(request) else { return effect }
        inFlight.insert(request)
        return .batch([effect, .perform(fetch(request))])
    }

    private func fetch(_ request: PageRequest<Key>) -> ScreenWork<Message> {
        let listing = self.listing, filter = self.filter, generation = self.generation
        // `before` reads the other way round, nearest first.
        let reversed = (request.side == .after) != listing.isNaturalOrder(request.sort)
        let start = request.key.map(listing.cursor(after:))
        return ScreenWork(failure: { .pageFailed(generation: generation, request, $0) }) {
            var items: [Item] = []
            var cursor = start
            repeat {
                let page = try await listing.list(filter, cursor: cursor, limit: min(100, request.limit - items.count), reversed: reversed)
                items += page.items
                cursor = page.nextCursor
            } while cursor != nil && items.count < request.limit
            return .pageLoaded(generation: generation, request, items, reachedEnd: cursor == nil)
        }
    }

    /// A page arrived (or failed): hand it to the table, which carries on where it waited.
    mutating func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .pageLoaded(let answered, let request, let page, let reachedEnd):
            guard answered == generation else { return .none }
            inFlight.remove(request)
            remember(page)
            fetchedKeys.formUnion(page.map(listing.key(of:)))
            if request.side == .after {
                let last = page.last.map(listing.key(of:))
                if request.key == nil {
                    runFromStart = (last, reachedEnd)
                } else if let run = runFromStart, !run.complete, run.last == request.key {
                    runFromStart = (last ?? run.last, reachedEnd)
                }
            }
            table.source.store(page.map(listing.row), for: request)
            if table.isWaitingForPage { table.resume() }
            return fetchingWanted(.redraw)
        case .pageFailed(let answered, let request, let error):
            guard answered == generation else { return .none }
            inFlight.remove(request)
            guard table.isWaitingForPage, table.source.wanted == request else { return .none }
            table.failWaiting(error)
            return .redraw
        }
    }

    /// Keeps `page` for opening and acting on its items; the screen adds items it fetched
    /// itself (a comment thread).
    mutating func remember(_ page: [Item]) {
        if items.count + page.count > itemLimit { items.removeAll(keepingCapacity: true) }
        for item in page { items[listing.key(of: item)] = item }
    }

    // MARK: Filters

    /// Sets the filters and shows the first rows that match.
    mutating func setFilter(_ filter: BrowseFilter<Listing.Status>) -> ScreenEffect<Message> {
        self.filter = filter
        // A bulk action applies to rows the user can see: marks do not outlive the list
        // they were made in.
        marked.removeAll()
        startGeneration()
        table.replaceSource(FetchedPages())
        table.emptyMessage = filter.isEmpty ? "No \(listing.noun)" : "No \(listing.noun) match"
        return fetchingWanted(.redraw)
    }

    // MARK: Detail

    /// Shows `item` in full (keeping the scroll position when it is the one shown already).
    mutating func showDetail(_ item: Item) {
        show(listing.detail(item, highlight: filter.text), for: listing.key(of: item))
    }

    /// Shows `view` as the detail of the item with `key` (a screen with more to show than
    /// the listing's detail: a user's security events).
    mutating func show(_ view: DetailView, for key: Key) {
        var view = view
        if let current = detail, current.key == key { view.scroll(by: current.view.scrollOffset, area: area) }
        detail = (key, view)
    }

    mutating func closeDetail() {
        detail = nil
    }

    /// Forgets the marks (after the bulk action they were for).
    mutating func clearMarks() {
        marked.removeAll()
    }

    /// Lists only `scope`'s items (drill-down: "their posts"), from the top; the list as
    /// it stands when it already does.
    mutating func showOnly(_ scope: UserScope) -> ScreenEffect<Message> {
        closeDetail()
        guard filter != BrowseFilter(user: scope) else { return .redraw }
        return setFilter(BrowseFilter(user: scope))
    }

    /// Back to the plain list: the account a drill-down narrowed it to goes, the `/` text
    /// and the status stay.
    mutating func dropUserScope() -> ScreenEffect<Message> {
        closeDetail()
        guard filter.user != nil else { return .redraw }
        return setFilter(BrowseFilter(text: filter.text, status: filter.status))
    }

    // MARK: Input

    /// Handles the browsing keys; nil for a key that is not one (the screen's actions).
    /// While the detail is open only Esc, ← and its scrolling keys are browsing keys.
    mutating func handle(_ event: InputEvent) -> ScreenEffect<Message>? {
        switch FilterLine.route(event, to: &filterLine) {
        case .notOpen: break
        case .consumed: return .redraw
        case .applied(let text):
            return setFilter(BrowseFilter(text: text, status: filter.status, user: filter.user))
        }
        if var open = detail {
            switch event {
            case .escape, .left:
                detail = nil
                return .redraw
            default:
                guard open.view.handle(event, area: area) else { return nil }
                detail = open
                return .redraw
            }
        }
        switch event {
        case .enter:
            return openSelected()
        case .char("/"):
            var line = FilterLine()
            line.prompt.reset(text: filter.text ?? "")
            filterLine = line
            return .redraw
        case .char(" ") where allowsMarking:
            guard let key = table.selectedKey else { return .none }
            if let index = marked.firstIndex(of: key) { marked.remove(at: index) } else { marked.append(key) }
            table.moveSelection(by: 1)
            return fetchingWanted(.redraw)
        case .escape where !marked.isEmpty:
            marked.removeAll()
            return .status("Marks cleared", role: .muted)
        case .escape:
            guard !filter.isEmpty else { return .none }
            let effect = setFilter(BrowseFilter())
            return .batch([effect, .status(Listing.Status.allCases.isEmpty ? "Filter cleared" : "Filters cleared", role: .muted)])
        case .char(listing.statusKey.key):
            guard !Listing.Status.allCases.isEmpty else { return nil }
            let order: [Listing.Status?] = [nil] + Listing.Status.allCases.map { $0 }
            let next = order[((order.firstIndex(of: filter.status) ?? 0) + 1) % order.count]
            return setFilter(BrowseFilter(text: filter.text, status: next, user: filter.user))
        case .char("n"), .char("N"):
            guard !filter.isEmpty else { return .status("No filter: press / to \(listing.searchVerb)", role: .muted) }
            table.moveSelection(by: event == .char("n") ? 1 : -1)
            return fetchingWanted(.redraw)
        default:
            guard table.handle(event, area: tableArea) else { return nil }
            return fetchingWanted(.redraw)
        }
    }

    /// Opens the selected item; `.none` when nothing is selected.
    mutating func openSelected() -> ScreenEffect<Message> {
        guard let item = selectedItem else { return .none }
        showDetail(item)
        return .redraw
    }

    /// The browsing commands: `:filter TEXT`, `:search TEXT` (nothing clears) and `:open`.
    mutating func command(_ input: CommandLineInput) -> ScreenEffect<Message>? {
        switch input.name {
        case "filter", "search":
            return setFilter(BrowseFilter(text: input.rest.isEmpty ? nil : input.rest, status: filter.status, user: filter.user))
        case "open":
            return openSelected()
        default:
            return nil
        }
    }

    // MARK: View

    /// How many items match the filter, as the title row says it: "12 matches" when the
    /// pages read from the start reached the end, "12+ matches" while more pages exist.
    /// Nil without a filter (the whole list is no search) or before the first page.
    var matchCount: String? {
        guard !filter.isEmpty, runFromStart != nil || !fetchedKeys.isEmpty else { return nil }
        let count = fetchedKeys.count
        if runFromStart?.complete == true { return count == 1 ? "1 match" : "\(count) matches" }
        return "\(count)+ matches"
    }

    /// Draws the detail, or the title row (with the filter line over it while open) and
    /// the table.
    func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if let detail {
            detail.view.render(into: &buffer, area: area, theme: theme)
            return
        }
        var summary = listing.summary(filter, sort: table.sort)
        if let user = filter.user { summary = "by \(TerminalSafe.line(user.name)) · " + summary }
        if let matches = matchCount { summary += " · " + matches }
        if !marked.isEmpty { summary += " · \(marked.count) marked" }
        drawTitleRow(listing.title, detail: summary, into: &buffer, area: area, theme: theme)
        if let filterLine { filterLine.prompt.render(into: &buffer, area: area.top(1), theme: theme) }
        table.render(into: &buffer, area: area.inset(top: 1), theme: theme)
    }
}

extension BrowseTable {
    /// The `/` text and the status filter, as the console's preferences remember them.
    var rememberedFilter: TabFilterState {
        TabFilterState(text: filter.text, status: filter.status.map { String(describing: $0) })
    }

    /// Applies remembered filters: the status by its name among the listing's statuses.
    mutating func restore(_ state: TabFilterState) -> ScreenEffect<Message> {
        let status = state.status.flatMap { name in Listing.Status.allCases.first { String(describing: $0) == name } }
        return setFilter(BrowseFilter(text: state.text.flatMap { $0.isEmpty ? nil : $0 }, status: status))
    }
}

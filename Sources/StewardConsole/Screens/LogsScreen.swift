import Foundation
import Logging
import StewardCore

/// Tab 5: the live tail of the log — request lines from the HTTP listener, security events
/// and application messages, of every process logging into the log folder — with filters,
/// a detail view, rate sparklines and a read-only SQL prompt.
///
/// ## Wiring
///
/// The console adds it after the four data tabs, in `ConsoleApp.extraScreens(_:)`:
///
/// ```swift
/// static func extraScreens(_ environment: ConsoleEnvironment) -> [any ConsoleScreen] {
///     [LogsScreen(environment: environment)]
/// }
/// ```
///
/// It follows `environment.logFolder` (`STEWARD_LOG_DIR`) through a ``LogFolderTail``, so
/// a `steward serve` running beside the console on the same database shows up as well as
/// the console's own listener. Only the files are read, not the process's log ring as
/// well: this console's lines reach the same files within milliseconds, and one source
/// shows every line once, in the order it was written, with no de-duplication to get
/// wrong. Without a folder (tests, benchmarks) it tails `environment.logRing`; without
/// either the tab says so. `environment.listener?.sample` feeds the sparklines while the
/// listener runs (without it, the rates are counted from the request lines loaded).
///
/// ## What it shows
///
/// ```text
///  Logs  following · level ≥ trace · 1,204 lines
///  req/s  ▁▂▃▅▇█▇▅▃  12.4/s · 512 in 60 s
///  errors ▁  ▁  █     4xx 12 · 5xx 1 (2.5%)
///  12:00:00.123 INFO  http     GET /api/posts 200 3.1ms  ip=127.0.0.1 requestId=…
///  12:00:00.456 NOTE  security FAILED_LOGIN  client=10.0.0.9 event=FAILED_LOGIN
/// ```
///
/// Levels are drawn in the theme's `level.*` roles and request statuses in `success`
/// (2xx), `info` (3xx), `warning` (4xx) and `error` (5xx). Every string taken from a log
/// entry reaches the terminal only through the cell buffer, which makes control
/// characters inert, so a logged value cannot move the cursor or fake a line.
///
/// ## Keys
///
/// `p` or Space pause and resume the tail (entries that arrive while paused are counted in
/// the title; resuming follows the newest line again); `G` follows the newest line; `L`
/// raises the minimum level (trace → … → critical → trace); `/` filters (words, `-word`,
/// `4xx`, `status:404`, `source:security`; Esc clears); `e`/`E` and `w`/`W` jump to the
/// next and previous error and warning; `←`/`→` (`h`/`l`) scroll long lines sideways;
/// Enter shows the selected entry as JSON; `;` opens the SQL prompt over `log` (the lines
/// loaded) and `security_events` (with `logs:read`; the service refuses and audits
/// otherwise), whose answer replaces the tail until Esc and scrolls sideways the same way.
public final class LogsScreen: ConsoleScreen {
    let environment: ConsoleEnvironment
    private let queries: LogQueryService
    /// The log folder being followed, when the environment names one.
    private let folderTail: LogFolderTail?
    /// Where new entries come from: the folder's lines, else the process's own ring.
    /// On a database that carries every instance's lines (PostgreSQL), those, instead of
    /// this machine's folder: instances elsewhere log into folders of their own.
    private let sharedTail: SharedLogTail?
    private var source: LogRing? { sharedTail?.ring ?? folderTail?.ring ?? environment.logRing }

    /// Every entry taken from the source so far (at most the ring's capacity), oldest first.
    private(set) var rows: [LogsRow] = []
    /// The rows that pass the level and text filters, oldest first.
    private(set) var visible: [LogsRow] = []
    /// Index in ``visible`` of the selected row.
    private(set) var selectedIndex = 0
    /// Index in ``visible`` of the top row on screen.
    private var topIndex = 0
    /// True while the selection sticks to the newest line.
    private(set) var isFollowing = true
    /// True while the tail is frozen: the ring is not read, arrivals are only counted.
    private(set) var isPaused = false
    /// The newest ring sequence number taken into ``rows``.
    private var lastSequence: UInt64 = 0
    /// Entries the ring overwrote before this screen read them (fell behind while paused).
    private(set) var missedCount: UInt64 = 0
    /// Entries less serious than this are hidden.
    private(set) var minimumLevel: Logger.Level = .trace
    private(set) var filter: LogsFilter?
    private var filterLine: FilterLine?
    private var sqlPrompt: CommandPrompt?
    private var sqlHistory: [String] = []
    private(set) var detail: DetailView?
    private(set) var sqlOutcome: SQLOutcome?
    /// Columns the tail (or the SQL answer) is scrolled to the right, for long lines.
    private(set) var horizontalOffset = 0
    /// The second the sparklines were last drawn for; they redraw when it changes.
    private var ratesSecond: Int64 = 0
    private var area = Rect(width: 80, height: 22)

    /// The answer of the SQL prompt, shown in place of the tail until Esc.
    enum SQLOutcome {
        case rows(statement: String, result: ReadOnlySQLResult, table: Table<InMemoryTableSource<Int>>)
        case failed(statement: String, message: String)
    }

    /// - Parameter folderPollInterval: how often the log folder is read (tests shorten it).
    public init(environment: ConsoleEnvironment, folderPollInterval: Duration = .milliseconds(200)) {
        self.environment = environment
        queries = environment.services.logQueries()
        if environment.services.sharesLogs {
            sharedTail = SharedLogTail(queries: queries, caller: environment.caller)
            folderTail = nil
        } else {
            sharedTail = nil
            folderTail = environment.logFolder.map { LogFolderTail(folder: $0, pollInterval: folderPollInterval) }
        }
        pull()
    }

    deinit {
        folderTail?.stop()
        sharedTail?.stop()
    }

    public var title: String { "Logs" }

    public var capturesInput: Bool { filterLine != nil || sqlPrompt != nil }

    /// The `/` filter and the minimum level (`L`), which the console remembers.
    var rememberedFilter: TabFilterState? {
        TabFilterState(text: filter?.text, status: minimumLevel == .trace ? nil : minimumLevel.rawValue)
    }

    func restore(_ state: TabFilterState) -> ScreenEffect<Message> {
        filter = state.text.flatMap { $0.isEmpty ? nil : LogsFilter($0) }
        minimumLevel = state.status.flatMap { Logger.Level(rawValue: $0) } ?? .trace
        refilter()
        return .redraw
    }

    /// Entries that reached the ring while paused and are not shown yet.
    public var pendingCount: UInt64 {
        guard let ring = source else { return 0 }
        return ring.latestSequence &- lastSequence
    }

    /// The selected entry, if any.
    public var selectedEntry: SequencedLogEntry? {
        visible.indices.contains(selectedIndex) ? visible[selectedIndex].item : nil
    }

    public var keyHints: KeyHintList {
        var hints: [KeyHint] = [
            KeyHint(key: "p/Space", action: isPaused ? "resume" : "pause", section: "Logs", isProminent: true),
            KeyHint(key: "G", action: "follow the newest line", section: "Logs"),
            KeyHint(key: "L", action: "raise the minimum level (wraps)", section: "Logs", isProminent: true, bar: "level"),
            KeyHint(key: "/", action: "filter: words, -word, 4xx, status:404, source:http", section: "Logs", isProminent: true, bar: "filter"),
            KeyHint(key: "e/E", action: "next / previous error", section: "Logs", isProminent: true, bar: "errors"),
            KeyHint(key: "w/W", action: "next / previous warning (4xx requests included)", section: "Logs"),
            KeyHint(key: "←/→ h/l", action: "scroll long lines sideways", section: "Logs"),
            KeyHint(key: "Enter", action: "entry as JSON", section: "Logs"),
            KeyHint(key: "y", action: "copy the request id (OSC 52)", section: "Logs", isProminent: true, bar: "copy id"),
            KeyHint(key: "Y", action: "copy the entry as a JSON line", section: "Logs"),
            KeyHint(key: "Esc", action: "back / clear the filter", section: "Logs"),
        ]
        if environment.can(.logsRead) {
            hints.append(KeyHint(key: ";", action: "SQL over log and security_events (read-only)", section: "Logs", isProminent: true, bar: "SQL"))
        }
        hints += [
            KeyHint(key: "j/k ↑/↓", action: "move", section: "Navigation"),
            KeyHint(key: "PgUp/PgDn", action: "page", section: "Navigation"),
            KeyHint(key: "g", action: "oldest line", section: "Navigation"),
            KeyHint(key: "wheel", action: "scroll", section: "Navigation"),
        ]
        return KeyHintList(hints)
    }

    // MARK: - Layout

    /// The title row, two sparkline rows, then the tail; the prompt takes the last row.
    private var listArea: Rect {
        let promptRows = (filterLine != nil || sqlPrompt != nil) ? 1 : 0
        return area.inset(top: 3, bottom: promptRows)
    }

    private var listHeight: Int { max(1, listArea.height) }

    // MARK: - Update

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            self.area = area
            keepSelectionInView()
            if case .rows(let statement, let result, var table) = sqlOutcome {
                table.fit(to: sqlTableArea)
                sqlOutcome = .rows(statement: statement, result: result, table: table)
            }
            return .redraw
        case .activated:
            pull()
            return .redraw
        case .tick:
            return tick()
        case .command:
            return .unhandled
        case .show(let location):
            return show(location)
        case .input(let input):
            return handle(input)
        }
    }

    // MARK: Drill-down

    public func canShow(_ location: ConsoleLocation) -> Bool {
        if case .logs = location { return true }
        return false
    }

    public var location: ConsoleLocation? {
        filter.map { .logs(filter: $0.text) }
    }

    /// From a line: the account that made the request, and every line of that request.
    public var relatedPlaces: [RelatedPlace] {
        guard let entry = selectedEntry?.entry else { return [] }
        var places: [RelatedPlace] = []
        if let user = entry.metadata["userId"].flatMap({ Int64($0) }), environment.can(.usersRead) {
            places.append(RelatedPlace("u", "user \(user)", .user(user)))
        }
        if let request = entry.metadata["requestId"], !request.isEmpty, !request.contains(" ") {
            places.append(RelatedPlace("r", "every line of request \(TerminalSafe.line(request))", .logs(filter: "request:\(request)")))
        }
        return places
    }

    private func show(_ location: ConsoleLocation?) -> ScreenEffect<Message> {
        detail = nil
        guard case .logs(let text) = location else {
            // Back to the tail as it was before the drill-down filtered it: following.
            guard filter != nil else { return .redraw }
            filter = nil
            isFollowing = true
            refilter()
            return .redraw
        }
        sqlOutcome = nil
        filter = LogsFilter(text)
        // The lines of one request are few and finished: show them from the first, not
        // the newest line of the whole tail.
        isFollowing = false
        refilter()
        selectedIndex = 0
        topIndex = 0
        keepSelectionInView()
        return .redraw
    }

    private func tick() -> ScreenEffect<Message> {
        var changed = false
        if isPaused {
            // Only the count in the title changes; it is drawn from `pendingCount`.
            changed = pendingCount > 0
        } else {
            changed = pull()
        }
        let second = Int64(environment.now.timeIntervalSince1970.rounded(.down))
        if second != ratesSecond {
            ratesSecond = second
            changed = true
        }
        return changed ? .redraw : .none
    }

    /// Takes what is new in the ring. Returns whether anything was added.
    @discardableResult
    private func pull() -> Bool {
        guard let ring = source, ring.latestSequence != lastSequence else { return false }
        let fresh = ring.entries(after: lastSequence)
        guard let first = fresh.first, let last = fresh.last else { return false }
        if first.sequence > lastSequence + 1 { missedCount += first.sequence - lastSequence - 1 }
        lastSequence = last.sequence
        let added = fresh.map(LogsRow.init)
        rows += added
        let kept = added.filter(passes)
        visible += kept
        // Keep no more than the ring does: drop the oldest, in both lists.
        let limit = ring.capacity
        if rows.count > limit {
            rows.removeFirst(rows.count - limit)
            let oldest = rows[0].sequence
            let dropped = visible.prefix { $0.sequence < oldest }.count
            if dropped > 0 {
                visible.removeFirst(dropped)
                selectedIndex = max(0, selectedIndex - dropped)
                topIndex = max(0, topIndex - dropped)
            }
        }
        if isFollowing { selectLast() }
        return true
    }

    private func passes(_ row: LogsRow) -> Bool {
        row.level >= minimumLevel && (filter?.matches(row) ?? true)
    }

    /// Rebuilds ``visible`` after a filter change, keeping the selected entry if it passes.
    private func refilter() {
        let selected = selectedEntry?.sequence
        visible = rows.filter(passes)
        if !isFollowing, let selected, let index = visible.firstIndex(where: { $0.sequence >= selected }) {
            selectedIndex = index
            keepSelectionInView()
        } else {
            selectLast()
        }
    }

    // MARK: Input

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        switch FilterLine.route(event, to: &filterLine) {
        case .notOpen: break
        case .consumed:
            keepSelectionInView()
            return .redraw
        case .applied(let text):
            filter = text.flatMap { LogsFilter($0) }
            refilter()
            keepSelectionInView()
            return .redraw
        }
        if var prompt = sqlPrompt {
            switch prompt.handle(event) {
            case .editing:
                sqlPrompt = prompt
                return .redraw
            case .cancelled:
                sqlHistory = prompt.history
                sqlPrompt = nil
                return .redraw
            case .submitted(let statement):
                sqlHistory = prompt.history
                sqlPrompt = nil
                return runSQL(statement)
            }
        }
        if event == .char("y") || event == .char("Y"), sqlOutcome == nil {
            // In the list and in the entry shown in full alike: the detail is the selection's.
            return copySelected(asJSON: event == .char("Y"))
        }
        if var open = detail {
            if event == .escape || event == .char("q") || event == .left {
                detail = nil
                return .redraw
            }
            guard open.handle(event, area: area) else { return .none }
            detail = open
            return .redraw
        }
        if let outcome = sqlOutcome {
            return handleSQLOutcome(outcome, event)
        }
        switch event {
        case .char("p"), .char(" "):
            return togglePause()
        case .char("G"), .end:
            isFollowing = true
            if isPaused { return togglePause() }
            selectLast()
        case .char("g"), .home:
            isFollowing = false
            selectedIndex = 0
        case .char("j"), .down:
            move(by: 1)
        case .char("k"), .up:
            move(by: -1)
        case .pageDown, .ctrl("f"):
            move(by: listHeight)
        case .pageUp, .ctrl("b"):
            move(by: -listHeight)
        case .char("L"):
            let levels = Logger.Level.allCases
            minimumLevel = levels[((levels.firstIndex(of: minimumLevel) ?? 0) + 1) % levels.count]
            refilter()
        case .char("/"):
            var line = FilterLine()
            line.prompt.reset(text: filter?.text ?? "")
            filterLine = line
        case .escape:
            guard filter != nil else { return .none }
            filter = nil
            refilter()
            return .batch([.redraw, .status("Filter cleared", role: .muted)])
        case .char("e"), .char("E"):
            return jump(to: \.isError, named: "error", forward: event == .char("e"))
        case .char("w"), .char("W"):
            return jump(to: \.isWarning, named: "warning", forward: event == .char("w"))
        case .left, .char("h"):
            guard horizontalOffset > 0 else { return .none }
            horizontalOffset = max(0, horizontalOffset - Self.horizontalStep)
        case .right, .char("l"):
            // Far enough to read the end of the longest line on screen, no further.
            guard horizontalOffset + listArea.width - Self.fixedColumnsWidth < widestMessageOnScreen else { return .none }
            horizontalOffset += Self.horizontalStep
        case .enter:
            openDetail()
        case .char(";"):
            sqlPrompt = CommandPrompt(prompt: "SQL> ", history: sqlHistory)
        case .mouse(let mouse) where listArea.contains(x: mouse.x, y: mouse.y):
            switch mouse.kind {
            case .wheelDown: move(by: 3)
            case .wheelUp: move(by: -3)
            case .press:
                let index = topIndex + (mouse.y - listArea.y)
                guard visible.indices.contains(index) else { return .none }
                selectedIndex = index
                isFollowing = index == visible.count - 1
            case .release: return .none
            }
        default:
            return .none
        }
        keepSelectionInView()
        return .redraw
    }

    private func togglePause() -> ScreenEffect<Message> {
        isPaused.toggle()
        if isPaused {
            return .batch([.redraw, .status("Paused: new lines are counted, not shown; p to resume", role: .warning)])
        }
        let waiting = pendingCount
        // Resuming means "show me what is happening now": back to the newest line, even
        // if the selection had been moved up while paused.
        isFollowing = true
        pull()
        keepSelectionInView()
        return .batch([.redraw, .status("Resumed: \(waiting) new line\(waiting == 1 ? "" : "s")", role: .success)])
    }

    private func move(by delta: Int) {
        guard !visible.isEmpty else { return }
        selectedIndex = min(max(0, selectedIndex + delta), visible.count - 1)
        isFollowing = selectedIndex == visible.count - 1 && delta > 0
    }

    private func selectLast() {
        selectedIndex = max(0, visible.count - 1)
        keepSelectionInView()
    }

    private func keepSelectionInView() {
        let height = listHeight
        if isFollowing {
            selectedIndex = max(0, visible.count - 1)
            topIndex = max(0, visible.count - height)
            return
        }
        if selectedIndex < topIndex { topIndex = selectedIndex }
        if selectedIndex >= topIndex + height { topIndex = selectedIndex - height + 1 }
        topIndex = max(0, min(topIndex, max(0, visible.count - height)))
    }

    /// The width of the longest message part (after time, level and source) among the
    /// rows on screen.
    private var widestMessageOnScreen: Int {
        let onScreen = visible.indices.dropFirst(topIndex).prefix(listHeight)
        return onScreen.map { index in
            LogsFormat.spans(for: visible[index]).reduce(0) { $0 + DisplayWidth.of($1.text) }
        }.max() ?? 0
    }

    /// Time (`12:00:00.123 `), level (five columns) and source (` source   `): the part of
    /// a tail row that does not scroll sideways.
    static let fixedColumnsWidth = 13 + 5 + 10

    /// Columns one `←`/`→` scrolls: enough to get through a long line in a few presses.
    static let horizontalStep = 8

    /// Selects the next (or previous) visible row with `property`, e.g. the next error.
    private func jump(to property: KeyPath<LogsRow, Bool>, named name: String, forward: Bool) -> ScreenEffect<Message> {
        let candidates = forward
            ? Array(visible.indices.dropFirst(selectedIndex + 1))
            : Array(visible.indices.prefix(selectedIndex).reversed())
        guard let index = candidates.first(where: { visible[$0][keyPath: property] }) else {
            return .status(forward ? "No \(name) below" : "No \(name) above", role: .muted)
        }
        selectedIndex = index
        isFollowing = false
        // Put the error a third of the way down, with some context above it.
        topIndex = max(0, index - listHeight / 3)
        keepSelectionInView()
        return .redraw
    }

    /// `y`: the selected entry's request id; `Y`: the entry as its JSON line, exactly as
    /// the log file holds it (what `jq` and a bug report want).
    private func copySelected(asJSON: Bool) -> ScreenEffect<Message> {
        guard let item = selectedEntry else { return .status("No line selected", role: .muted) }
        if asJSON {
            var encoder = LogLineEncoder()
            var bytes: [UInt8] = []
            encoder.append(item.entry, to: &bytes)
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            return .copy(ClipboardItem(text: String(decoding: bytes, as: UTF8.self), what: "log entry #\(item.sequence) as JSON",
                                       instead: detail == nil ? "Enter shows it as JSON." : "It is on screen."))
        }
        guard let requestID = item.entry.metadata["requestId"], !requestID.isEmpty else {
            return .status("This line has no request id: Y copies the whole entry", role: .muted)
        }
        // Enough of the id to recognise it, as the status bar has room for.
        let shown = DisplayWidth.truncate(InertText.sanitize(requestID), toWidth: 13)
        return .copy(ClipboardItem(text: requestID, what: "the request id \(shown)",
                                   instead: detail == nil ? "Enter shows it in the entry." : "It is on screen."))
    }

    private func openDetail() {
        guard let item = selectedEntry else { return }
        let entry = item.entry
        detail = DetailView(
            title: "Log entry #\(item.sequence)",
            fields: [
                DetailField("Time", Timestamp.string(entry.time)),
                DetailField("Level", entry.level.rawValue, role: ThemeRole(level: entry.level.rawValue)),
                DetailField("Source", entry.source),
            ],
            body: LogsFormat.prettyJSON(item),
            highlight: filter?.searchedWords.first
        )
    }

    // MARK: SQL

    private func runSQL(_ statement: String) -> ScreenEffect<Message> {
        guard let ring = source else {
            sqlOutcome = .failed(statement: statement, message: "This console has no log to query.")
            return .redraw
        }
        let queries = self.queries, actor = environment.caller
        return .perform(ScreenWork(label: "Running SQL…") {
            .answered(SQLAnswer(statement: statement, result: try await queries.query(actor, sql: statement, ring: ring)))
        })
    }

    /// What the SQL work returns: the statement with its rows, so a late answer is shown
    /// with the statement that asked for it.
    struct SQLAnswer: Sendable {
        var statement: String
        var result: ReadOnlySQLResult
    }

    /// The answers of the SQL prompt's work.
    enum Message: ScreenMessage {
        case answered(SQLAnswer)
        case failed(StewardError)
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .answered(let answer):
            var table = Self.table(for: answer.result)
            table.fit(to: sqlTableArea)
            sqlOutcome = .rows(statement: answer.statement, result: answer.result, table: table)
            horizontalOffset = 0
            return .redraw
        case .failed(let error):
            let message = ConsoleEnvironment.describe(error)
            sqlOutcome = .failed(statement: sqlHistory.last ?? "", message: message)
            return .batch([.redraw, .error(message)])
        }
    }

    private func handleSQLOutcome(_ outcome: SQLOutcome, _ event: InputEvent) -> ScreenEffect<Message> {
        switch event {
        case .escape, .char("q"):
            sqlOutcome = nil
            horizontalOffset = 0
            return .redraw
        case .char(";"):
            var prompt = CommandPrompt(prompt: "SQL> ", history: sqlHistory)
            switch outcome {
            case .rows(let statement, _, _), .failed(let statement, _): prompt.reset(text: statement)
            }
            sqlPrompt = prompt
            return .redraw
        case .left, .char("h"):
            guard horizontalOffset > 0 else { return .none }
            horizontalOffset = max(0, horizontalOffset - Self.horizontalStep)
            return .redraw
        case .right, .char("l"):
            guard case .rows(_, _, let table) = outcome, horizontalOffset + sqlTableArea.width < table.naturalWidth else { return .none }
            horizontalOffset += Self.horizontalStep
            return .redraw
        default:
            guard case .rows(let statement, let result, var table) = outcome else { return .none }
            guard table.handle(event, area: sqlTableArea) else { return .none }
            sqlOutcome = .rows(statement: statement, result: result, table: table)
            return .redraw
        }
    }

    private var sqlTableArea: Rect { area.inset(top: 1, bottom: sqlPrompt == nil ? 0 : 1) }

    /// A column of a query's answer is at most this wide; longer values end in "…".
    static let widestSQLColumn = 120

    /// A table for a query's answer: each column as wide as its title and its widest value
    /// in the first hundred rows (within 4…``widestSQLColumn``), the last one taking what
    /// is left.
    static func table(for result: ReadOnlySQLResult) -> Table<InMemoryTableSource<Int>> {
        let sample = result.rows.prefix(100)
        let columns = result.columns.enumerated().map { index, name -> TableColumn in
            let widest = sample.map { DisplayWidth.of(InertText.sanitize($0[index] ?? "NULL")) }.max() ?? 0
            // Wider than the screen is fine: the answer scrolls sideways.
            let width = min(Self.widestSQLColumn, max(4, DisplayWidth.of(name), widest))
            let isLast = index == result.columns.count - 1
            return TableColumn(name, width: isLast ? .fill(weight: 1, minimum: width) : .fixed(width))
        }
        let rows = result.rows.enumerated().map { index, values in
            TableRow(key: index, cells: values.map { value in value.map { TableCell($0) } ?? TableCell("NULL", role: .muted) })
        }
        var table = Table(columns: columns, source: InMemoryTableSource(rows: rows))
        table.emptyMessage = "No rows"
        return table
    }

    // MARK: - Drawing

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let base = theme[.base]
        buffer.fill(area, style: base)
        if let detail {
            detail.render(into: &buffer, area: area, theme: theme)
            return
        }
        if let outcome = sqlOutcome {
            drawSQL(outcome, into: &buffer, area: area, theme: theme)
        } else {
            drawTitle(into: &buffer, area: area, theme: theme)
            drawRates(into: &buffer, area: area.inset(top: 1).top(2), theme: theme)
            drawTail(into: &buffer, area: area.inset(top: 3, bottom: (filterLine != nil || sqlPrompt != nil) ? 1 : 0), theme: theme)
        }
        if let filterLine {
            filterLine.prompt.render(into: &buffer, area: area.bottom(1), theme: theme)
        } else if let sqlPrompt {
            sqlPrompt.render(into: &buffer, area: area.bottom(1), theme: theme)
        }
    }

    private func drawTitle(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let row = area.top(1)
        let base = theme[.base]
        var x = row.x
        x += buffer.put(" Logs  ", x: x, y: row.y, style: theme[.title].on(base), maxWidth: row.maxX - x)
        if source == nil {
            buffer.put("no log in this console", x: x, y: row.y, style: theme[.muted].on(base), maxWidth: row.maxX - x)
            return
        }
        if isPaused {
            let waiting = pendingCount
            x += buffer.put("PAUSED · \(waiting) new", x: x, y: row.y, style: theme[.warning].on(base).adding(.bold), maxWidth: row.maxX - x)
        } else {
            x += buffer.put(isFollowing ? "following" : "scrolled", x: x, y: row.y, style: theme[.success].on(base), maxWidth: row.maxX - x)
        }
        var details = ["level ≥ \(minimumLevel.rawValue)"]
        if let filter { details.append("filter: \(filter.text)") }
        details.append(visible.count == rows.count ? "\(rows.count) lines" : "\(visible.count) of \(rows.count) lines")
        if missedCount > 0 { details.append("\(missedCount) missed") }
        if horizontalOffset > 0 { details.append("→ \(horizontalOffset) columns") }
        buffer.put(" · " + details.joined(separator: " · "), x: x, y: row.y, style: theme[.muted].on(base), maxWidth: row.maxX - x)
    }

    /// The current rates: the listener's counters while it runs, else the request lines.
    private var rates: LogsRates {
        if let listener = environment.listener, listener.status.isRunning {
            return LogsRates(sample: listener.sample)
        }
        return LogsRates(rows: rows, now: environment.now)
    }

    private func drawRates(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard area.height >= 2 else { return }
        let base = theme[.base]
        let rates = self.rates
        let labelWidth = 7
        let share = rates.totalRequests > 0 ? Double(rates.clientErrors + rates.serverErrors) / Double(rates.totalRequests) * 100 : 0
        let summaries = [
            String(format: "%.1f/s · %d in 60 s", rates.requestsPerSecond, rates.totalRequests),
            String(format: "4xx %d · 5xx %d (%.1f%%)", rates.clientErrors, rates.serverErrors, share),
        ]
        let summaryWidth = summaries.map { DisplayWidth.of($0) }.max() ?? 0
        let sparkWidth = max(0, min(LogsRates.seconds, area.width - labelWidth - summaryWidth - 3))
        let lines: [(String, [Double], Double?, ThemeRole)] = [
            ("req/s", rates.requests, nil, .sparkline),
            ("errors", rates.errorShare, 1, .error),
        ]
        for (offset, line) in lines.enumerated() {
            let y = area.y + offset
            buffer.put(" " + line.0, x: area.x, y: y, style: theme[.muted].on(base), maxWidth: labelWidth)
            let spark = Rect(x: area.x + labelWidth, y: y, width: sparkWidth, height: 1)
            Sparkline(values: line.1, maxValue: line.2, role: line.3).render(into: &buffer, area: spark, theme: theme)
            let summaryX = spark.maxX + 2
            buffer.put(summaries[offset], x: summaryX, y: y, style: theme[.muted].on(base), maxWidth: area.maxX - summaryX)
        }
    }

    private func drawTail(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let base = theme[.base]
        guard source != nil else {
            buffer.put("This console was started without a log pipeline, so there is nothing to tail.",
                       x: area.x + 1, y: area.y, style: theme[.muted].on(base), maxWidth: area.width - 1)
            return
        }
        if visible.isEmpty {
            let message = rows.isEmpty ? emptyMessage
                                       : "No line matches the level and filter. Esc clears the filter; L changes the level."
            buffer.put(message, x: area.x + 1, y: area.y, style: theme[.muted].on(base), maxWidth: area.width - 1)
            return
        }
        let top = min(topIndex, max(0, visible.count - 1))
        for screenRow in 0..<area.height {
            let index = top + screenRow
            guard visible.indices.contains(index) else { break }
            drawRow(visible[index], selected: index == selectedIndex, y: area.y + screenRow, area: area, theme: theme, into: &buffer)
        }
    }

    /// What the tail says before the first line arrives: where it looks, and what went
    /// wrong reading there, if anything.
    private var emptyMessage: String {
        if let sharedTail {
            if let problem = sharedTail.problem { return "Waiting for the shared log: \(problem)" }
            return "No log lines yet from any instance. Requests, sign-ins and actions appear here as they happen."
        }
        guard let folderTail else { return "No log lines yet. Requests, sign-ins and actions appear here as they happen." }
        if let problem = folderTail.problem { return "Waiting for the log folder: \(problem)" }
        return "No log lines yet in \(folderTail.folder.path). Requests, sign-ins and actions appear here as they happen."
    }

    private func drawRow(_ row: LogsRow, selected: Bool, y: Int, area: Rect, theme: Theme, into buffer: inout CellBuffer) {
        let base = theme[.base]
        let rowStyle = selected ? theme[.selection].on(base) : base
        buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
        func style(_ role: ThemeRole?) -> Style {
            guard let role else { return rowStyle }
            return selected ? rowStyle.adding(theme[role].attributes) : theme[role].on(base)
        }
        var x = area.x
        let entry = row.entry
        x += buffer.put(LogsFormat.timeOfDay(entry) + " ", x: x, y: y, style: style(.muted), maxWidth: area.maxX - x)
        x += buffer.put(LogsFormat.levelLabel(row.level), x: x, y: y, style: style(ThemeRole(level: row.level.rawValue)), maxWidth: area.maxX - x)
        x += buffer.put(" " + DisplayWidth.fit(entry.source, toWidth: 8) + " ", x: x, y: y, style: style(.muted), maxWidth: area.maxX - x)
        // Time, level and source stay put; only the rest of the line scrolls sideways.
        for span in LogsFormat.spans(LogsFormat.spans(for: row), droppingColumns: horizontalOffset) {
            guard x < area.maxX else { break }
            x += buffer.put(span.text, x: x, y: y, style: style(span.role), maxWidth: area.maxX - x)
        }
    }

    private func drawSQL(_ outcome: SQLOutcome, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let base = theme[.base]
        let titleRow = area.top(1)
        let body = area.inset(top: 1, bottom: sqlPrompt == nil ? 0 : 1)
        switch outcome {
        case .rows(let statement, let result, let table):
            let count = result.isTruncated ? "first \(result.rows.count) rows" : "\(result.rows.count) row\(result.rows.count == 1 ? "" : "s")"
            drawTitleRow("SQL · \(count)", detail: statement + "  (Esc back · ; edit)", into: &buffer, area: titleRow, theme: theme)
            if horizontalOffset == 0 || body.isEmpty {
                table.render(into: &buffer, area: body, theme: theme)
            } else {
                // Drawn in full width off screen, then the visible slice is copied in.
                var wide = CellBuffer(width: max(body.width, table.naturalWidth), height: body.height)
                var shifted = table
                shifted.fit(to: wide.area)
                shifted.render(into: &wide, area: wide.area, theme: theme)
                buffer.copy(from: wide, sourceX: horizontalOffset, into: body)
            }
        case .failed(let statement, let message):
            drawTitleRow("SQL · refused", detail: statement + "  (Esc back · ; edit)", into: &buffer, area: titleRow, theme: theme)
            let lines = TextWrap.lines(message, width: max(1, body.width - 2))
            for (offset, line) in lines.prefix(body.height).enumerated() {
                buffer.put(line, x: body.x + 1, y: body.y + offset, style: theme[.error].on(base), maxWidth: body.width - 2)
            }
        }
    }
}

extension Table {
    /// The width at which no column is squeezed: every fixed width and fill minimum, with
    /// the spacing between them. A wider answer than the screen scrolls sideways up to it.
    var naturalWidth: Int {
        let widths = columns.map { column -> Int in
            switch column.width {
            case .fixed(let count): max(0, count)
            case .fill(_, let minimum): max(0, minimum)
            }
        }
        return widths.reduce(0, +) + columnSpacing * max(0, columns.count - 1)
    }
}

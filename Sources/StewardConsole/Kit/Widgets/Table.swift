import StewardCore

/// One cell of a table row: text and, optionally, the role it is drawn in (a status
/// column in `status.published`, a level column in `level.error`).
public struct TableCell: Equatable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var role: ThemeRole?

    public init(_ text: String, role: ThemeRole? = nil) {
        self.text = text
        self.role = role
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }
}

/// One row as a data source hands it to a table: the key that identifies the row and
/// marks its place in the order (the keyset boundary), and the cells to show.
public struct TableRow<Key: Equatable>: Equatable {
    public var key: Key
    public var cells: [TableCell]
    /// A role for the whole row (an inactive user in `muted`); cells with their own role
    /// keep it.
    public var role: ThemeRole?

    public init(key: Key, cells: [TableCell], role: ThemeRole? = nil) {
        self.key = key
        self.cells = cells
        self.role = role
    }
}

extension TableRow: Sendable where Key: Sendable {}

/// A table column: its title, how wide it is and how its text aligns.
public struct TableColumn: Equatable, Sendable {
    public var title: String
    /// `.fixed(n)` columns are exactly n wide; `.fill(weight:minimum:)` columns share the
    /// rest (an email or title column that should grow with the terminal).
    public var width: LayoutSize
    public var alignment: TextAlignment
    /// Whether `s` and a click on the title sort by this column.
    public var isSortable: Bool

    public init(_ title: String, width: LayoutSize, alignment: TextAlignment = .left, isSortable: Bool = false) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.isSortable = isSortable
    }
}

/// The order a table asks its source for: by a column, ascending or descending. A nil
/// sort means the source's natural order (usually newest first, or by id).
public struct TableSort: Equatable, Hashable, Sendable {
    public var column: Int
    public var ascending: Bool

    public init(column: Int, ascending: Bool) {
        self.column = column
        self.ascending = ascending
    }
}

/// Where a ``Table`` gets its rows: by keyset, a page at a time, never all at once.
///
/// A table asks only for the rows next to what it already holds: the rows after the last
/// key it has, or before the first. A database source answers with one indexed query, for
/// example `WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
/// which costs the same on the millionth row as on the first (an OFFSET scan would not).
/// The key must be enough for the source to place the boundary in the requested sort;
/// a row that has since been deleted is still a valid boundary.
public protocol TableDataSource {
    associatedtype RowKey: Equatable

    /// Up to `limit` rows that come after the row with key `key` in `sort` order, in that
    /// order; from the very first row when `key` is nil.
    func rows(after key: RowKey?, limit: Int, sort: TableSort?) throws -> [TableRow<RowKey>]

    /// Up to `limit` rows that come before the row with key `key` in `sort` order, the
    /// nearest first (so in reverse order); from the very last row when `key` is nil. This
    /// is what `G` uses to jump to the bottom without reading what is above it.
    func rows(before key: RowKey?, limit: Int, sort: TableSort?) throws -> [TableRow<RowKey>]
}

/// What a ``TableDataSource`` throws when the page asked for is on its way rather than at
/// hand: a source whose pages come from a service call fetched off the input loop (see
/// ``BrowseTable``). The table then keeps what it shows, remembers what it was doing, and
/// waits; ``Table/resume()`` carries on once the page has arrived.
public struct PageNotLoaded: Error {
    public init() {}
}

/// A data source over rows held in memory, for short lists (roles, a user's recent events,
/// a few thousand rows at most): sorting copies and sorts the array on each request.
/// Sorting compares cell text, numerically when both cells are numbers.
public struct InMemoryTableSource<Key: Equatable>: TableDataSource {
    public var rows: [TableRow<Key>]

    public init(rows: [TableRow<Key>]) {
        self.rows = rows
    }

    public func rows(after key: Key?, limit: Int, sort: TableSort?) -> [TableRow<Key>] {
        let ordered = self.ordered(by: sort)
        // A key that is gone has no place in memory; start over from the top.
        let start = key.flatMap { key in ordered.firstIndex { $0.key == key }.map { $0 + 1 } } ?? 0
        return Array(ordered[start..<min(ordered.count, start + max(0, limit))])
    }

    public func rows(before key: Key?, limit: Int, sort: TableSort?) -> [TableRow<Key>] {
        let ordered = self.ordered(by: sort)
        let end = key.flatMap { key in ordered.firstIndex { $0.key == key } } ?? ordered.count
        return Array(ordered[max(0, end - max(0, limit))..<end].reversed())
    }

    private func ordered(by sort: TableSort?) -> [TableRow<Key>] {
        guard let sort else { return rows }
        let indexed = rows.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { lhs, rhs in
            let left = lhs.1.cells.indices.contains(sort.column) ? lhs.1.cells[sort.column].text : ""
            let right = rhs.1.cells.indices.contains(sort.column) ? rhs.1.cells[sort.column].text : ""
            if left == right { return lhs.0 < rhs.0 }  // stable
            let before: Bool
            if let l = Double(left), let r = Double(right) {
                before = l < r
            } else {
                before = left.lowercased() < right.lowercased() || (left.lowercased() == right.lowercased() && left < right)
            }
            return sort.ascending ? before : !before
        }.map(\.1)
    }
}

/// A scrolling table with a header, a selected row, sorting, and virtual scrolling over a
/// ``TableDataSource``.
///
/// The table holds a *window*: a contiguous run of rows around what is on screen, plus a
/// margin of about one screen above and below. Moving within the window costs nothing;
/// when the selection or view gets within the margin of the window's edge, the table asks
/// the source for the next page by key and drops pages far behind, so memory stays small
/// and the source is never asked for the whole table. `g` loads the first page, `G` the
/// last one (``TableDataSource/rows(before:limit:sort:)`` with no key), so both ends are
/// one query away however long the table is. A keyset table does not know its row count
/// or absolute position; screens that want a count ask their source separately.
///
/// Keys: `j`/`k`/↓/↑ move, PgDn/PgUp (and Ctrl-F/Ctrl-B) page, `g`/Home and `G`/End jump,
/// `s` cycles the sort through the sortable columns (ascending, descending, next column,
/// and back to the natural order). Mouse: a click selects a row or sorts by a column
/// title, the wheel scrolls three rows. Enter and the rest are left to the screen.
///
/// The table learns its height from the area passed to ``fit(to:)`` and
/// ``handle(_:area:)``; call ``fit(to:)`` when the layout changes (on `.resize`) so it
/// loads enough rows to fill the screen. ``render(into:area:theme:)`` only draws.
public struct Table<Source: TableDataSource> {
    public typealias Row = TableRow<Source.RowKey>

    public var columns: [TableColumn]
    public private(set) var source: Source
    public private(set) var sort: TableSort?
    /// Blank columns between two table columns.
    public var columnSpacing: Int = 2
    /// Shown when the source has no rows at all.
    public var emptyMessage: String = "No rows"
    /// Rows marked for a bulk action. While any are, a two-column gutter left of the
    /// columns shows `●` beside each marked row (and nothing takes room before that).
    public var markedKeys: [Source.RowKey] = []
    private var gutterWidth: Int { markedKeys.isEmpty ? 0 : 2 }

    /// The rows in memory, in display order: a window onto the full table.
    public private(set) var rows: [Row] = []
    /// Index in ``rows`` of the selected row.
    public private(set) var selectedIndex: Int = 0
    /// Index in ``rows`` of the row at the top of the view.
    public private(set) var topIndex: Int = 0
    /// Whether ``rows`` begins with the table's first row.
    public private(set) var reachedStart = false
    /// Whether ``rows`` ends with the table's last row.
    public private(set) var reachedEnd = false
    /// Why the last request to the source failed, shown in the table until a reload works.
    public private(set) var loadError: String?
    /// Whether the source answered ``PageNotLoaded``: the table asks for nothing more until
    /// ``resume()`` (or a new start) and shows "Loading…" while it has no rows.
    public private(set) var isWaitingForPage = false
    /// What the table was doing when a page was not at hand, so ``resume()`` can do it
    /// again; `.fill` once the rows of the current view have arrived.
    private var intent: Intent = .fill
    private enum Intent {
        case fill, start, end
        case reveal(Source.RowKey, screenRow: Int)
    }
    /// Body rows on screen (the area's height less the header), from the last layout.
    public private(set) var visibleRowCount: Int = 20
    private var hasLoaded = false

    public init(columns: [TableColumn], source: Source, sort: TableSort? = nil) {
        self.columns = columns
        self.source = source
        self.sort = sort
    }

    /// The selected row, or nil when the table is empty.
    public var selectedRow: Row? { rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil }
    public var selectedKey: Source.RowKey? { selectedRow?.key }

    /// Rows to fetch per request: two screens, and never fewer than fifty.
    public var fetchSize: Int { max(50, visibleRowCount * 2) }
    /// Rows kept beyond the view on each side before another page is fetched.
    private var margin: Int { max(10, visibleRowCount) }
    /// The most rows the window holds before pages far from the view are dropped.
    private var windowLimit: Int { fetchSize * 4 }

    // MARK: - Loading

    /// Sets the height from the area the table will be drawn in, and loads what that needs.
    public mutating func fit(to area: Rect) {
        visibleRowCount = max(1, area.height - 1)
        if !hasLoaded {
            loadFromStart()
        } else {
            keepSelectionInView()
            fillMargins()
        }
    }

    /// Reads the rows around the selected one again (after an edit, or to pick up new
    /// rows), keeping the selection on the same key and at the same place on screen. If
    /// that row is gone, the row after it is selected.
    public mutating func reload() {
        guard let key = selectedKey else {
            loadFromStart()
            return
        }
        reveal(key: key, screenRow: selectedIndex - topIndex)
    }

    /// Swaps in a new source (a new filter, say) and shows its first rows.
    public mutating func replaceSource(_ source: Source) {
        self.source = source
        loadFromStart()
    }

    /// Changes the sort and shows the first rows in the new order.
    public mutating func setSort(_ sort: TableSort?) {
        self.sort = sort
        loadFromStart()
    }

    /// The next sort in the `s` cycle: each sortable column ascending, then descending,
    /// then the next column; after the last, the natural order. Returns false when no
    /// column is sortable.
    @discardableResult
    public mutating func cycleSort() -> Bool {
        let sortable = columns.indices.filter { columns[$0].isSortable }
        guard let firstSortable = sortable.first else { return false }
        guard let current = sort else {
            setSort(TableSort(column: firstSortable, ascending: true))
            return true
        }
        if current.ascending {
            setSort(TableSort(column: current.column, ascending: false))
        } else if let next = sortable.first(where: { $0 > current.column }) {
            setSort(TableSort(column: next, ascending: true))
        } else {
            setSort(nil)
        }
        return true
    }

    /// Loads the rows around `key` and selects that row (or the one after it, if it is
    /// gone), placing it a third of the way down the view: for jumping to a search match.
    public mutating func reveal(key: Source.RowKey) {
        reveal(key: key, screenRow: visibleRowCount / 3)
    }

    /// Carries on after a page the source did not hold has arrived: redoes what was
    /// waiting for it (the first page, the last page, a reveal, or filling the margins).
    public mutating func resume() {
        isWaitingForPage = false
        switch intent {
        case .fill:
            keepSelectionInView()
            fillMargins()
        case .start: loadFromStart()
        case .end: loadFromEnd()
        case .reveal(let key, let screenRow): reveal(key: key, screenRow: screenRow)
        }
    }

    /// Gives up on the page the table waits for: `error` is shown as a load error (until a
    /// reload works).
    public mutating func failWaiting(_ error: any Error) {
        isWaitingForPage = false
        intent = .fill
        loadError = "Could not load rows: \(error)"
    }

    private mutating func reveal(key: Source.RowKey, screenRow: Int) {
        hasLoaded = true
        loadError = nil
        isWaitingForPage = false
        intent = .reveal(key, screenRow: screenRow)
        do {
            let above = try source.rows(before: key, limit: fetchSize, sort: sort)
            let fromKey = try source.rows(after: above.first?.key, limit: fetchSize, sort: sort)
            rows = above.reversed() + fromKey
            reachedStart = above.count < fetchSize
            reachedEnd = fromKey.count < fetchSize
            selectedIndex = min(above.count, max(0, rows.count - 1))
            topIndex = max(0, selectedIndex - max(0, min(screenRow, visibleRowCount - 1)))
            intent = .fill
        } catch {
            fail(error)
            // Keep showing the old rows until the page arrives.
            if isWaitingForPage { return }
        }
        keepSelectionInView()
        fillMargins()
    }

    private mutating func loadFromStart() {
        hasLoaded = true
        loadError = nil
        isWaitingForPage = false
        intent = .start
        rows = []
        selectedIndex = 0
        topIndex = 0
        reachedStart = true
        reachedEnd = false
        fillMargins()
        if !rows.isEmpty || !isWaitingForPage { intent = .fill }
    }

    private mutating func loadFromEnd() {
        hasLoaded = true
        loadError = nil
        isWaitingForPage = false
        intent = .end
        do {
            let last = try source.rows(before: nil, limit: fetchSize, sort: sort)
            rows = last.reversed()
            reachedEnd = true
            reachedStart = last.count < fetchSize
            intent = .fill
        } catch {
            fail(error)
            // Keep showing the old rows until the last page arrives.
            if isWaitingForPage { return }
            rows = []
        }
        selectedIndex = max(0, rows.count - 1)
        topIndex = max(0, rows.count - visibleRowCount)
        fillMargins()
    }

    /// Fetches the page after the window. Returns false when nothing more can come.
    private mutating func appendPage() -> Bool {
        guard !reachedEnd && loadError == nil && !isWaitingForPage else { return false }
        do {
            let page = try source.rows(after: rows.last?.key, limit: fetchSize, sort: sort)
            rows += page
            if page.count < fetchSize { reachedEnd = true }
            return !page.isEmpty
        } catch {
            fail(error)
            return false
        }
    }

    /// Fetches the page before the window, shifting indices. Returns false when nothing
    /// more can come.
    private mutating func prependPage() -> Bool {
        guard !reachedStart && loadError == nil && !isWaitingForPage else { return false }
        do {
            let page = try source.rows(before: rows.first?.key, limit: fetchSize, sort: sort)
            rows.insert(contentsOf: page.reversed(), at: 0)
            selectedIndex += page.count
            topIndex += page.count
            if page.count < fetchSize { reachedStart = true }
            return !page.isEmpty
        } catch {
            fail(error)
            return false
        }
    }

    private mutating func fail(_ error: any Error) {
        if error is PageNotLoaded {
            isWaitingForPage = true
        } else {
            intent = .fill
            loadError = "Could not load rows: \(error)"
        }
    }

    /// Makes sure the view and a margin on each side are loaded, then drops rows far from
    /// the view so the window stays within ``windowLimit``.
    private mutating func fillMargins() {
        while rows.count < topIndex + visibleRowCount + margin && appendPage() {}
        while topIndex < margin && prependPage() {}
        if rows.count > windowLimit {
            // Drop from the side with more rows beyond its margin first: the side the view
            // is moving away from, never the page that was just fetched.
            var excess = rows.count - windowLimit
            let frontSlack = max(0, topIndex - margin)
            let backSlack = max(0, rows.count - (topIndex + visibleRowCount + margin))
            let dropFromFrontFirst = frontSlack >= backSlack
            for front in dropFromFrontFirst ? [true, false] : [false, true] where excess > 0 {
                let count = min(excess, front ? frontSlack : backSlack)
                guard count > 0 else { continue }
                if front {
                    rows.removeFirst(count)
                    selectedIndex -= count
                    topIndex -= count
                    reachedStart = false
                } else {
                    rows.removeLast(count)
                    reachedEnd = false
                }
                excess -= count
            }
        }
        if !rows.isEmpty {
            selectedIndex = min(max(0, selectedIndex), rows.count - 1)
        } else {
            selectedIndex = 0
        }
    }

    // MARK: - Moving

    /// Moves the selection by `delta` rows (negative is up), fetching as needed, and
    /// scrolls so it stays in view.
    public mutating func moveSelection(by delta: Int) {
        var target = selectedIndex + delta
        while target >= rows.count && appendPage() {}
        while target < 0 && prependPage() {
            target = selectedIndex + delta  // prepending shifted selectedIndex
        }
        guard !rows.isEmpty else { return }
        selectedIndex = min(max(0, target), rows.count - 1)
        keepSelectionInView()
        fillMargins()
    }

    /// Scrolls the view by `delta` rows and keeps the selection on the same screen row,
    /// as PgDn/PgUp do in a pager.
    public mutating func page(by delta: Int) {
        let screenRow = selectedIndex - topIndex
        var target = selectedIndex + delta
        while target >= rows.count && appendPage() {}
        while target < 0 && prependPage() {
            target = selectedIndex + delta
        }
        guard !rows.isEmpty else { return }
        selectedIndex = min(max(0, target), rows.count - 1)
        topIndex = max(0, selectedIndex - screenRow)
        keepSelectionInView()
        fillMargins()
    }

    /// Scrolls the view by `delta` rows without moving the selection, unless the selection
    /// would leave the view, in which case it is pulled along (the mouse wheel).
    public mutating func scrollView(by delta: Int) {
        var target = topIndex + delta
        while target + visibleRowCount > rows.count && delta > 0 && appendPage() {}
        while target < 0 && prependPage() {
            target = topIndex + delta
        }
        guard !rows.isEmpty else { return }
        let lastTop = max(0, rows.count - visibleRowCount)
        topIndex = min(max(0, target), lastTop)
        selectedIndex = min(max(selectedIndex, topIndex), min(rows.count - 1, topIndex + visibleRowCount - 1))
        fillMargins()
    }

    /// Selects the first row of the table.
    public mutating func selectFirst() {
        if reachedStart && !rows.isEmpty {
            selectedIndex = 0
            topIndex = 0
            fillMargins()
        } else {
            loadFromStart()
        }
    }

    /// Selects the last row of the table.
    public mutating func selectLast() {
        if reachedEnd && !rows.isEmpty {
            selectedIndex = rows.count - 1
            keepSelectionInView()
            fillMargins()
        } else {
            loadFromEnd()
        }
    }

    private mutating func keepSelectionInView() {
        if selectedIndex < topIndex { topIndex = selectedIndex }
        if selectedIndex >= topIndex + visibleRowCount { topIndex = selectedIndex - visibleRowCount + 1 }
        if reachedEnd {
            // Do not leave blank rows at the bottom when the table could fill the view.
            topIndex = min(topIndex, max(0, rows.count - visibleRowCount))
        }
        topIndex = max(0, topIndex)
    }

    // MARK: - Input

    /// Handles navigation, sorting and mouse input for a table drawn in `area`. Returns
    /// false for events the table does not use.
    public mutating func handle(_ event: InputEvent, area: Rect) -> Bool {
        visibleRowCount = max(1, area.height - 1)
        if !hasLoaded { loadFromStart() }
        switch event {
        case .char("j"), .down: moveSelection(by: 1)
        case .char("k"), .up: moveSelection(by: -1)
        case .pageDown, .ctrl("f"): page(by: visibleRowCount)
        case .pageUp, .ctrl("b"): page(by: -visibleRowCount)
        case .char("g"), .home: selectFirst()
        case .char("G"), .end: selectLast()
        case .char("s"): return cycleSort()
        case .mouse(let mouse):
            return handleMouse(mouse, area: area)
        default:
            return false
        }
        return true
    }

    private mutating func handleMouse(_ mouse: MouseEvent, area: Rect) -> Bool {
        guard area.contains(x: mouse.x, y: mouse.y) else { return false }
        switch mouse.kind {
        case .wheelDown:
            scrollView(by: 3)
        case .wheelUp:
            scrollView(by: -3)
        case .press:
            if mouse.y == area.y {
                guard let column = column(atX: mouse.x, width: area.width - gutterWidth, originX: area.x + gutterWidth),
                      columns[column].isSortable else { return false }
                let ascending = sort?.column == column ? !(sort?.ascending ?? false) : true
                setSort(TableSort(column: column, ascending: ascending))
                return true
            }
            let index = topIndex + (mouse.y - area.y - 1)
            guard rows.indices.contains(index) else { return false }
            selectedIndex = index
            keepSelectionInView()
            fillMargins()
        case .release:
            return false
        }
        return true
    }

    // MARK: - Drawing

    /// The left edge (relative to the table) and width of each column at a total width.
    public func columnFrames(width: Int) -> [(x: Int, width: Int)] {
        var sizes: [LayoutSize] = []
        for (index, column) in columns.enumerated() {
            if index > 0 { sizes.append(.fixed(columnSpacing)) }
            sizes.append(column.width)
        }
        let bands = LayoutSize.distribute(width, among: sizes)
        return stride(from: 0, to: bands.count, by: 2).map { (bands[$0].offset, bands[$0].length) }
    }

    private func column(atX x: Int, width: Int, originX: Int) -> Int? {
        columnFrames(width: width).firstIndex { frame in
            x >= originX + frame.x && x < originX + frame.x + frame.width
        }
    }

    /// Draws the header and the visible rows. Cell text goes through the buffer, which
    /// shows any control characters as symbols.
    public func render(into buffer: inout CellBuffer, area fullArea: Rect, theme: Theme) {
        guard !fullArea.isEmpty else { return }
        let base = theme[.base]
        buffer.fill(fullArea, style: base)
        let area = fullArea.inset(left: gutterWidth)
        if gutterWidth > 0 {
            buffer.fill(fullArea.top(1).inset(right: fullArea.width - gutterWidth), style: theme[.tableHeader].on(base))
        }
        let frames = columnFrames(width: area.width)
        let header = theme[.tableHeader].on(base)
        buffer.fill(area.top(1), style: header)
        for (index, column) in columns.enumerated() where frames[index].width > 0 {
            var title = column.title
            if let sort, sort.column == index { title += sort.ascending ? " ▲" : " ▼" }
            let text = DisplayWidth.fit(title, toWidth: frames[index].width, alignment: column.alignment)
            buffer.put(text, x: area.x + frames[index].x, y: area.y, style: header, maxWidth: frames[index].width)
        }
        let body = area.inset(top: 1)
        if rows.isEmpty {
            let message = loadError ?? (isWaitingForPage ? "Loading…" : hasLoaded ? emptyMessage : "")
            buffer.put(message, x: body.x + 1, y: body.y, style: theme[loadError == nil ? .muted : .error].on(base), maxWidth: body.width - 1)
            return
        }
        for screenRow in 0..<body.height {
            let index = topIndex + screenRow
            guard rows.indices.contains(index) else { break }
            let row = rows[index]
            let y = body.y + screenRow
            let isSelected = index == selectedIndex
            let rowStyle = isSelected ? theme[.selection].on(base) : row.role.map { theme[$0].on(base) } ?? base
            buffer.fill(Rect(x: body.x - gutterWidth, y: y, width: body.width + gutterWidth, height: 1), style: rowStyle)
            if gutterWidth > 0, markedKeys.contains(row.key) {
                buffer.put("●", x: body.x - gutterWidth, y: y, style: isSelected ? rowStyle : theme[.accent].on(base))
            }
            for (columnIndex, column) in columns.enumerated() where frames[columnIndex].width > 0 {
                guard row.cells.indices.contains(columnIndex) else { continue }
                let cell = row.cells[columnIndex]
                let style = isSelected ? rowStyle : cell.role.map { theme[$0].on(base) } ?? rowStyle
                let text = DisplayWidth.fit(TerminalSafe.line(cell.text), toWidth: frames[columnIndex].width, alignment: column.alignment)
                buffer.put(text, x: body.x + frames[columnIndex].x, y: y, style: style, maxWidth: frames[columnIndex].width)
            }
        }
        if let loadError {
            buffer.put(DisplayWidth.fit(loadError, toWidth: body.width), x: body.x, y: body.maxY - 1, style: theme[.error].on(base))
        }
    }
}

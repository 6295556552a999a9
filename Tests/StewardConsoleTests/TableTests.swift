import XCTest
@testable import StewardConsole

/// A million-row table that computes rows on demand and counts what it is asked for, like
/// a database answering keyset queries. Keys are 1...count; column 0 sorts by key.
private final class MillionRowSource: TableDataSource {
    let count: Int
    private(set) var calls = 0
    private(set) var rowsFetched = 0
    var failing = false

    struct Failure: Error, CustomStringConvertible {
        var description: String { "database is locked" }
    }

    init(count: Int = 1_000_000) {
        self.count = count
    }

    private func row(_ key: Int) -> TableRow<Int> {
        TableRow(key: key, cells: [TableCell(String(key)), TableCell("user\(key)@example.com"), TableCell(key % 3 == 0 ? "admin" : "user")])
    }

    /// Keys in display order after (or before) a boundary, for the sort.
    private func keys(from boundary: Int?, forward: Bool, limit: Int, sort: TableSort?) throws -> [TableRow<Int>] {
        calls += 1
        if failing { throw Failure() }
        let descending = sort?.ascending == false
        // Step through keys in display order; "forward" follows display order.
        let step = (forward != descending) ? 1 : -1
        let first: Int
        if let boundary {
            first = boundary + step
        } else {
            first = step == 1 ? 1 : count
        }
        var result: [TableRow<Int>] = []
        var key = first
        while result.count < limit && key >= 1 && key <= count {
            result.append(row(key))
            key += step
        }
        rowsFetched += result.count
        return result
    }

    func rows(after key: Int?, limit: Int, sort: TableSort?) throws -> [TableRow<Int>] {
        try keys(from: key, forward: true, limit: limit, sort: sort)
    }

    func rows(before key: Int?, limit: Int, sort: TableSort?) throws -> [TableRow<Int>] {
        try keys(from: key, forward: false, limit: limit, sort: sort)
    }
}

final class TableTests: XCTestCase {
    private let columns = [
        TableColumn("ID", width: .fixed(8), alignment: .right, isSortable: true),
        TableColumn("Email", width: .fill(weight: 1, minimum: 10)),
        TableColumn("Role", width: .fixed(8), isSortable: true),
    ]
    /// The table's area on an 80×24 screen with a tab bar and a status bar: 22 rows, one
    /// of them the header.
    private let area = Rect(x: 0, y: 1, width: 80, height: 22)

    private func makeTable(_ source: MillionRowSource) -> Table<MillionRowSource> {
        var table = Table(columns: columns, source: source)
        table.fit(to: area)
        return table
    }

    func testFirstLayoutFetchesOnePage() {
        let source = MillionRowSource()
        let table = makeTable(source)
        XCTAssertEqual(source.calls, 1)
        XCTAssertEqual(source.rowsFetched, table.fetchSize)
        XCTAssertEqual(table.selectedKey, 1)
        XCTAssertEqual(table.visibleRowCount, 21)
    }

    func testRepeatedMovesWithinTheWindowDoNotTouchTheSource() {
        let source = MillionRowSource()
        var table = makeTable(source)
        let callsBefore = source.calls
        for _ in 0..<10 { XCTAssertTrue(table.handle(.char("j"), area: area)) }
        XCTAssertEqual(table.selectedKey, 11)
        for _ in 0..<5 { XCTAssertTrue(table.handle(.up, area: area)) }
        XCTAssertEqual(table.selectedKey, 6)
        XCTAssertEqual(source.calls, callsBefore, "moving inside the loaded window is free")
        // Two hundred single steps cost a handful of page fetches, not two hundred.
        for _ in 0..<200 { _ = table.handle(.down, area: area) }
        XCTAssertEqual(table.selectedKey, 206)
        XCTAssertLessThanOrEqual(source.calls - callsBefore, 5)
    }

    func testPagingDownAHundredTimesFetchesOnlyAWindow() {
        let source = MillionRowSource()
        var table = makeTable(source)
        for _ in 0..<100 { XCTAssertTrue(table.handle(.pageDown, area: area)) }
        XCTAssertEqual(table.selectedKey, 1 + 100 * 21)
        XCTAssertLessThan(source.rowsFetched, 3_000, "touched \(source.rowsFetched) rows of 1,000,000")
        XCTAssertLessThan(source.calls, 60)
        XCTAssertLessThanOrEqual(table.rows.count, table.fetchSize * 4, "old pages are dropped")
        XCTAssertFalse(table.reachedStart)
        // And back up again: pages before the window are fetched by key as well.
        for _ in 0..<100 { _ = table.handle(.pageUp, area: area) }
        XCTAssertEqual(table.selectedKey, 1)
        XCTAssertLessThan(source.rowsFetched, 6_000)
    }

    func testBottomFetchesTheLastPageDirectlyAndTopComesBack() {
        let source = MillionRowSource()
        var table = makeTable(source)
        let fetchedBefore = source.rowsFetched
        XCTAssertTrue(table.handle(.char("G"), area: area))
        XCTAssertEqual(table.selectedKey, 1_000_000)
        XCTAssertTrue(table.reachedEnd)
        XCTAssertLessThanOrEqual(source.rowsFetched - fetchedBefore, table.fetchSize * 2)
        XCTAssertEqual(table.selectedIndex - table.topIndex, 20, "the last row sits on the last screen row")
        _ = table.handle(.char("k"), area: area)
        XCTAssertEqual(table.selectedKey, 999_999)
        _ = table.handle(.pageDown, area: area)
        XCTAssertEqual(table.selectedKey, 1_000_000, "paging past the end stops at the last row")
        XCTAssertTrue(table.handle(.char("g"), area: area))
        XCTAssertEqual(table.selectedKey, 1)
        XCTAssertEqual(table.topIndex, 0)
        XCTAssertLessThan(source.rowsFetched, 500)
        _ = table.handle(.end, area: area)
        XCTAssertEqual(table.selectedKey, 1_000_000)
        _ = table.handle(.home, area: area)
        XCTAssertEqual(table.selectedKey, 1)
    }

    func testRenderShowsTheRowsInView() {
        let source = MillionRowSource()
        var table = makeTable(source)
        _ = table.handle(.char("G"), area: area)
        var buffer = CellBuffer(width: 80, height: 24)
        table.render(into: &buffer, area: area, theme: .monochrome)
        let lines = buffer.lines()
        XCTAssertTrue(lines[1].hasPrefix("      ID  Email"), lines[1])
        XCTAssertTrue(lines[22].hasPrefix(" 1000000  user1000000@example.com"), lines[22])
        XCTAssertTrue(lines[2].hasPrefix("  999980"), lines[2])
        XCTAssertEqual(buffer[5, 22].style.attributes, .reverse, "the selected row is reversed in monochrome")
        XCTAssertEqual(buffer[5, 21].style.attributes, [])
    }

    func testSortCyclesThroughSortableColumnsAndAsksTheSourceInThatOrder() {
        let source = MillionRowSource()
        var table = makeTable(source)
        XCTAssertTrue(table.handle(.char("s"), area: area))
        XCTAssertEqual(table.sort, TableSort(column: 0, ascending: true))
        XCTAssertEqual(table.selectedKey, 1)
        XCTAssertTrue(table.handle(.char("s"), area: area))
        XCTAssertEqual(table.sort, TableSort(column: 0, ascending: false))
        XCTAssertEqual(table.selectedKey, 1_000_000, "descending starts at the largest key")
        _ = table.handle(.char("j"), area: area)
        XCTAssertEqual(table.selectedKey, 999_999)
        XCTAssertTrue(table.handle(.char("s"), area: area))
        XCTAssertEqual(table.sort, TableSort(column: 2, ascending: true), "Email is not sortable and is skipped")
        _ = table.handle(.char("s"), area: area)
        _ = table.handle(.char("s"), area: area)
        XCTAssertNil(table.sort, "after the last column, back to the natural order")

        var buffer = CellBuffer(width: 80, height: 24)
        table.setSort(TableSort(column: 0, ascending: false))
        table.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertTrue(buffer.lines()[1].hasPrefix("    ID ▼"), buffer.lines()[1])
    }

    func testReloadKeepsTheSelectedKeyAndItsScreenRow() {
        let source = MillionRowSource()
        var table = makeTable(source)
        for _ in 0..<40 { table.moveSelection(by: 1) }
        let screenRow = table.selectedIndex - table.topIndex
        table.reload()
        XCTAssertEqual(table.selectedKey, 41)
        XCTAssertEqual(table.selectedIndex - table.topIndex, screenRow)
    }

    func testRevealJumpsToAKeyFarAway() {
        let source = MillionRowSource()
        var table = makeTable(source)
        table.reveal(key: 500_000)
        XCTAssertEqual(table.selectedKey, 500_000)
        XCTAssertEqual(table.selectedIndex - table.topIndex, 7, "a third of the way down")
        _ = table.handle(.char("k"), area: area)
        XCTAssertEqual(table.selectedKey, 499_999)
        XCTAssertLessThan(source.rowsFetched, 500)
    }

    func testMouseClickSelectsAndWheelScrolls() {
        let source = MillionRowSource()
        var table = makeTable(source)
        // Row 5 of the body is screen row area.y + 1 (header) + 5.
        XCTAssertTrue(table.handle(.mouse(MouseEvent(x: 10, y: area.y + 6, kind: .press)), area: area))
        XCTAssertEqual(table.selectedKey, 6)
        XCTAssertTrue(table.handle(.mouse(MouseEvent(x: 10, y: area.y + 6, kind: .wheelDown)), area: area))
        XCTAssertEqual(table.topIndex, 3)
        XCTAssertEqual(table.selectedKey, 6, "the selection stays while it is in view")
        for _ in 0..<3 { _ = table.handle(.mouse(MouseEvent(x: 10, y: 5, kind: .wheelDown)), area: area) }
        XCTAssertEqual(table.topIndex, 12)
        XCTAssertEqual(table.selectedKey, 13, "pulled along once it would leave the view")
        XCTAssertFalse(table.handle(.mouse(MouseEvent(x: 10, y: 0, kind: .press)), area: area), "outside the table")
        // A click on a sortable title sorts by it; again reverses.
        XCTAssertTrue(table.handle(.mouse(MouseEvent(x: 3, y: area.y, kind: .press)), area: area))
        XCTAssertEqual(table.sort, TableSort(column: 0, ascending: true))
        XCTAssertTrue(table.handle(.mouse(MouseEvent(x: 3, y: area.y, kind: .press)), area: area))
        XCTAssertEqual(table.sort, TableSort(column: 0, ascending: false))
        XCTAssertFalse(table.handle(.mouse(MouseEvent(x: 30, y: area.y, kind: .press)), area: area), "Email is not sortable")
    }

    func testEmptySourceAndFailuresAreShownInTheTable() {
        var empty = Table(columns: columns, source: InMemoryTableSource<Int>(rows: []))
        empty.fit(to: area)
        XCTAssertNil(empty.selectedRow)
        XCTAssertTrue(empty.handle(.char("j"), area: area))
        XCTAssertTrue(empty.handle(.char("G"), area: area))
        var buffer = CellBuffer(width: 80, height: 24)
        empty.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[2], " No rows")

        let source = MillionRowSource()
        source.failing = true
        var failing = makeTable(source)
        buffer = CellBuffer(width: 80, height: 24)
        failing.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[2], " Could not load rows: database is locked")
        source.failing = false
        failing.reload()
        XCTAssertNil(failing.loadError)
        XCTAssertEqual(failing.selectedKey, 1)
    }

    func testUnusedKeysAreLeftToTheScreen() {
        var table = makeTable(MillionRowSource())
        XCTAssertFalse(table.handle(.enter, area: area))
        XCTAssertFalse(table.handle(.char("/"), area: area))
        XCTAssertFalse(table.handle(.escape, area: area))
    }

    func testInMemorySourceSortsAndPagesByKey() {
        let rows = ["pear", "Apple", "fig", "10", "9"].enumerated().map { TableRow(key: $0.offset, cells: [TableCell($0.element)]) }
        let source = InMemoryTableSource(rows: rows)
        let ascending = TableSort(column: 0, ascending: true)
        XCTAssertEqual(source.rows(after: nil, limit: 10, sort: ascending).map { $0.cells[0].text }, ["9", "10", "Apple", "fig", "pear"])
        XCTAssertEqual(source.rows(after: 2, limit: 10, sort: ascending).map { $0.cells[0].text }, ["pear"])
        XCTAssertEqual(source.rows(before: nil, limit: 2, sort: ascending).map { $0.cells[0].text }, ["pear", "fig"])
        XCTAssertEqual(source.rows(before: 1, limit: 10, sort: nil).map { $0.cells[0].text }, ["pear"])
        let numeric = InMemoryTableSource(rows: ["10", "9", "100"].enumerated().map { TableRow(key: $0.offset, cells: [TableCell($0.element)]) })
        XCTAssertEqual(numeric.rows(after: nil, limit: 5, sort: ascending).map { $0.cells[0].text }, ["9", "10", "100"])
    }
}

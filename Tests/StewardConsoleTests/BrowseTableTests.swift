import Foundation
import Synchronization
import XCTest
@testable import StewardConsole
import StewardCore

/// The numbers 1...count as a service would list them: keyset pages after a cursor, at
/// most `limit` at a time, the text filter matching digits. Every call is logged, so a
/// test can tell when (and how) the service was asked.
private struct NumberListing: BrowseListing {
    final class CallLog: Sendable {
        let cursors = Mutex<[String?]>([])
        var count: Int { cursors.withLock { $0.count } }
    }

    let count: Int
    let log = CallLog()

    var title: String { "Numbers" }
    var noun: String { "numbers" }
    var searchHint: String { "search" }
    var columns: [TableColumn] { [TableColumn("N", width: .fixed(8), alignment: .right, isSortable: true)] }

    func key(of item: Int) -> Int { item }
    func row(_ item: Int) -> TableRow<Int> { TableRow(key: item, cells: [TableCell(String(item))]) }
    func cursor(after key: Int) -> String { String(key) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != false }

    func list(_ filter: BrowseFilter<NoStatus>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<Int> {
        log.cursors.withLock { $0.append(cursor) }
        var items: [Int] = []
        var next = cursor.flatMap { Int($0) }.map { reversed ? $0 - 1 : $0 + 1 } ?? (reversed ? count : 1)
        while items.count < limit && next >= 1 && next <= count {
            if filter.text.map({ String(next).contains($0) }) ?? true { items.append(next) }
            next += reversed ? -1 : 1
        }
        let more = next >= 1 && next <= count
        return Page(items: items, nextCursor: more ? items.last.map(String.init) : nil)
    }

    func summary(_ filter: BrowseFilter<NoStatus>, sort: TableSort?) -> String { filter.text.map { "search: \($0)" } ?? "all numbers" }
    func detail(_ item: Int, highlight: String?) -> DetailView { DetailView(title: "Number \(item)") }
}

final class BrowseTableTests: XCTestCase {
    private typealias Browse = BrowseTable<NumberListing>
    private let area = Rect(x: 0, y: 1, width: 40, height: 22)

    /// The works an effect asks for, in order.
    private func works(in effect: ScreenEffect<Browse.Message>) -> [ScreenWork<Browse.Message>] {
        switch effect {
        case .perform(let work): return [work]
        case .batch(let effects): return effects.flatMap(works(in:))
        default: return []
        }
    }

    /// Runs each work as the runner would and hands its message back, until no work is left.
    private func finish(_ effect: ScreenEffect<Browse.Message>, on browse: inout Browse) throws {
        var pending = works(in: effect)
        while !pending.isEmpty {
            let work = pending.removeFirst()
            guard case .message(let message) = try BlockingCall.run({ await work.run() }) else { return XCTFail("no session to end here") }
            pending += works(in: browse.receive(message))
        }
    }

    private func text(of browse: Browse) -> [String] {
        var buffer = CellBuffer(width: 40, height: 24)
        browse.render(into: &buffer, area: area, theme: .monochrome)
        return buffer.lines()
    }

    func testUpdateNeverCallsTheServiceAndPagesArriveAsMessages() throws {
        let listing = NumberListing(count: 10_000)
        var browse = BrowseTable(listing)
        let effect = browse.layout(area)
        XCTAssertEqual(listing.log.count, 0, "laying out only asks for a page")
        XCTAssertEqual(works(in: effect).count, 1)
        XCTAssertEqual(text(of: browse)[3], " Loading…")
        try finish(effect, on: &browse)
        XCTAssertEqual(browse.selectedKey, 1)
        XCTAssertEqual(browse.table.rows.count, browse.table.fetchSize)
        XCTAssertEqual(listing.log.cursors.withLock { $0 }, [nil], "one page of at most 100, from the start")

        // The bottom is one page asked for by key, not everything above it; the old rows
        // stay on screen until it arrives.
        let bottom = try XCTUnwrap(browse.handle(.char("G")))
        XCTAssertEqual(browse.selectedKey, 1, "nothing moves before the page is there")
        XCTAssertEqual(text(of: browse)[3].trimmingCharacters(in: .whitespaces), "1")
        try finish(bottom, on: &browse)
        XCTAssertEqual(browse.selectedKey, 10_000)
        XCTAssertLessThan(listing.log.count, 6)
        XCTAssertLessThan(browse.table.rows.count, 500, "the table holds a window, never the whole list")
    }

    func testAPageForAnOldFilterIsDroppedAndTheFilterSaysSo() throws {
        let listing = NumberListing(count: 500)
        var browse = BrowseTable(listing)
        let unfiltered = browse.layout(area)
        let filtered = try XCTUnwrap(browse.command(CommandLineInput("search 77")))
        // The unfiltered page arrives late: it must not show under the new filter.
        try finish(unfiltered, on: &browse)
        XCTAssertNil(browse.selectedKey)
        XCTAssertTrue(browse.table.isWaitingForPage)
        try finish(filtered, on: &browse)
        XCTAssertEqual(browse.table.rows.map(\.key), [77, 177, 277, 377, 477])
        XCTAssertTrue(text(of: browse)[1].contains("search: 77"))
        // n moves through the matches; Esc clears the filter.
        _ = browse.handle(.char("n"))
        XCTAssertEqual(browse.selectedKey, 177)
        try finish(try XCTUnwrap(browse.handle(.escape)), on: &browse)
        XCTAssertEqual(browse.selectedKey, 1)
        XCTAssertTrue(browse.filter.isEmpty)
    }

    func testEnterOpensTheSelectedItemAndEscGoesBack() throws {
        var browse = BrowseTable(NumberListing(count: 50))
        try finish(browse.layout(area), on: &browse)
        _ = browse.handle(.char("j"))
        _ = browse.handle(.enter)
        XCTAssertEqual(browse.detail?.key, 2)
        XCTAssertTrue(text(of: browse).joined().contains("Number 2"))
        XCTAssertNil(browse.handle(.char("p")), "other keys are the screen's actions")
        _ = browse.handle(.escape)
        XCTAssertFalse(browse.isShowingDetail)
    }

    func testAFailedPageIsShownInTheTable() throws {
        var browse = BrowseTable(NumberListing(count: 50))
        let effect = browse.layout(area)
        let work = try XCTUnwrap(works(in: effect).first)
        guard case .message(let failure) = try BlockingCall.run({
            await ScreenWork<Browse.Message>(failure: work.failure) { throw StewardError(.internalError, "database is locked") }.run()
        }) else { return XCTFail("not a session end") }
        _ = browse.receive(failure)
        XCTAssertEqual(text(of: browse)[3], " Could not load rows: database is locked")
    }
}

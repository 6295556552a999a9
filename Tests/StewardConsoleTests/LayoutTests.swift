import XCTest
@testable import StewardConsole

final class LayoutTests: XCTestCase {
    func testSplitRowsGivesFixedBandsAndFillsTheRest() {
        let screen = Rect(width: 80, height: 24)
        let parts = screen.splitRows([.fixed(1), .fill, .fixed(1)])
        XCTAssertEqual(parts, [
            Rect(x: 0, y: 0, width: 80, height: 1),
            Rect(x: 0, y: 1, width: 80, height: 22),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
    }

    func testSplitColumnsByWeightHandsOutRoundingLeftovers() {
        let parts = Rect(x: 2, y: 1, width: 101, height: 5).splitColumns([.fill(weight: 2, minimum: 0), .fill(weight: 1, minimum: 0)])
        XCTAssertEqual(parts.map(\.width), [67, 34])
        XCTAssertEqual(parts.map(\.x), [2, 69])
        XCTAssertEqual(parts.map(\.width).reduce(0, +), 101)
    }

    func testMinimumsAreServedBeforeShares() {
        let parts = Rect(width: 30, height: 1).splitColumns([.fixed(10), .fill(weight: 1, minimum: 15), .fill(weight: 3, minimum: 0)])
        XCTAssertEqual(parts.map(\.width), [10, 16, 4])
    }

    func testShortageShrinksLaterPiecesFirst() {
        let parts = Rect(width: 12, height: 1).splitColumns([.fixed(8), .fixed(8), .fill])
        XCTAssertEqual(parts.map(\.width), [8, 4, 0])
    }

    func testInsetCenteredAndIntersection() {
        let area = Rect(x: 0, y: 0, width: 80, height: 24)
        XCTAssertEqual(area.inset(by: 1), Rect(x: 1, y: 1, width: 78, height: 22))
        XCTAssertEqual(area.centered(width: 40, height: 10), Rect(x: 20, y: 7, width: 40, height: 10))
        XCTAssertEqual(area.centered(width: 100, height: 30), area)
        XCTAssertEqual(Rect(x: 0, y: 0, width: 3, height: 3).inset(by: 2).width, 0, "never negative")
        XCTAssertEqual(Rect(x: 5, y: 5, width: 10, height: 10).intersection(area.inset(top: 0, left: 0, bottom: 14, right: 70)),
                       Rect(x: 5, y: 5, width: 5, height: 5))
        XCTAssertTrue(area.contains(x: 79, y: 23))
        XCTAssertFalse(area.contains(x: 80, y: 0))
    }
}

import XCTest
@testable import StewardConsole

/// Clusters made of several symbols — ZWJ sequences and flags — are measured, cut and
/// drawn whole: every symbol of them reaches the screen, or none does and "…" says so.
/// None is ever shown as its first code point (one man for a family, one letter for a flag).
final class GraphemeClusterTests: XCTestCase {
    let family = "👨‍👩‍👧"  // man, ZWJ, woman, ZWJ, girl: one cluster
    let japan = "🇯🇵"  // two regional indicators: one cluster

    func testAClusterOfSeveralSymbolsIsAsWideAsItsSymbolsSideBySide() {
        XCTAssertEqual(family.count, 1)
        XCTAssertEqual(DisplayWidth.of(Character(family)), 6)
        XCTAssertEqual(DisplayWidth.of(Character(japan)), 2)
        XCTAssertEqual(DisplayWidth.of("a" + japan + "b"), 4)
        XCTAssertEqual(DisplayWidth.symbols(of: Character(family)).map(\.text), ["👨", "👩", "👧"], "the joiners stay behind")
        XCTAssertEqual(DisplayWidth.symbols(of: Character(japan)).map(\.text), ["🇯", "🇵"])
        XCTAssertEqual(DisplayWidth.symbols(of: Character("e\u{301}")).map(\.text), ["e\u{301}"], "an accent stays on its letter")
    }

    func testTruncationKeepsAClusterWholeOrLeavesItForTheEllipsis() {
        XCTAssertEqual(DisplayWidth.truncate("ab" + family + "cd", toWidth: 7), "ab…", "the family does not fit in 4 columns")
        XCTAssertEqual(DisplayWidth.truncate("ab" + family + "cd", toWidth: 9), "ab" + family + "…")
        XCTAssertEqual(DisplayWidth.truncate(japan + japan + japan, toWidth: 5), japan + japan + "…")
        XCTAssertEqual(DisplayWidth.truncate(japan + "x", toWidth: 2), "…", "never half a flag")
        XCTAssertEqual(DisplayWidth.fit(family, toWidth: 4), "…   ")
    }

    func testWrappingBreaksBetweenClusters() {
        XCTAssertEqual(TextWrap.lines(family + family, width: 7), [family, family])
        XCTAssertEqual(TextWrap.lines(String(repeating: japan, count: 3), width: 5), [japan + japan, japan])
    }

    func testTheBufferDrawsEverySymbolOfTheClusterInItsOwnCell() {
        var buffer = CellBuffer(width: 12, height: 1)
        let advanced = buffer.put("x" + family + japan + "y", x: 0, y: 0, style: .plain)
        XCTAssertEqual(advanced, 10)
        let drawn = (0..<buffer.width).map { buffer[$0, 0] }
        XCTAssertEqual(drawn.filter { !$0.isContinuation }.flatMap { $0.drawableScalars() }.map(String.init).joined(),
                       "x👨👩👧🇯🇵y  ", "what the terminal receives: every symbol, no joiner")
        XCTAssertEqual(buffer.lines(), ["x👨👩👧🇯🇵y"])
    }

    func testTheBufferPadsAClusterThatDoesNotFitInsteadOfDrawingItsFirstSymbol() {
        var buffer = CellBuffer(width: 10, height: 1)
        buffer.put("ab" + family, x: 0, y: 0, style: .plain, maxWidth: 5)
        XCTAssertEqual(buffer.lines(), ["ab"])
        XCTAssertEqual((2..<5).map { buffer[$0, 0].text }, [" ", " ", " "])
        XCTAssertFalse(buffer.cells.contains { $0.text.unicodeScalars.contains("👨") })
        buffer.put("a" + japan, x: 0, y: 0, style: .plain, maxWidth: 2)
        XCTAssertEqual(buffer[1, 0].text, " ", "not 🇯 alone")
    }
}

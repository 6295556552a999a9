import XCTest
@testable import StewardConsole
import StewardCore

final class CellBufferTests: XCTestCase {
    func testPutClipsToMaxWidthAndBufferEdge() {
        var buffer = CellBuffer(width: 10, height: 2)
        XCTAssertEqual(buffer.put("hello world", x: 0, y: 0, style: .plain, maxWidth: 5), 5)
        XCTAssertEqual(buffer.put("abcdef", x: 7, y: 1, style: .plain), 3)
        XCTAssertEqual(buffer.lines(), ["hello", "       abc"])
    }

    func testWideCharacterTakesTwoCellsWithContinuation() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("a中b", x: 0, y: 0, style: .plain)
        XCTAssertEqual(buffer[1, 0].text, "中")
        XCTAssertTrue(buffer[2, 0].isContinuation)
        XCTAssertEqual(buffer[3, 0].text, "b")
        XCTAssertEqual(buffer.text(), "a中b")
    }

    func testWideCharacterAtTheEdgeBecomesASpace() {
        var buffer = CellBuffer(width: 5, height: 1)
        buffer.fill(buffer.area, with: ".", style: .plain)
        let advanced = buffer.put("abcd中", x: 0, y: 0, style: .plain)
        XCTAssertEqual(advanced, 5)
        XCTAssertEqual(buffer.text(), "abcd", "the last cell holds a padding space, trimmed in text()")
        XCTAssertEqual(buffer[4, 0].text, " ")

        var limited = CellBuffer(width: 10, height: 1)
        limited.fill(limited.area, with: ".", style: .plain)
        limited.put("ab中", x: 0, y: 0, style: .plain, maxWidth: 3)
        XCTAssertEqual(limited.text(), "ab .......", "never drawn past maxWidth")
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("中文", x: 0, y: 0, style: .plain)
        buffer.put("x", x: 1, y: 0, style: .plain)  // right half of 中
        XCTAssertEqual(buffer.text(), " x文")
        buffer.put("y", x: 2, y: 0, style: .plain)  // left half of 文
        XCTAssertEqual(buffer.text(), " xy")
        XCTAssertFalse(buffer[3, 0].isContinuation)
    }

    func testTextStartingLeftOfTheBufferIsClipped() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("中abc", x: -1, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(), " abc")
    }

    func testTerminalTitleInjectionIsRenderedInert() {
        var buffer = CellBuffer(width: 30, height: 1)
        buffer.put("\u{1B}]0;pwned\u{07}name", x: 0, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(), "␛]0;pwned␇name")
        XCTAssertFalse(buffer.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 } })
    }

    func testClearScreenSequenceIsRenderedInert() {
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put("a\u{1B}[2Jb\u{1B}[H", x: 0, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(), "a␛[2Jb␛[H")
    }

    func testEveryKindOfControlIsReplaced() {
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put("1\n2\t3\r4\u{7F}5\u{9B}6\u{202E}7\u{2066}8\u{0}", x: 0, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(), "1␊2␉3␍4␡5�6�7�8␀")
        var crlf = CellBuffer(width: 10, height: 1)
        crlf.put("a\r\nb", x: 0, y: 0, style: .plain)
        XCTAssertEqual(crlf.text(), "a␍␊b")
        for cell in buffer.cells + crlf.cells {
            for scalar in cell.text.unicodeScalars {
                XCTAssertNil(TerminalSafe.replacement(for: scalar), "cell holds control U+\(String(scalar.value, radix: 16))")
            }
        }
    }

    func testCombiningMarksStayWithTheirBase() {
        var buffer = CellBuffer(width: 10, height: 1)
        buffer.put("Ame\u{301}lie", x: 0, y: 0, style: .plain)
        XCTAssertEqual(buffer[2, 0].text, "e\u{301}")
        XCTAssertEqual(buffer[3, 0].text, "l")
        XCTAssertEqual(buffer[2, 0].drawableScalars(), ["e", "\u{301}"])
    }

    func testDrawableScalarsKeepOnlyTheBaseOfMultiColumnClusters() {
        let family = Cell(text: "👨‍👩‍👧", style: .plain)
        XCTAssertEqual(family.drawableScalars(), ["👨"], "the rest of the family and the joiners stay behind")
        XCTAssertEqual(Cell(text: "\u{2764}\u{FE0F}", style: .plain).drawableScalars(), ["\u{2764}"])
        XCTAssertEqual(Cell(text: "a\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}", style: .plain).drawableScalars().count, 5, "ncurses keeps five per cell")
        XCTAssertEqual(Cell(text: "x", style: .plain).drawableScalars(), ["x"])
    }

    func testFillAndRestyle() {
        var buffer = CellBuffer(width: 5, height: 3)
        let red = Style(foreground: .red)
        buffer.fill(Rect(x: 1, y: 1, width: 10, height: 1), with: "─", style: red)
        XCTAssertEqual(buffer.lines(), ["", " ────", ""])
        XCTAssertEqual(buffer[4, 1].style, red)
        buffer.restyle(Rect(x: 0, y: 0, width: 2, height: 1), style: Style(attributes: .bold))
        XCTAssertEqual(buffer[1, 0].style.attributes, .bold)
        XCTAssertEqual(buffer[1, 0].text, " ")
    }

    func testDiffReportsOnlyChangedRuns() {
        var before = CellBuffer(width: 10, height: 3)
        before.put("hello", x: 0, y: 0, style: .plain)
        var after = before
        after.put("J", x: 0, y: 0, style: .plain)
        after.put("xy", x: 5, y: 2, style: .plain)
        let runs = after.diff(from: before)
        XCTAssertEqual(runs.map(\.x), [0, 5])
        XCTAssertEqual(runs.map(\.y), [0, 2])
        XCTAssertEqual(runs.map { $0.cells.map(\.text).joined() }, ["J", "xy"])
        XCTAssertEqual(after.diff(from: after), [])
    }

    func testDiffNeverSplitsAWideCharacter() {
        var before = CellBuffer(width: 6, height: 1)
        before.put("中", x: 2, y: 0, style: .plain)
        var after = before
        after.restyle(Rect(x: 3, y: 0, width: 1, height: 1), style: Style(attributes: .bold))
        let runs = after.diff(from: before)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].x, 2, "widened back to the head of the wide character")
        XCTAssertEqual(runs[0].cells.map(\.text), ["中", ""])
    }

    func testDiffOfDifferentSizesRedrawsEverything() {
        let small = CellBuffer(width: 3, height: 2)
        var large = CellBuffer(width: 4, height: 3)
        large.put("abcd", x: 0, y: 0, style: .plain)
        let runs = large.diff(from: small)
        XCTAssertEqual(runs.count, 3)
        XCTAssertTrue(runs.allSatisfy { $0.x == 0 && $0.cells.count == 4 })
    }

    func testApplyingTheDiffReproducesTheFrame() {
        var before = CellBuffer(width: 12, height: 2)
        before.put("a中文bc", x: 0, y: 0, style: .plain)
        var after = before
        after.put("x", x: 2, y: 0, style: .plain)
        after.put("😀!", x: 8, y: 1, style: Style(foreground: .green))
        var replayed = before
        for run in after.diff(from: before) {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                replayed.put(cell.text, x: run.x + offset, y: run.y, style: cell.style, maxWidth: DisplayWidth.of(cell.text))
            }
        }
        XCTAssertEqual(replayed, after)
    }

    func testWideCharactersLineUpInATableAtEightyColumns() {
        let columns = [
            TableColumn("Name", width: .fixed(16)),
            TableColumn("Email", width: .fill(weight: 1, minimum: 10)),
            TableColumn("Role", width: .fixed(10)),
            TableColumn("Posts", width: .fixed(5), alignment: .right),
        ]
        let rows: [TableRow<Int>] = [
            TableRow(key: 1, cells: ["山田 太郎", "taro@example.jp", "admin", "12"]),
            TableRow(key: 2, cells: ["Zoë 👩‍💻 Dev", "zoe@example.com", "moderator", "3"]),
            TableRow(key: 3, cells: ["Ame\u{301}lie Poulain", "amelie@example.fr", "user", "140"]),
            TableRow(key: 4, cells: ["김민준", "minjun@example.kr", "user", "7"]),
            TableRow(key: 5, cells: ["Ｆｕｌｌｗｉｄｔｈ ｎａｍｅ ｔｏｏ ｌｏｎｇ", "long@example.com", "user", "0"]),
            TableRow(key: 6, cells: ["\u{1B}[31mEvil\u{7}", "evil@example.com\u{1B}]0;x\u{7}", "user", "1"]),
        ]
        var table = Table(columns: columns, source: InMemoryTableSource(rows: rows))
        var buffer = CellBuffer(width: 80, height: 8)
        table.fit(to: buffer.area)
        table.render(into: &buffer, area: buffer.area, theme: .monochrome)
        Snapshot.assertMatches(buffer, named: "table-wide-characters-80")
        // The right-aligned Posts column ends at column 80 on every row, so every row is
        // exactly 80 columns wide however many wide or combining characters came before.
        for line in buffer.lines().prefix(rows.count + 1) {
            XCTAssertEqual(DisplayWidth.of(line), 80, line)
        }
        let roleColumns = buffer.lines().dropFirst().prefix(rows.count).map { line -> Int? in
            for word in ["admin", "moderator", "user"] {
                if let column = Self.column(of: word, in: line) { return column }
            }
            return nil
        }
        XCTAssertEqual(Set(roleColumns.compactMap { $0 }).count, 1, "the Role column starts at one display column on every row")
    }

    /// The display column at which `needle` first appears in `line`.
    private static func column(of needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return DisplayWidth.of(String(line[..<range.lowerBound]))
    }
}

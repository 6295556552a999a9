import Foundation
import XCTest
@testable import StewardConsole

final class WidgetTests: XCTestCase {
    func testTabBarSwitchesByDigitTabAndClick() {
        var tabs = TabBar(titles: ["Users", "Roles", "Posts", "Comments", "Logs"], label: " Steward ")
        let area = Rect(width: 80, height: 1)
        XCTAssertTrue(tabs.handle(.char("3"), area: area))
        XCTAssertEqual(tabs.activeIndex, 2)
        XCTAssertFalse(tabs.handle(.char("6"), area: area), "no sixth tab")
        XCTAssertFalse(tabs.handle(.char("0"), area: area))
        XCTAssertTrue(tabs.handle(.tab, area: area))
        XCTAssertEqual(tabs.activeIndex, 3)
        XCTAssertTrue(tabs.handle(.tab, area: area))
        XCTAssertTrue(tabs.handle(.tab, area: area))
        XCTAssertEqual(tabs.activeIndex, 0, "Tab wraps around")
        XCTAssertTrue(tabs.handle(.backTab, area: area))
        XCTAssertEqual(tabs.activeIndex, 4)

        var buffer = CellBuffer(width: 80, height: 1)
        tabs.render(into: &buffer, area: area, theme: .monochrome)
        let line = buffer.lines()[0]
        XCTAssertEqual(line, " Steward  1 Users   2 Roles   3 Posts   4 Comments   5 Logs")
        let rolesColumn = DisplayWidth.of(String(line[..<line.range(of: "Roles")!.lowerBound]))
        XCTAssertEqual(tabs.tabIndex(atColumn: rolesColumn, in: area), 1)
        XCTAssertTrue(tabs.handle(.mouse(MouseEvent(x: rolesColumn + 2, y: 0, kind: .press)), area: area))
        XCTAssertEqual(tabs.activeIndex, 1)
        XCTAssertNil(tabs.tabIndex(atColumn: 79, in: area))
        XCTAssertFalse(tabs.handle(.mouse(MouseEvent(x: rolesColumn, y: 5, kind: .press)), area: area), "a click below the bar")
        buffer = CellBuffer(width: 80, height: 1)
        tabs.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertEqual(buffer[rolesColumn, 0].style.attributes, [.reverse, .bold], "the active tab stands out")
        XCTAssertEqual(buffer[rolesColumn + 10, 0].style.attributes, [.bold], "inactive tabs take the header's bold")
    }

    func testConfirmDialogKeys() {
        var dialog = ConfirmDialog(title: "Delete post", message: "Delete it?", confirmLabel: "Delete", cancelLabel: "Cancel", isDestructive: true)
        XCTAssertFalse(dialog.confirmIsFocused, "destructive dialogs start on Cancel")
        XCTAssertEqual(dialog.handle(.enter), .cancelled)
        XCTAssertNil(dialog.handle(.left))
        XCTAssertTrue(dialog.confirmIsFocused)
        XCTAssertEqual(dialog.handle(.enter), .confirmed)
        XCTAssertEqual(dialog.handle(.char("y")), .confirmed)
        XCTAssertEqual(dialog.handle(.char("n")), .cancelled)
        XCTAssertEqual(dialog.handle(.escape), .cancelled)
        XCTAssertNil(dialog.handle(.char("x")), "other keys keep it open")
        let plain = ConfirmDialog(title: "Publish", message: "Publish it?")
        XCTAssertTrue(plain.confirmIsFocused)
    }

    func testHelpOverlayGroupsScrollsAndCloses() {
        var hints: KeyHintList = []
        for index in 0..<40 {
            hints.hints.append(KeyHint(key: "k\(index)", action: "action \(index)", section: index < 20 ? "Navigation" : "Posts"))
        }
        var help = HelpOverlay(hints: hints)
        let area = Rect(width: 80, height: 24)
        var buffer = CellBuffer(width: 80, height: 24)
        help.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertTrue(buffer.text().contains("Navigation"))
        XCTAssertFalse(buffer.text().contains("action 39"))
        XCTAssertEqual(help.handle(.char("G"), area: area), .open)
        buffer = CellBuffer(width: 80, height: 24)
        help.render(into: &buffer, area: area, theme: .monochrome)
        XCTAssertTrue(buffer.text().contains("action 39"))
        XCTAssertFalse(buffer.text().contains("Navigation"), "scrolled past the first section")
        XCTAssertEqual(help.handle(.char("g"), area: area), .open)
        XCTAssertEqual(help.scrollOffset, 0)
        XCTAssertEqual(help.handle(.char("k"), area: area), .open)
        XCTAssertEqual(help.scrollOffset, 0, "never above the top")
        XCTAssertEqual(help.handle(.escape, area: area), .dismissed)
        XCTAssertEqual(help.handle(.char("?"), area: area), .dismissed)
    }

    func testKeyHintListFeedsStatusBarAndHelpFromOneSource() {
        let hints: KeyHintList = [
            KeyHint(key: "j/k", action: "move", section: "Navigation", isProminent: true),
            KeyHint(key: "g/G", action: "top/bottom", section: "Navigation"),
            KeyHint(key: "p", action: "publish", section: "Posts", isProminent: true),
            KeyHint(key: "?", action: "help", isProminent: true),
        ]
        XCTAssertEqual(hints.prominent.map(\.key), ["j/k", "p", "?"])
        XCTAssertEqual(hints.sections.map(\.title), ["Navigation", "Posts", "General"])
        XCTAssertEqual(hints.sections[0].hints.map(\.key), ["j/k", "g/G"])
        XCTAssertEqual(hints.appending([KeyHint(key: "q", action: "quit")]).hints.count, 5)
    }

    func testStatusBarDropsWholeHintsThenShortensSegments() {
        let hints = [
            KeyHint(key: "j/k", action: "move"), KeyHint(key: "Enter", action: "open"),
            KeyHint(key: "/", action: "filter"), KeyHint(key: "?", action: "help"), KeyHint(key: "q", action: "quit"),
        ]
        var bar = StatusBar(segments: [StatusSegment("alice (admin)"), StatusSegment("data/steward.sqlite"), StatusSegment("HTTP off")], hints: hints)
        var buffer = CellBuffer(width: 120, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        let wide = buffer.lines()[0]
        XCTAssertTrue(wide.hasPrefix(" alice (admin) │ data/steward.sqlite │ HTTP off   "), wide)
        XCTAssertTrue(wide.hasSuffix("   j/k move  Enter open  / filter  ? help  q quit"), wide)
        XCTAssertEqual(DisplayWidth.of(wide), 119, "hints end one column before the edge")

        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " alice (admin) │ data/steward.sqlite │ HTTP off  j/k move  Enter open  / filter")

        buffer = CellBuffer(width: 30, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " alice (admin) │ data/stewar…", "the last segment that fits is shortened")

        bar.message = StatusSegment("Post 42 published", role: .success)
        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertTrue(buffer.lines()[0].hasSuffix("Post 42 published"))
        XCTAssertFalse(buffer.lines()[0].contains("j/k"), "the message replaces the hints")
        XCTAssertTrue(buffer.cells.allSatisfy { $0.style.attributes.contains(.reverse) }, "the whole bar is reversed in monochrome")
    }

    func testStatusBarEndsWithItsTrailingHintAndShortensAPathFromTheLeft() {
        let hints = [KeyHint(key: "Enter", action: "open"), KeyHint(key: "/", action: "full-text search"), KeyHint(key: "p", action: "publish")]
        var bar = StatusBar(segments: [StatusSegment("Margit Halvorsen (admin)", minimumWidth: 12),
                                       StatusSegment("/srv/data/steward-production.sqlite", truncation: .head, minimumWidth: 16),
                                       StatusSegment("HTTP off")],
                            hints: hints, trailingHint: KeyHint(key: "?", action: "help"))
        var buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " Margit Halv… │ …/data/steward-production.sqlite │ HTTP off  Enter open  ? help",
                       "the first segment gives way first, to its minimum, for the first hint and ? help")

        bar.segments[0].minimumWidth = nil
        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " Margit Halvorsen (admin) │ …d-production.sqlite │ HTTP off  Enter open  ? help",
                       "then the path, from the left: the file name stays")
        bar.segments[0].minimumWidth = 12

        bar.segments[1].text = "steward.sqlite"
        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " Margit Halvorsen (admin) │ steward.sqlite │ HTTP off        Enter open  ? help",
                       "whole hints in order, then ? help; / full-text search did not fit and is not cut")

        buffer = CellBuffer(width: 120, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertTrue(buffer.lines()[0].hasSuffix("Enter open  / full-text search  p publish  ? help"), buffer.lines()[0])

        bar.message = StatusSegment("Post 42 published", role: .success)
        bar.segments[0].yieldsToMessage = true
        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(buffer.lines()[0], " Margit Halvorsen (admin) │ steward.sqlite │ HTTP off         Post 42 published",
                       "a message that fits leaves the account where it is")

        bar.message = StatusSegment(String(repeating: "long message ", count: 10), role: .error)
        buffer = CellBuffer(width: 80, height: 1)
        bar.render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertTrue(buffer.lines()[0].hasPrefix(" steward.sqlite │ HTTP off  long message"), buffer.lines()[0])
        XCTAssertTrue(buffer.lines()[0].hasSuffix("…"), "a message is shortened, never the segments for it")
    }

    func testSegmentsShortenAtTheirEnd() {
        XCTAssertEqual(StatusSegment("/a/b/steward.sqlite", truncation: .head).text(fittingWidth: 10), "…rd.sqlite")
        XCTAssertEqual(StatusSegment("Margit Halvorsen", truncation: .tail).text(fittingWidth: 8), "Margit …")
        XCTAssertEqual(StatusSegment("short", truncation: .head).text(fittingWidth: 10), "short")
    }

    func testSparklineScalesToTheLargestValue() {
        XCTAssertEqual(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7, 8]).line(width: 9), " ▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline(values: [1, 100]).line(width: 2), "▁█", "small values still show")
        XCTAssertEqual(Sparkline(values: [5, 10], maxValue: 20).line(width: 4), "  ▂▄")
        XCTAssertEqual(Sparkline(values: Array(repeating: 1, count: 100)).line(width: 5), "█████", "only the newest values that fit")
        XCTAssertEqual(Sparkline(values: []).line(width: 3), "")

        var tall = CellBuffer(width: 3, height: 2)
        Sparkline(values: [4, 8, 16]).render(into: &tall, area: tall.area, theme: .monochrome)
        XCTAssertEqual(tall.lines(), ["  █", "▄██"])
    }

    func testDetailViewWrapsScrollsAndHighlights() {
        let body = (1...30).map { "Line \($0) of the body, long enough to wrap at a narrow width." }.joined(separator: "\n")
        var detail = DetailView(title: "Post 42", fields: [DetailField("Status", "published", role: .statusPublished), DetailField("Author", "山田 太郎")], body: body, highlight: "LINE 3")
        let area = Rect(width: 40, height: 12)
        var buffer = CellBuffer(width: 40, height: 12)
        detail.render(into: &buffer, area: area, theme: .monochrome)
        let lines = buffer.lines()
        XCTAssertEqual(lines[1], "│ Status  published                    │")
        XCTAssertEqual(lines[2], "│ Author  山田 太郎                    │")
        XCTAssertTrue(lines[3].hasPrefix("│ ───"))
        XCTAssertTrue(lines[11].contains("1–10 of"), lines[11])
        XCTAssertTrue(detail.handle(.char("G"), area: area))
        let total = detail.lineCount(in: area)
        XCTAssertEqual(detail.scrollOffset, total - 10)
        XCTAssertTrue(detail.handle(.char("j"), area: area))
        XCTAssertEqual(detail.scrollOffset, total - 10, "never past the last page")
        XCTAssertTrue(detail.handle(.char("g"), area: area))
        XCTAssertEqual(detail.scrollOffset, 0)
        XCTAssertTrue(detail.handle(.mouse(MouseEvent(x: 5, y: 5, kind: .wheelDown)), area: area))
        XCTAssertEqual(detail.scrollOffset, 3)
        XCTAssertFalse(detail.handle(.escape, area: area), "Esc is the screen's")

        detail.scrollToTop()
        buffer = CellBuffer(width: 40, height: 12)
        detail.render(into: &buffer, area: area, theme: .monochrome)
        // "Line 3" is on the third body line: screen row 4 (after 2 fields and the rule) + 2 wraps each.
        let row = buffer.lines().firstIndex { $0.contains("Line 3 of") }!
        let column = DisplayWidth.of(String(buffer.lines()[row].prefix { $0 != "L" }))
        XCTAssertEqual(buffer[column, row].style.attributes, [.bold, .underline], "match role")
        XCTAssertEqual(buffer[column + 6, row].style.attributes, [], "only the match")
    }

    func testNoticeForATooSmallTerminal() {
        var buffer = CellBuffer(width: 60, height: 20)
        Notice.terminalTooSmall(width: 60, height: 20).render(into: &buffer, area: buffer.area, theme: .monochrome)
        let text = buffer.lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(text.contains("Steward needs at least 80×24; this terminal is 60×20."), text)
    }

    func testFrameTitleAndFooter() {
        var buffer = CellBuffer(width: 20, height: 3)
        let inner = Frame(title: "Users", footer: "1–5").render(into: &buffer, area: buffer.area, theme: .monochrome)
        XCTAssertEqual(inner, Rect(x: 1, y: 1, width: 18, height: 1))
        XCTAssertEqual(buffer.lines(), ["┌ Users ───────────┐", "│                  │", "└──────────── 1–5 ─┘"])
    }
}

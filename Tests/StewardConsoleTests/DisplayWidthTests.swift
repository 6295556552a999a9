import XCTest
@testable import StewardConsole

final class DisplayWidthTests: XCTestCase {
    func testASCIIIsOneColumnEach() {
        XCTAssertEqual(DisplayWidth.of("hello"), 5)
        XCTAssertEqual(DisplayWidth.of(Character("a")), 1)
    }

    func testEastAsianWideAndFullwidthAreTwo() {
        XCTAssertEqual(DisplayWidth.of(Character("中")), 2)
        XCTAssertEqual(DisplayWidth.of("山田太郎"), 8)
        XCTAssertEqual(DisplayWidth.of(Character("한")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("Ａ")), 2, "fullwidth Latin")
        XCTAssertEqual(DisplayWidth.of(Character("\u{3000}")), 2, "ideographic space")
    }

    func testEmojiWithEmojiPresentationIsTwo() {
        XCTAssertEqual(DisplayWidth.of(Character("😀")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("👩‍💻")), 4, "a ZWJ sequence is as wide as its emoji side by side")
        XCTAssertEqual(DisplayWidth.of(Character("👍🏽")), 2)
    }

    func testTextPresentationSymbolsStayNarrowEvenWithVariationSelector() {
        // wcwidth (and so ncurses and tmux) give U+2764 one column with or without U+FE0F.
        XCTAssertEqual(DisplayWidth.of(Character("\u{2764}")), 1)
        XCTAssertEqual(DisplayWidth.of(Character("\u{2764}\u{FE0F}")), 1)
    }

    func testCombiningMarksAddNothing() {
        let decomposed = "Ame\u{301}lie"
        XCTAssertEqual(decomposed.count, 6)
        XCTAssertEqual(DisplayWidth.of(decomposed), 6)
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{301}"), 0)
        XCTAssertEqual(DisplayWidth.of(Character("\u{301}")), 0, "a lone combining mark")
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{200D}"), 0, "zero-width joiner")
        XCTAssertEqual(DisplayWidth.of(scalar: "\u{200B}"), 0, "zero-width space")
    }

    func testControlCharactersCountAsTheSymbolsTheBufferDraws() {
        XCTAssertEqual(DisplayWidth.of("\u{1B}[2J"), 4)
        XCTAssertEqual(DisplayWidth.of(Character("\r\n")), 2, "CR LF is one cluster drawn as ␍␊")
        XCTAssertEqual(DisplayWidth.of(Character("\u{202E}")), 1, "bidi override drawn as �")
    }

    func testTruncateAddsEllipsisAndNeverSplitsWideCharacters() {
        XCTAssertEqual(DisplayWidth.truncate("hello world", toWidth: 8), "hello w…")
        XCTAssertEqual(DisplayWidth.truncate("hello", toWidth: 5), "hello")
        // 中文字 is 6 columns; in 4 only one wide character and the ellipsis fit (3).
        XCTAssertEqual(DisplayWidth.truncate("中文字", toWidth: 4), "中…")
        XCTAssertEqual(DisplayWidth.truncate("中文字", toWidth: 5), "中文…")
        XCTAssertEqual(DisplayWidth.truncate("abc", toWidth: 0), "")
        XCTAssertEqual(DisplayWidth.truncate("abc", toWidth: 1), "…")
    }

    func testFitPadsToExactWidth() {
        XCTAssertEqual(DisplayWidth.fit("中", toWidth: 4), "中  ")
        XCTAssertEqual(DisplayWidth.fit("ab", toWidth: 4, alignment: .right), "  ab")
        XCTAssertEqual(DisplayWidth.fit("ab", toWidth: 5, alignment: .center), " ab  ")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.fit("山田太郎さん", toWidth: 7)), 7)
    }

    func testWrapRespectsDisplayWidth() {
        XCTAssertEqual(TextWrap.lines("the quick brown fox", width: 10), ["the quick", "brown fox"])
        XCTAssertEqual(TextWrap.lines("中文中文中文", width: 5), ["中文", "中文", "中文"])
        XCTAssertEqual(TextWrap.lines("a\n\nb", width: 5), ["a", "", "b"])
        XCTAssertEqual(TextWrap.lines("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(TextWrap.lines("\tx", width: 10), ["    x"])
        XCTAssertEqual(TextWrap.lines("line one\r\nline two", width: 20), ["line one", "line two"])
    }
}

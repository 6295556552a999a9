import XCTest
@testable import StewardCore

/// docs/security.md: plain text is trimmed, NFC-normalized and stripped of control characters, and
/// its length is counted as a reader sees it.
final class PlainTextTests: XCTestCase {
    func testTrimsWhiteSpaceAndLineBreaksAtBothEnds() {
        XCTAssertEqual(PlainText.clean("  Hello world \n\t"), "Hello world")
        XCTAssertEqual(PlainText.clean("\u{3000}title\u{00A0}"), "title", "ideographic and no-break spaces are white space too")
    }

    func testNormalizesToNFC() {
        let decomposed = "Cafe\u{0301}"
        let cleaned = PlainText.clean(decomposed)
        XCTAssertEqual(Array(cleaned.unicodeScalars), Array("Caf\u{00E9}".unicodeScalars))
        XCTAssertEqual(Array(PlainText.clean("A\u{030A}ngstr\u{00F6}m").unicodeScalars).first, "\u{00C5}")
    }

    func testStripsTerminalEscapesAndOtherControlCharactersButKeepsVisibleText() {
        // ESC and BEL go; the visible "[31m" stays, because plain text is never mangled.
        XCTAssertEqual(PlainText.clean("Hello\u{1B}[31mWorld\u{07}"), "Hello[31mWorld")
        XCTAssertEqual(PlainText.clean("a\u{0000}b\u{007F}c\u{009B}d"), "abcd", "NUL, DEL and the C1 CSI are all Cc")
        XCTAssertEqual(PlainText.clean("one\ntwo\r\nthree\tfour"), "onetwothreefour")
        XCTAssertEqual(PlainText.clean("<b>bold</b> & \"quoted\""), "<b>bold</b> & \"quoted\"")
    }

    func testStripsBidiOverridesIsolatesAndLineSeparators() {
        XCTAssertEqual(PlainText.clean("abc\u{202E}fed\u{202C}"), "abcfed")
        XCTAssertEqual(PlainText.clean("\u{202A}a\u{202B}b\u{202D}c"), "abc")
        XCTAssertEqual(PlainText.clean("\u{2066}x\u{2067}y\u{2068}z\u{2069}"), "xyz")
        XCTAssertEqual(PlainText.clean("first\u{2028}second\u{2029}"), "firstsecond")
    }

    func testKeepsZeroWidthNonJoinerAndJoiner() {
        let persian = "می\u{200C}خواهم"
        XCTAssertEqual(PlainText.clean(persian), persian)
        XCTAssertTrue(PlainText.clean(persian).unicodeScalars.contains("\u{200C}"))
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"
        XCTAssertEqual(PlainText.clean(family), family)
        XCTAssertEqual(PlainText.length(PlainText.clean(family)), 1)
    }

    func testStripsControlsBeforeNormalizingSoSplitAccentsStillCompose() {
        XCTAssertEqual(Array(PlainText.clean("e\u{07}\u{0301}").unicodeScalars), ["\u{00E9}"])
    }

    func testTrimsWhatAControlCharacterHid() {
        XCTAssertEqual(PlainText.clean("\u{1B} hi \u{1B}"), "hi")
        XCTAssertEqual(PlainText.clean("\u{202E}\u{0007}"), "")
    }

    func testLengthCountsGraphemeClusters() {
        XCTAssertEqual(PlainText.length("abc"), 3)
        XCTAssertEqual(PlainText.length("e\u{0301}"), 1, "e + combining acute is one character")
        XCTAssertEqual(PlainText.length("\u{00E9}"), 1)
        XCTAssertEqual(PlainText.length("👨\u{200D}👩\u{200D}👧\u{200D}👦"), 1, "an emoji family is one character")
        XCTAssertEqual(PlainText.length("🇫🇷🇯🇵"), 2, "each flag is one character")
        // Unicode 15.1 keeps a virama conjunct together: प्रि (pa, virama, ra, vowel sign i)
        // is one character and या another, although the word has six scalars.
        XCTAssertEqual(PlainText.length("प्रिया"), 2, "Devanagari conjuncts and vowel signs join their consonants")
        XCTAssertEqual(PlainText.length(""), 0)
    }

    func testFoldedKeyIgnoresCaseAndHowAccentsWereTyped() {
        XCTAssertEqual(PlainText.foldedKey("CAFÉ Crème"), PlainText.foldedKey("cafe\u{0301} cre\u{0300}me"))
        XCTAssertEqual(PlainText.foldedKey("Hello World"), "hello world")
        XCTAssertEqual(PlainText.foldedKey("ПРИВЕТ"), "привет")
        XCTAssertEqual(PlainText.foldedKey("ΑΘΗΝΑ"), "αθηνα")
        XCTAssertNotEqual(PlainText.foldedKey("Hello World"), PlainText.foldedKey("Hello, World"))
    }

    func testFoldedKeyIsLowerCaseNotAccentStripping() {
        XCTAssertNotEqual(PlainText.foldedKey("resume"), PlainText.foldedKey("résumé"))
        XCTAssertEqual(PlainText.foldedKey("STRASSE"), "strasse")
        XCTAssertEqual(PlainText.foldedKey("Straße"), "straße", "lower case, not full case folding")
    }
}

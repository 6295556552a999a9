import XCTest

@testable import StewardCore

final class TerminalSafeTests: XCTestCase {
    /// Scalars that must never reach the terminal from `line(_:)`.
    private func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    func testWindowTitleSequenceBecomesInert() {
        // ESC ] 0 ; pwned BEL would rename the terminal window.
        XCTAssertEqual(TerminalSafe.line("\u{1B}]0;pwned\u{07}"), "\u{241B}]0;pwned\u{2407}")
        XCTAssertEqual(TerminalSafe.text("\u{1B}]0;pwned\u{07}"), "\u{241B}]0;pwned\u{2407}")
    }

    func testClearScreenSequenceBecomesInert() {
        // ESC [ 2 J would clear the screen.
        XCTAssertEqual(TerminalSafe.line("\u{1B}[2J"), "\u{241B}[2J")
        XCTAssertEqual(TerminalSafe.line("\u{1B}[31mred\u{1B}[0m"), "\u{241B}[31mred\u{241B}[0m")
    }

    func testEveryC0ControlBecomesItsControlPicture() {
        for code in UInt32(0x00)...0x1F {
            let control = String(Unicode.Scalar(code)!)
            XCTAssertEqual(TerminalSafe.line(control), String(Unicode.Scalar(0x2400 + code)!), "U+\(code)")
        }
    }

    func testDeleteBecomesItsPicture() {
        XCTAssertEqual(TerminalSafe.line("a\u{7F}b"), "a\u{2421}b")
    }

    func testEveryC1ControlIsReplaced() {
        for code in UInt32(0x80)...0x9F {
            let control = String(Unicode.Scalar(code)!)
            XCTAssertEqual(TerminalSafe.line(control), "\u{FFFD}", "U+\(String(code, radix: 16))")
        }
        // U+009B is a one-character CSI: "\u{9B}2J" clears the screen on some terminals.
        XCTAssertEqual(TerminalSafe.line("\u{9B}2J"), "\u{FFFD}2J")
    }

    func testBidiControlsAreReplacedButMarksStay() {
        // "invoice\u{202E}fdp.exe" displays as "invoiceexe.pdf".
        XCTAssertEqual(TerminalSafe.line("invoice\u{202E}fdp.exe"), "invoice\u{FFFD}fdp.exe")
        for code in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] as [UInt32] {
            XCTAssertEqual(TerminalSafe.line("a" + String(Unicode.Scalar(code)!) + "b"), "a\u{FFFD}b")
        }
        XCTAssertEqual(TerminalSafe.line("a\u{200E}b\u{200F}c"), "a\u{200E}b\u{200F}c")
    }

    func testLineAndParagraphSeparatorsAreReplaced() {
        // Either one ends a line wherever Unicode line breaking is followed, like CR or LF.
        XCTAssertEqual(TerminalSafe.line("ok\u{2028}forged"), "ok\u{FFFD}forged")
        XCTAssertEqual(TerminalSafe.text("ok\u{2029}forged"), "ok\u{FFFD}forged")
    }

    func testPrintableTextIsUnchanged() {
        let samples = [
            "plain ASCII: Hello, world! ~`[]{}",
            "\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8} \u{4E2D}\u{6587} \u{D55C}\u{AD6D}\u{C5B4}",
            "emoji \u{1F600} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{1F44D}\u{1F3FD} \u{1F1EB}\u{1F1F7}",
            "combining e\u{301} a\u{30A}\u{323} Z\u{351}\u{34C}",
            "\u{05E2}\u{05D1}\u{05E8}\u{05D9}\u{05EA} \u{0627}\u{0644}\u{0639}\u{0631}\u{0628}\u{064A}\u{0629}",
            "Caf\u{E9} \u{A0}no-break space",
        ]
        for sample in samples {
            XCTAssertEqual(TerminalSafe.line(sample), sample)
            XCTAssertEqual(TerminalSafe.text(sample), sample)
        }
    }

    func testLineShowsLineBreaksAndTabs() {
        // A fake log line cannot start on a line of its own.
        XCTAssertEqual(
            TerminalSafe.line("ok\n2024-01-01 INFO admin logged in"),
            "ok\u{240A}2024-01-01 INFO admin logged in")
        XCTAssertEqual(TerminalSafe.line("a\r\nb\tc"), "a\u{240D}\u{240A}b\u{2409}c")
    }

    func testTextKeepsLineBreaksAndExpandsTabs() {
        XCTAssertEqual(TerminalSafe.text("a\nb"), "a\nb")
        XCTAssertEqual(TerminalSafe.text("a\r\nb"), "a\nb")
        XCTAssertEqual(TerminalSafe.text("a\tb"), "a    b")
        XCTAssertEqual(TerminalSafe.text("\r\n\r\n"), "\n\n")
    }

    func testTextStillNeutralizesEverythingElse() {
        // A lone CR would let the rest of the line overwrite its beginning.
        XCTAssertEqual(TerminalSafe.text("safe\rEVIL"), "safe\u{240D}EVIL")
        XCTAssertEqual(TerminalSafe.text("x\r"), "x\u{240D}")
        XCTAssertEqual(TerminalSafe.text("\u{1B}[2J\n\u{8}\u{7F}\u{9B}\u{202E}"), "\u{241B}[2J\n\u{2408}\u{2421}\u{FFFD}\u{FFFD}")
    }

    func testNothingForbiddenSurvives() {
        var everything = String.UnicodeScalarView()
        for code in UInt32(0)...0x2100 { if let scalar = Unicode.Scalar(code) { everything.append(scalar) } }
        let input = String(everything)
        let line = TerminalSafe.line(input)
        XCTAssertFalse(line.unicodeScalars.contains(where: isForbidden))
        XCTAssertEqual(line.unicodeScalars.count, input.unicodeScalars.count, "one character out for every one in")
        let text = TerminalSafe.text(input)
        XCTAssertFalse(text.unicodeScalars.contains { isForbidden($0) && $0 != "\n" })
    }
}

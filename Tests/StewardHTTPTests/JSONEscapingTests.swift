import StewardCore
import StewardHTTP
import XCTest

/// The bytes each JSON destination writes for the same awkward string, pinned: the one
/// escaper serves them all, and none may drift when another's rules change.
final class JSONEscapingTests: XCTestCase {
    private let awkward = "q\"b\\n\nr\rt\tc\u{1}<>&\u{2028}\u{2029}\u{7F}\u{85}\u{202E}\u{2066}é"

    func testAnAPIAnswerEscapesWhatHTMLAndScriptsCareAbout() {
        var json = JSONWriter()
        json.string(awkward)
        XCTAssertEqual(String(buffer: json.buffer),
                       #""q\"b\\n\nr\rt\tc\u0001\u003c\u003e\u0026\u2028\u2029"# + "\u{7F}\u{85}\u{202E}\u{2066}é\"")
    }

    func testALogLineEscapesEveryControlAsUnicode() {
        XCTAssertEqual(JSONText.string(awkward),
                       #""q\"b\\n\u000ar\u000dt\u0009c\u0001<>&\u2028\u2029\u007f\u0085\u202e\u2066é""#)
    }

    func testTheConsoleViewWritesShortFormsAndEscapesTerminalControls() {
        XCTAssertEqual(JSONText.string(awkward, escaping: [.shortForms, .terminalControls]),
                       #""q\"b\\n\nr\rt\tc\u0001<>&\u2028\u2029\u007f\u0085\u202e\u2066é""#)
    }
}

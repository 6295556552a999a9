import Foundation
import StewardModel
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

/// The buffer an answer starts with is sized from the value: close to what it writes, so
/// that a page is written without being copied as it grows.
final class JSONSizeEstimateTests: XCTestCase {
    func testAPageOfPostsIsEstimatedWithinAQuarterOfItsSize() {
        let author = AuthorSummary(id: 7, firstName: "Grace", lastName: "Lovelace")
        let posts = (1...20).map { n in
            Post(id: Int64(n), author: author, title: "Release notes #\(n) — \"quoted\"",
                 content: String(repeating: "<p>Paragraph with <em>some</em> text & more.</p>", count: n % 5 + 1),
                 status: .published, tags: ["release", "ops"], createdAt: Date(timeIntervalSince1970: 1_790_000_000),
                 updatedAt: Date(timeIntervalSince1970: 1_790_000_000))
        }
        let page = Page(items: posts, nextCursor: "MjAyNi0xMi0wM1QwMjo1MzowNi45MjFaHzk5OTk5")
        let written = page.jsonText.utf8.count
        XCTAssertGreaterThan(page.estimatedJSONSize, written * 3 / 4, "estimated \(page.estimatedJSONSize), written \(written)")
        XCTAssertLessThan(page.estimatedJSONSize, written * 5 / 4, "estimated \(page.estimatedJSONSize), written \(written)")
    }
}

import XCTest
@testable import StewardConsole

/// Every built-in theme is readable: each foreground and background pair the console
/// draws with it contrasts at least 4.5:1 (WCAG 2, xterm-256 palette values).
final class ThemeContrastTests: XCTestCase {
    /// The terminal each built-in theme is made for, as (foreground, background) palette
    /// slots: what `default` stands for. `light` is for light terminals; the others for
    /// dark ones (high-contrast and monochrome name no default colour the check needs).
    static let terminals: [String: (foreground: Int, background: Int)] = [
        "default": (252, 16), "light": (16, 231), "high-contrast": (252, 16), "monochrome": (252, 16),
    ]

    func testContrastRatiosFollowWCAG() {
        XCTAssertEqual(Color.contrastRatio(ofPaletteIndex: 16, 231), 21, accuracy: 0.001, "black on white")
        XCTAssertEqual(Color.contrastRatio(ofPaletteIndex: 25, 25), 1, accuracy: 0.001)
        XCTAssertEqual(Color.contrastRatio(ofPaletteIndex: 11, 15), Color.contrastRatio(ofPaletteIndex: 15, 11), "symmetric")
        XCTAssertLessThan(Color.contrastRatio(ofPaletteIndex: 11, 15), 1.1, "bright yellow on bright white")
        XCTAssertEqual(Color.relativeLuminance(ofPaletteIndex: 244), 0.2159, accuracy: 0.0005, "grey 128")
    }

    func testEveryBuiltInThemeMeetsFourAndAHalfToOne() throws {
        XCTAssertEqual(Set(ThemeCatalog.builtInFiles.keys), Set(Self.terminals.keys), "a new built-in theme needs its terminal here")
        for name in ThemeCatalog.builtInFiles.keys.sorted() {
            let theme = try ThemeCatalog(directory: nil).theme(named: name)
            let terminal = try XCTUnwrap(Self.terminals[name])
            let problems = theme.contrastProblems(terminalForeground: terminal.foreground, terminalBackground: terminal.background)
            XCTAssertEqual(problems, [], "\(name): " + problems.map(\.description).joined(separator: "; "))
        }
    }

    func testTheCheckFindsATitleDrawnInTheColourOfItsHeader() throws {
        // What `light` used to do: the console's name in colour 25 on the header's 25.
        let theme = try Theme.parse(text: "base = default\nheader = 255 on 25\ntitle = 25, bold\n", fileName: "x.theme")
        let problems = theme.contrastProblems(terminalForeground: 16, terminalBackground: 231)
        XCTAssertEqual(problems.map(\.description), ["title on header: colour 25 on 25 is 1.00:1"])
    }

    func testTheCheckFindsYellowOnBrightWhite() throws {
        let theme = try Theme.parse(text: "base = bright-white on black\nstatusBar = black on bright-white\nwarning = bright-yellow\n",
                                    fileName: "x.theme")
        let problems = theme.contrastProblems(terminalForeground: 252, terminalBackground: 16)
        XCTAssertTrue(problems.contains { $0.role == .warning && $0.surface == .statusBar && $0.foreground == 11 && $0.background == 15 },
                      problems.map(\.description).joined(separator: "; "))
    }
}

import Foundation
import XCTest
@testable import StewardConsole

final class ThemeTests: XCTestCase {
    /// The themes compiled into the binary, without any themes folder.
    private let builtIn = ThemeCatalog(directory: nil)

    func testAllBuiltInThemesParse() throws {
        XCTAssertEqual(builtIn.names, ["default", "high-contrast", "light", "monochrome"])
        for name in builtIn.names {
            let theme = try builtIn.theme(named: name)
            XCTAssertEqual(theme.name, name)
            XCTAssertFalse(theme.styles.isEmpty, name)
        }
    }

    func testColourThemesSetEveryRole() throws {
        for name in ["default", "light", "high-contrast"] {
            let theme = try builtIn.theme(named: name)
            let missing = Set(ThemeRole.known.keys).subtracting(theme.styles.keys)
            XCTAssertEqual(missing, [], "\(name) leaves out \(missing.map(\.name).sorted())")
        }
    }

    func testMonochromeFileMatchesTheBuiltInTheme() throws {
        let file = try builtIn.theme(named: "monochrome")
        XCTAssertEqual(file.styles, Theme.monochrome.styles)
        for style in file.styles.values {
            XCTAssertEqual(style.foreground, .default)
            XCTAssertEqual(style.background, .default)
        }
        XCTAssertTrue(Theme.monochrome[.selection].attributes.contains(.reverse))
        XCTAssertTrue(Theme.monochrome[.header].attributes.contains(.bold))
    }

    func testParsesColoursOnAndAttributes() throws {
        let theme = try Theme.parse(text: """
            # a comment
            header = white on blue, bold   # trailing comment
            selection = reverse
            dialog = on 236
            muted = 244, dim, italic
            error = bright-red
            """, fileName: "t.theme")
        XCTAssertEqual(theme[.header], Style(foreground: .white, background: .blue, attributes: .bold))
        XCTAssertEqual(theme[.selection], Style(attributes: .reverse))
        XCTAssertEqual(theme[.dialog], Style(background: .indexed(236)))
        XCTAssertEqual(theme[.muted], Style(foreground: .indexed(244), attributes: [.dim, .italic]))
        XCTAssertEqual(theme[.error], Style(foreground: .brightRed))
        XCTAssertEqual(theme.name, "t")
    }

    func testUnknownColourNamesFileAndLine() {
        let text = "base = default\n\n# comment\nheader = white on blue\nerror = grene\n"
        XCTAssertThrowsError(try Theme.parse(text: text, fileName: "themes/x.theme")) { error in
            XCTAssertEqual("\(error)", "themes/x.theme:5: unknown colour 'grene'")
        }
    }

    func testUnknownRoleAndAttributeAndSyntaxErrors() {
        func message(_ text: String) -> String {
            do {
                _ = try Theme.parse(text: text, fileName: "themes/x.theme")
                return "parsed"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("headr = bold"), "themes/x.theme:1: unknown role 'headr'")
        XCTAssertEqual(message("base = default\nheader = red, blinking"), "themes/x.theme:2: unknown attribute 'blinking'")
        XCTAssertEqual(message("header red"), "themes/x.theme:1: expected 'role = style', found 'header red'")
        XCTAssertEqual(message("header ="), "themes/x.theme:1: role 'header' has no style")
        XCTAssertEqual(message("header = 300"), "themes/x.theme:1: colour 300 is outside the palette 0–255")
        XCTAssertEqual(message("header = red on"), "themes/x.theme:1: expected 'fg', 'fg on bg' or 'on bg', found 'red on'")
        XCTAssertEqual(message("header = red\nheader = blue"), "themes/x.theme:2: role 'header' is already set on line 1")
    }

    func testMissingFileIsReportedWithItsName() {
        XCTAssertThrowsError(try Theme.load(path: "/nonexistent/none.theme")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/none.theme: cannot read the file"), "\(error)")
        }
        XCTAssertThrowsError(try Theme.load(named: "../etc/passwd", inDirectory: "themes"))
    }

    func testRolesFallBackAlongTheirFamily() throws {
        let theme = try Theme.parse(text: "base = white\nerror = red\n", fileName: "t.theme")
        XCTAssertEqual(theme[.levelCritical], Style(foreground: .red), "level.critical → error")
        XCTAssertEqual(theme[.inputError], Style(foreground: .red), "inputError → error")
        XCTAssertEqual(theme[.statusArchived], Style(foreground: .white), "status.archived → muted → base")
        XCTAssertEqual(theme[ThemeRole(level: "ERROR")], Style(foreground: .red))
        XCTAssertEqual(theme[ThemeRole("no.such.role")], Style(foreground: .white))
    }

    func testFileTextRoundTrips() throws {
        let original = try builtIn.theme(named: "default")
        let again = try Theme.parse(text: original.fileText(), fileName: "default.theme")
        XCTAssertEqual(again.styles, original.styles)
    }

    func testReducingTo16And8Colours() {
        XCTAssertEqual(Color.indexed(196).reduced(toColorCount: 16), .brightRed)
        XCTAssertEqual(Color.indexed(21).reduced(toColorCount: 16), .blue)
        XCTAssertEqual(Color.indexed(9).reduced(toColorCount: 16), .brightRed)
        XCTAssertEqual(Color.indexed(244).reduced(toColorCount: 256), .indexed(244))
        XCTAssertEqual(Color.brightRed.reduced(toColorCount: 8), .red)
        XCTAssertEqual(Color.default.reduced(toColorCount: 8), .default)

        let bright = Style(foreground: .brightYellow, background: .brightBlue)
        XCTAssertEqual(bright.reduced(toColorCount: 8), Style(foreground: .yellow, background: .blue, attributes: .bold))
        XCTAssertEqual(bright.reduced(toColorCount: 16), bright)
    }

    func testAdaptingThemesToTerminals() throws {
        let theme = try builtIn.theme(named: "default")
        XCTAssertEqual(theme.adapted(to: .none), .monochrome)
        XCTAssertEqual(theme.adapted(to: .colors(256)), theme)
        XCTAssertEqual(theme.adapted(to: .colors(2)), .monochrome)
        let sixteen = theme.adapted(to: .colors(16))
        for style in sixteen.styles.values {
            for color in [style.foreground, style.background] {
                XCTAssertLessThan(color.paletteIndex ?? 0, 16)
            }
        }
        let eight = theme.adapted(to: .colors(8))
        for style in eight.styles.values {
            XCTAssertLessThan(style.foreground.paletteIndex ?? 0, 8)
            XCTAssertLessThan(style.background.paletteIndex ?? 0, 8)
        }
    }

    func testStyleOnSurfaceInheritsDefaultColours() {
        let surface = Style(foreground: .white, background: .indexed(237), attributes: .reverse)
        let text = Style(foreground: .red, attributes: .bold)
        XCTAssertEqual(text.on(surface), Style(foreground: .red, background: .indexed(237), attributes: [.bold, .reverse]))
        XCTAssertEqual(Style(background: .blue).on(surface).background, .blue)
    }
}

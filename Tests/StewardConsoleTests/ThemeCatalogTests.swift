import Foundation
import XCTest
@testable import StewardConsole

/// How `--theme`, `STEWARD_THEME` and `:theme` find a theme: a file in the themes folder
/// first, then the theme compiled into the binary.
final class ThemeCatalogTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    func testBuiltInThemesNeedNoFolder() throws {
        let missing = folder.appendingPathComponent("absent").path
        let catalog = ThemeCatalog(directory: missing)
        XCTAssertEqual(catalog.names, ["default", "high-contrast", "light", "monochrome"])
        let light = try catalog.theme(named: "light")
        XCTAssertEqual(light.name, "light")
        XCTAssertNotEqual(light.styles, try catalog.theme(named: "default").styles)
    }

    func testFileInTheFolderOverridesTheBuiltInTheme() throws {
        try "base = red on black\n".write(to: folder.appendingPathComponent("light.theme"), atomically: true, encoding: .utf8)
        let theme = try ThemeCatalog(directory: folder.path).theme(named: "light")
        XCTAssertEqual(theme.styles, [.base: Style(foreground: .red, background: .black)])
        XCTAssertEqual(try ThemeCatalog(directory: nil).theme(named: "light").styles.count, ThemeRole.known.count)
    }

    func testFileInTheFolderAddsATheme() throws {
        try "header = bold\n".write(to: folder.appendingPathComponent("solarized.theme"), atomically: true, encoding: .utf8)
        // Not themes: other files, and file names no theme name could reach.
        try "x".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent("bad name.theme"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directory: folder.path)
        XCTAssertEqual(catalog.names, ["default", "high-contrast", "light", "monochrome", "solarized"])
        XCTAssertEqual(try catalog.theme(named: "solarized").name, "solarized")
    }

    func testBrokenOverrideIsReportedNotSkipped() throws {
        try "header = grene\n".write(to: folder.appendingPathComponent("default.theme"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ThemeCatalog(directory: folder.path).theme(named: "default")) { error in
            XCTAssertEqual("\(error)", folder.appendingPathComponent("default.theme").path + ":1: unknown colour 'grene'")
        }
    }

    func testUnknownThemeListsTheAvailableNames() throws {
        try "header = bold\n".write(to: folder.appendingPathComponent("mine.theme"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ThemeCatalog(directory: folder.path).theme(named: "dark")) { error in
            XCTAssertEqual("\(error)", "dark: no such theme; the themes are default, high-contrast, light, mine, monochrome (add dark.theme to \(folder.path) to make it)")
        }
        // `:theme` goes through Theme.load(named:inDirectory:), which must agree.
        XCTAssertThrowsError(try Theme.load(named: "dark", inDirectory: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("the themes are default, high-contrast, light, mine, monochrome"), "\(error)")
        }
    }

    func testNamesThatLeaveTheFolderAreRefused() {
        for name in ["../etc/passwd", "a/b", "", ".hidden"] {
            XCTAssertThrowsError(try ThemeCatalog(directory: folder.path).theme(named: name), name) { error in
                XCTAssertTrue("\(error)".contains("letters, digits"), "\(error)")
            }
        }
    }
}

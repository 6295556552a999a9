import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// The preferences file on its own (a temporary folder), then the console remembering its
/// theme, tab and filters from one run to the next.
final class ConsolePreferencesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-prefs-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var file: URL { folder.appendingPathComponent("steward/console.json") }

    private func permissions(_ url: URL) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    // MARK: The file

    func testTheLocationFollowsXDGConfigHomeElseTheHomeFolder() {
        XCTAssertEqual(ConsolePreferencesFile.defaultURL(environment: ["XDG_CONFIG_HOME": "/x/config"], homeDirectory: "/home/ada").path,
                       "/x/config/steward/console.json")
        XCTAssertEqual(ConsolePreferencesFile.defaultURL(environment: [:], homeDirectory: "/home/ada").path,
                       "/home/ada/.config/steward/console.json")
        XCTAssertEqual(ConsolePreferencesFile.defaultURL(environment: ["XDG_CONFIG_HOME": "relative"], homeDirectory: "/home/ada").path,
                       "/home/ada/.config/steward/console.json", "a relative XDG_CONFIG_HOME is ignored, as the spec says")
    }

    func testAMissingFileIsEmptyAndTheFirstChangeCreatesItPrivately() throws {
        let preferences = ConsolePreferencesFile(url: file)
        XCTAssertEqual(preferences.preferences, ConsolePreferences())
        XCTAssertNil(preferences.warning)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), "reading creates nothing")

        XCTAssertTrue(preferences.update { $0.theme = "light" })

        XCTAssertEqual(try permissions(file), 0o600)
        XCTAssertEqual(try permissions(file.deletingLastPathComponent()), 0o700)
        XCTAssertEqual(ConsolePreferencesFile(url: file).preferences.theme, "light")
        XCTAssertFalse(preferences.update { $0.theme = "light" }, "no change, no write")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["console.json"], "the temporary file was renamed into place")
    }

    func testTabsAndFiltersRoundTripPerDatabase() throws {
        let preferences = ConsolePreferencesFile(url: file)
        preferences.update {
            $0.databases["/a.sqlite"] = .init(tab: "Posts", filters: ["Posts": TabFilterState(text: "argon2", status: "draft")])
            $0.databases["/b.sqlite"] = .init(tab: "Logs", filters: [:])
        }
        let read = ConsolePreferencesFile(url: file).preferences
        XCTAssertEqual(read.databases["/a.sqlite"]?.filters["Posts"], TabFilterState(text: "argon2", status: "draft"))
        XCTAssertEqual(read.databases["/b.sqlite"]?.tab, "Logs")
    }

    func testDatabasesThatAreGoneAreForgottenWhenANewOneIsAdded() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let kept = folder.appendingPathComponent("kept.sqlite").path, gone = folder.appendingPathComponent("gone.sqlite").path
        FileManager.default.createFile(atPath: kept, contents: Data())
        let preferences = ConsolePreferencesFile(url: file)
        preferences.update {
            $0.databases[kept] = .init(tab: "Posts")
            $0.databases[gone] = .init(tab: "Logs")
        }
        preferences.update { $0.databases[gone]?.tab = "Users" }
        XCTAssertEqual(preferences.preferences.databases[gone]?.tab, "Users", "a change to a known database forgets nothing")
        preferences.update { $0.databases["/new.sqlite"] = .init(tab: "Roles") }
        XCTAssertEqual(Set(ConsolePreferencesFile(url: file).preferences.databases.keys), [kept, "/new.sqlite"])
    }

    func testABrokenFileIsIgnoredWithOneWarningAndNeverOverwritten() throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let broken = Data(#"{"version": 1, "theme": "light", "databases": {"#.utf8)
        try broken.write(to: file)

        let preferences = ConsolePreferencesFile(url: file)

        XCTAssertEqual(preferences.preferences, ConsolePreferences(), "nothing half-read is used")
        let warning = try XCTUnwrap(preferences.takeWarning())
        XCTAssertTrue(warning.hasPrefix("Ignored \(file.path): it is not a preferences file (not valid JSON)"), warning)
        XCTAssertNil(preferences.takeWarning(), "said once")
        XCTAssertFalse(preferences.update { $0.theme = "dark" })
        XCTAssertEqual(try Data(contentsOf: file), broken, "the file someone was editing is left as it was")
    }

    func testAFileOfAnotherVersionOrShapeIsIgnored() throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"version": 2, "databases": {}}"#.utf8).write(to: file)
        XCTAssertTrue(ConsolePreferencesFile(url: file).warning?.contains("of version 2") == true)
        try Data(#"{"version": 1, "theme": 7, "databases": {}}"#.utf8).write(to: file)
        XCTAssertTrue(ConsolePreferencesFile(url: file).warning?.contains("bad value at theme") == true)
    }

    func testAFailedWriteIsReportedOnceAndNotThrown() throws {
        // A file where the folder should be: the folder cannot be made.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("steward"))
        let preferences = ConsolePreferencesFile(url: file)
        XCTAssertFalse(preferences.update { $0.theme = "light" })
        XCTAssertTrue(preferences.takeWarning()?.hasPrefix("Could not save the console's preferences to \(file.path)") == true)
        XCTAssertFalse(preferences.update { $0.theme = "dark" })
        XCTAssertNil(preferences.takeWarning(), "one warning, not one per key")
    }

    // MARK: The console

    /// A console over the demo set whose database file is `folder/demo.sqlite`, remembering in ``file``.
    private func world() throws -> ConsoleWorld {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try ConsoleWorld(preferencesFile: file, databasePath: folder.appendingPathComponent("demo.sqlite").path)
    }

    func testTheTabAndTheFiltersAreBackAfterARestart() throws {
        let world = try world()
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        world.press(.char("f"))           // status: draft
        world.press(.char("/"))
        world.type("argon2")
        world.press(.enter)
        let posts = try XCTUnwrap(world.app.activeScreen as? PostsScreen)
        XCTAssertEqual(posts.rememberedFilter, TabFilterState(text: "argon2", status: "draft"))
        let saved = ConsolePreferencesFile(url: file).preferences.databases[ConsolePreferencesFile.databaseKey(folder.appendingPathComponent("demo.sqlite").path)]
        XCTAssertEqual(saved?.tab, "Posts", "saved as it changed, not only on quit")
        XCTAssertEqual(saved?.filters["Posts"], TabFilterState(text: "argon2", status: "draft"))

        world.restart()
        world.signIn(ConsoleWorld.moderator)

        XCTAssertEqual(world.app.activeScreen?.title, "Posts")
        let restored = try XCTUnwrap(world.app.activeScreen as? PostsScreen)
        XCTAssertEqual(restored.rememberedFilter, TabFilterState(text: "argon2", status: "draft"))
        XCTAssertTrue(world.screenText.contains("status: draft"), world.screenText)
    }

    func testClearingAFilterIsRememberedToo() throws {
        let world = try world()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("5"))
        world.press(.char("L"), .char("L"))
        world.press(.char("4"))
        world.press(.char("f"))
        world.press(.escape)                // clears the Comments filter
        world.restart()
        world.signIn(ConsoleWorld.admin)
        XCTAssertEqual(world.app.activeScreen?.title, "Comments")
        XCTAssertNil(world.app.activeScreen.flatMap { ($0 as? CommentsScreen)?.rememberedFilter.flatMap { $0.isEmpty ? nil : $0 } })
        let logs = try XCTUnwrap(world.app.screens.first { $0.title == "Logs" } as? LogsScreen)
        XCTAssertEqual(logs.minimumLevel, .info, "L twice: trace → debug → info")
    }

    func testATabTheAccountIsNotOfferedIsNotRestored() throws {
        let world = try world()
        world.signIn(ConsoleWorld.admin)
        world.press(.char("6"))
        XCTAssertEqual(world.app.activeScreen?.title, "Audit")
        world.restart()
        world.signIn(ConsoleWorld.moderator)  // no logs:read: no Audit tab
        XCTAssertEqual(world.app.activeScreen?.title, "Users")
        XCTAssertEqual(ConsolePreferencesFile(url: file).preferences.databases.first?.value.filters.count, 0)
    }

    func testTheThemeIsRememberedButAnExplicitThemeWins() throws {
        let world = try world()
        world.signIn(ConsoleWorld.admin)
        world.command("theme light")
        XCTAssertEqual(ConsolePreferencesFile(url: file).preferences.theme, "light")
        let light = world.app.theme

        world.restart()
        XCTAssertEqual(world.app.theme, light, "the remembered theme, before sign-in already")
        world.restart(themeIsExplicit: true)
        XCTAssertEqual(world.app.theme, .monochrome, "--theme or STEWARD_THEME beat the remembered theme")
    }

    func testABrokenFileIsSaidOnceOnTheSignInScreenAndTheConsoleWorks() throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: file)
        let world = try world()
        XCTAssertTrue(world.screenText.contains("Ignored"), "said on the sign-in screen: \(world.screenText)")
        world.signIn(ConsoleWorld.admin)
        XCTAssertEqual(world.app.phase, .main)
        XCTAssertTrue(world.app.currentMessage?.hasPrefix("Ignored \(file.path)") == true, world.app.currentMessage ?? "")
        world.press(.char("3"))
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "not json")
    }
}

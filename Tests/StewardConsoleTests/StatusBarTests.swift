import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// The status bar as the console fills it: the hints of the current context, most useful
/// first and `? help` last; the database and the listener always in view, a message
/// included; and snapshots of its row at 80×24 and 120×36.
final class StatusBarTests: XCTestCase {
    private let sizes = [(80, 24), (120, 36)]

    /// The bottom row of the console after `steps`, messages expired unless `keepMessage`.
    private func statusRow(_ world: ConsoleWorld) -> String {
        world.render().lines().last ?? ""
    }

    private func snapshotStatusRow(_ name: String, account: (String, String) = ConsoleWorld.admin, databasePath: String = "data/demo.sqlite",
                                   keepMessage: Bool = false, file: StaticString = #filePath, line: UInt = #line,
                                   _ steps: (ConsoleWorld) throws -> Void) throws {
        for (width, height) in sizes {
            let world = try ConsoleWorld(width: width, height: height, databasePath: databasePath)
            world.signIn(account)
            try steps(world)
            if !keepMessage { world.expireMessages() }
            var row = CellBuffer(width: width, height: 1)
            row.put(statusRow(world), x: 0, y: 0, style: .plain)
            Snapshot.assertMatches(row, named: "statusbar-\(name)-\(width)x\(height)", file: file, line: line)
        }
    }

    // MARK: Snapshots

    func testPostsTab() throws {
        try snapshotStatusRow("posts", account: ConsoleWorld.moderator) { $0.press(.char("3")) }
    }

    func testPostsTabWithTheListenerRunning() throws {
        try snapshotStatusRow("posts-http") { $0.press(.char("3"), .char("S")) }
    }

    func testPostsTabWithAMessage() throws {
        try snapshotStatusRow("posts-message", account: ConsoleWorld.moderator, keepMessage: true) { world in
            world.press(.char("3"))
            world.expireMessages()
            world.command("theme nope")   // an error longer than the room at 80 columns
        }
    }

    func testPostsTabWhileTheFilterLineIsOpen() throws {
        try snapshotStatusRow("posts-filtering", account: ConsoleWorld.moderator) { $0.press(.char("3"), .char("/")) }
    }

    func testLogsTab() throws {
        try snapshotStatusRow("logs") { $0.press(.char("5")) }
    }

    func testLogsTabWithTheListenerRunning() throws {
        try snapshotStatusRow("logs-http") { $0.press(.char("5"), .char("S")) }
    }

    func testALongDatabaseNameIsShortenedFromTheLeft() throws {
        try snapshotStatusRow("long-database", databasePath: "/srv/steward/moderation-team-production-database-since-2024.sqlite") { world in
            world.press(.char("3"), .char("S"))
        }
    }

    // MARK: Rules

    func testAtEightyColumnsTheDatabaseAndListenerShowAndTheHintsEndWithHelp() throws {
        let world = try ConsoleWorld(width: 80, height: 24, databasePath: "/srv/steward/moderation-team-production-database-since-2024.sqlite")
        world.signIn(ConsoleWorld.admin)
        world.press(.char("5"), .char("S"))
        world.expireMessages()
        let row = statusRow(world)
        XCTAssertTrue(row.contains(" │ …") && row.contains("since-2024.sqlite │ "), "the file name, shortened from the left: \(row)")
        XCTAssertTrue(row.contains("HTTP 127.0.0.1:8080 · 3.5 req/s"), row)
        XCTAssertTrue(row.hasSuffix("? help"), row)
        XCTAssertTrue(row.hasPrefix(" Margit Halv… │ "), "the account gives way first: \(row)")
    }

    func testAMessageReplacesTheHintsForAFewSecondsAndNeverTheDatabaseOrListener() throws {
        let world = try ConsoleWorld(width: 80, height: 24)
        world.signIn(ConsoleWorld.admin)
        world.press(.char("3"), .char("S"))
        world.expireMessages()
        world.command("theme high-contrast-that-does-not-exist")
        let withMessage = statusRow(world)
        XCTAssertTrue(withMessage.contains("demo.sqlite │ HTTP 127.0.0.1:8080"), withMessage)
        XCTAssertFalse(withMessage.contains("? help"), "the message is where the hints were: \(withMessage)")
        XCTAssertNotNil(world.app.currentMessage)

        // The key that ran the command was followed by one tick already.
        for _ in 0..<78 { _ = world.app.update(.tick) }
        XCTAssertNotNil(world.app.currentMessage, "an error stays eight seconds")
        _ = world.app.update(.tick)
        XCTAssertNil(world.app.currentMessage)
        XCTAssertTrue(statusRow(world).hasSuffix("? help"), "the hints are back")
    }

    func testTheHintsFollowTheContext() throws {
        let world = try ConsoleWorld(width: 120, height: 36)
        world.signIn(ConsoleWorld.admin)
        world.press(.char("3"))
        world.expireMessages()
        XCTAssertTrue(statusRow(world).hasSuffix("> go to  Enter open  / search  p publish  a archive  ? help"), statusRow(world))
        world.press(.char(":"))
        XCTAssertTrue(statusRow(world).hasSuffix("Enter run  Tab complete  ↑/↓ history  Esc cancel"), "no `? help` while ? is typed: \(statusRow(world))")
        world.press(.escape)
        world.press(.char("?"))
        XCTAssertTrue(statusRow(world).contains("j/k scroll  Esc close") || !statusRow(world).contains("? help"), statusRow(world))
    }
}

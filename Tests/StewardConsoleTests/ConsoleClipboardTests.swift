import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// `y` and `Y`: what reaches the terminal (the exact OSC 52 sequence), what the status bar
/// says, and what it says when the terminal cannot take a copy.
final class ConsoleClipboardTests: XCTestCase {
    /// A request line, a line without a request id, and a security line, as the log folder holds them.
    static let logLines: [LogEntry] = [
        LogEntry.request(time: Date(timeIntervalSince1970: 1_789_999_990), requestId: "9f3c2a71-5b0e-4d3e-9a1c-7e2f00c0ffee", method: "GET",
                         path: "/api/posts", status: 200, durationMs: 3.5, ip: "127.0.0.1", userId: 7, userAgent: "curl/8.5"),
        LogEntry(time: Date(timeIntervalSince1970: 1_789_999_995), level: .info, source: "app", message: "HTTP listener started",
                 metadata: ["address": "127.0.0.1:8080"]),
    ]

    /// Resets the demo user's password and returns it as the alert shows it.
    private func resetUserPassword(in world: ConsoleWorld) throws -> String {
        world.signIn(ConsoleWorld.admin)
        world.command("search user@steward.test")
        world.press(.char("r"))
        world.press(.char("y"))
        let message = try XCTUnwrap(world.app.alertMessage)
        return try XCTUnwrap(message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.count == 20 })
    }

    func testYInThePasswordAlertSendsThePasswordAsOSC52AndNeverShowsItInTheStatusBar() throws {
        let terminal = HeadlessTerminal()
        let world = try ConsoleWorld(terminal: terminal)
        let password = try resetUserPassword(in: world)
        XCTAssertTrue(world.screenText.contains("y copy · Enter close"), "the box says how to copy")

        world.press(.char("y"))

        let base64 = Data(password.utf8).base64EncodedString()
        XCTAssertEqual(terminal.clipboardSequences, ["\u{1B}]52;c;\(base64)\u{07}"])
        XCTAssertEqual(terminal.clipboard, password)
        XCTAssertEqual(world.app.currentMessage, "Copied the one-time password to the clipboard (OSC 52)")
        XCTAssertNotNil(world.app.alertMessage, "the box stays open: the copy may not have arrived")
        world.press(.enter)
        XCTAssertNil(world.app.alertMessage)
        XCTAssertFalse(world.screenText.contains(password), "the password is gone from the screen once the box is closed")
    }

    func testWithoutATerminalClipboardTheMessageSaysWhereToReadThePassword() throws {
        let terminal = HeadlessTerminal(acceptsClipboard: false)
        let world = try ConsoleWorld(terminal: terminal)
        let password = try resetUserPassword(in: world)

        world.press(.char("y"))

        XCTAssertEqual(terminal.clipboardSequences, [])
        XCTAssertEqual(world.app.currentMessage, "Could not copy the one-time password: This terminal has no clipboard. Read it in the box.")
        XCTAssertFalse(world.app.currentMessage?.contains(password) ?? true)
        XCTAssertTrue(world.screenText.contains(password), "the password is still in the box to read")
    }

    func testAConsoleWithoutATerminalSaysItCannotCopy() throws {
        let world = try ConsoleWorld(terminal: nil)
        _ = try resetUserPassword(in: world)
        world.press(.char("y"))
        XCTAssertEqual(world.app.currentMessage, "Could not copy the one-time password: This console has no terminal clipboard. Read it in the box.")
    }

    func testOSC52RefusesTextOverItsLimitAndADumbTerminal() {
        let terminal = HeadlessTerminal()
        let large = String(repeating: "x", count: OSC52.maximumTextBytes + 1)
        guard case .unavailable(let reason) = terminal.setClipboard(large) else { return XCTFail("a copy over the limit was sent") }
        XCTAssertTrue(reason.hasPrefix("It is too long to copy through the terminal (97 KB"), reason)
        XCTAssertEqual(terminal.clipboardSequences, [])
        XCTAssertEqual(terminal.setClipboard(String(repeating: "x", count: OSC52.maximumTextBytes)), .sent)
        XCTAssertEqual(OSC52.refusal(term: "dumb"), "TERM=dumb takes no OSC 52")
        XCTAssertNotNil(OSC52.refusal(term: nil))
        XCTAssertNil(OSC52.refusal(term: "tmux-256color"))
        XCTAssertEqual(OSC52.sequence(for: "é\n"), "\u{1B}]52;c;w6kK\u{07}", "UTF-8 bytes in base64, so no byte of the text reaches the terminal raw")
    }

    // MARK: The Logs tab

    /// The Logs tab of an admin, following a log folder that holds ``logLines``, with the
    /// request line selected.
    private func logsWorld(terminal: HeadlessTerminal?) throws -> ConsoleWorld {
        let world = try ConsoleWorld(terminal: terminal, logLines: Self.logLines)
        world.signIn(ConsoleWorld.admin)
        world.press(.char("5"))
        let logs = try XCTUnwrap(world.app.activeScreen as? LogsScreen)
        let deadline = Date().addingTimeInterval(10)
        // The folder is read on its own thread; the tab takes the lines on a tick.
        while logs.rows.count < Self.logLines.count && Date() < deadline {
            usleep(20_000)
            world.press(.tick)
        }
        XCTAssertEqual(logs.rows.count, Self.logLines.count, "the tab read the log folder")
        world.press(.char("g"))
        XCTAssertEqual(logs.selectedEntry?.entry.metadata["requestId"], "9f3c2a71-5b0e-4d3e-9a1c-7e2f00c0ffee")
        return world
    }

    func testYOnALogLineCopiesItsRequestId() throws {
        let terminal = HeadlessTerminal()
        let world = try logsWorld(terminal: terminal)

        world.press(.char("y"))

        XCTAssertEqual(terminal.clipboardSequences, ["\u{1B}]52;c;OWYzYzJhNzEtNWIwZS00ZDNlLTlhMWMtN2UyZjAwYzBmZmVl\u{07}"])
        XCTAssertEqual(terminal.clipboard, "9f3c2a71-5b0e-4d3e-9a1c-7e2f00c0ffee")
        XCTAssertEqual(world.app.currentMessage, "Copied the request id 9f3c2a71-5b0… to the clipboard (OSC 52)")
    }

    func testShiftYCopiesTheEntryAsItsJSONLine() throws {
        let terminal = HeadlessTerminal()
        let world = try logsWorld(terminal: terminal)

        world.press(.char("Y"))

        var encoder = LogLineEncoder()
        var line: [UInt8] = []
        encoder.append(Self.logLines[0], to: &line)
        let expected = String(decoding: line.dropLast(), as: UTF8.self)
        XCTAssertTrue(expected.hasPrefix(#"{"time":"2026-09-21T14:13:10.000Z","level":"info","source":"http","message":"GET /api/posts 200"#), expected)
        XCTAssertEqual(terminal.clipboard, expected, "the line as the log file holds it, without its newline")
        XCTAssertEqual(terminal.clipboardSequences, ["\u{1B}]52;c;\(Data(expected.utf8).base64EncodedString())\u{07}"])
        XCTAssertEqual(world.app.currentMessage, "Copied log entry #1 as JSON to the clipboard (OSC 52)")
    }

    func testALineWithoutARequestIdSaysSoAndCopiesNothing() throws {
        let terminal = HeadlessTerminal()
        let world = try logsWorld(terminal: terminal)
        world.press(.char("G"))
        world.press(.char("y"))
        XCTAssertEqual(terminal.clipboardSequences, [])
        XCTAssertEqual(world.app.currentMessage, "This line has no request id: Y copies the whole entry")
    }

    func testWithoutAClipboardTheLogsTabSaysWhereToReadTheId() throws {
        let world = try logsWorld(terminal: HeadlessTerminal(acceptsClipboard: false))
        world.press(.char("y"))
        XCTAssertEqual(world.app.currentMessage, "Could not copy the request id 9f3c2a71-5b0…: This terminal has no clipboard. Enter shows it in the entry.")
    }

    func testYTypedInThePromptsIsText() throws {
        let terminal = HeadlessTerminal()
        let world = try logsWorld(terminal: terminal)
        world.press(.char(";"))
        world.type("select 'y', 'Y'")
        world.press(.char("/"))
        XCTAssertTrue(world.screenText.contains("SQL> select 'y', 'Y'/"), world.screenText)
        world.press(.escape, .char("/"))
        world.type("yY")
        XCTAssertEqual(terminal.clipboardSequences, [], "the SQL prompt and the filter line take y as a letter")
    }

    func testTheLogsHelpListsBothCopyKeys() throws {
        let world = try logsWorld(terminal: HeadlessTerminal())
        let keys = world.app.allHints.hints.map(\.key)
        XCTAssertTrue(keys.contains("y") && keys.contains("Y"), "\(keys)")
    }
}

import XCTest
@testable import StewardConsole
import StewardCore

/// The console, `steward logs` and the log file must agree on which characters may reach a
/// terminal as they are: a character one of them lets through and another makes inert is
/// either a hole or a needless mangling. Each path is asked from the outside, through what
/// it draws, prints or writes, not through the table they share.
final class TerminalSafetyAgreementTests: XCTestCase {
    /// Beyond 0…0x3000: format characters, specials, an emoji, a tag and the last scalar.
    private static let specials: [UInt32] = [0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB, 0xFFFC, 0xFFFD, 0x1F600, 0xE0001, 0x10FFFF]

    /// The console draws a stand-in for the character: it is not in the cells, and
    /// something visible is (a zero-width character dropped whole is not made inert).
    private func consoleMakesInert(_ scalar: Unicode.Scalar) -> Bool {
        var buffer = CellBuffer(width: 8, height: 1)
        buffer.put("a" + String(scalar) + "b", x: 0, y: 0, style: .plain)
        let drawn = buffer.cells.map(\.text).joined()
        return !drawn.unicodeScalars.contains(scalar) && drawn.trimmingCharacters(in: .whitespaces) != "ab"
    }

    /// `steward logs` does not print the character in the message part of the human line.
    private func logsMakeInert(_ scalar: Unicode.Scalar) -> Bool {
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        let prefix = LogReader.humanLine(LogEntry(time: time, level: .info, source: "test", message: ""))
        let line = LogReader.humanLine(LogEntry(time: time, level: .info, source: "test", message: "a" + String(scalar) + "b"))
        return !line.unicodeScalars.dropFirst(prefix.unicodeScalars.count).contains(scalar)
    }

    /// The log file holds the character only as a `\u` escape.
    private func logFileEscapes(_ scalar: Unicode.Scalar) -> Bool {
        !JSONText.string("a" + String(scalar) + "b").unicodeScalars.contains(scalar)
    }

    func testConsoleLogsAndLogFileAgreeOnEveryScalar() {
        let scalars = (0...0x3000).compactMap(Unicode.Scalar.init) + Self.specials.compactMap(Unicode.Scalar.init)
        var inert: [UInt32] = []
        for scalar in scalars {
            let console = consoleMakesInert(scalar)
            let logs = logsMakeInert(scalar)
            let file = logFileEscapes(scalar)
            let name = "U+" + String(scalar.value, radix: 16, uppercase: true)
            XCTAssertEqual(console, logs, "\(name): console inert \(console), steward logs inert \(logs)")
            XCTAssertEqual(logs, file, "\(name): steward logs inert \(logs), log file escapes \(file)")
            if console { inert.append(scalar.value) }
        }
        let expected = Array(0x00...0x1F) + Array(0x7F...0x9F) + Array(0x2028...0x202E) + Array(0x2066...0x2069)
        XCTAssertEqual(inert, expected.map(UInt32.init))
    }

    func testLineSeparatorsAndBidiControlsAreInertEverywhere() {
        for value: UInt32 in [0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let scalar = Unicode.Scalar(value)!
            XCTAssertTrue(consoleMakesInert(scalar), "console U+\(String(value, radix: 16))")
            XCTAssertTrue(logsMakeInert(scalar), "steward logs U+\(String(value, radix: 16))")
            XCTAssertTrue(logFileEscapes(scalar), "log file U+\(String(value, radix: 16))")
            XCTAssertFalse(LogsFormat.prettyJSON(SequencedLogEntry(sequence: 1, entry: LogEntry(level: .info, source: "t", message: String(scalar))))
                .unicodeScalars.contains(scalar), "console JSON view U+\(String(value, radix: 16))")
        }
    }
}

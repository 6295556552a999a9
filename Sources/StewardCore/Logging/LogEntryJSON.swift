import Foundation
import Logging

// The log file format: one JSON object per line.
//
//   {"time":"2026-11-25T12:00:00.123Z","level":"info","source":"http","message":"GET /api/posts 200 3.1ms","durationMs":3.1,"ip":"127.0.0.1",...}
//
// `time`, `level`, `source` and `message` come first, in that order; the metadata follows
// at the top level with its keys sorted, so equal entries always give byte-equal lines.
// Both directions are written by hand: the encoder runs once for every line Steward logs
// (the pipeline hands the same bytes to every sink) and must be cheap, and the decoder reads files of millions of lines
// for `steward logs`.

/// Writes `LogEntry` values as JSON lines.
///
/// Rules the format keeps:
/// - **One entry, one line.** Every control character (U+0000–U+001F, U+007F and the C1
///   controls U+0080–U+009F) is written as a `\uXXXX` escape, and so are the Unicode line
///   and paragraph separators (U+2028, U+2029) and the bidirectional overrides and
///   isolates (U+202A–U+202E, U+2066–U+2069). A message holding a newline, a carriage
///   return or an ESC sequence therefore stays on its line, can never forge a second
///   log line, and the file itself holds no byte that could drive a terminal.
/// - **Numbers as numbers, when it is safe.** A metadata value that is a plain decimal —
///   `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 digits — is written as a bare JSON
///   number (`"status":200`, `"durationMs":3.1`), so `jq` and friends can compare it. Fifteen
///   digits is what a 64-bit float keeps exactly, so no reader loses precision; anything
///   else (a 20-digit request id, `007`, `1e5`) stays a string. The decoder keeps a
///   number's literal text, so the value reads back exactly as it was.
/// - **Reserved names win.** A metadata key equal to `time`, `level`, `source` or
///   `message` is written with a leading underscore (`_time`), so a line never holds a
///   key twice.
///
/// The encoder caches the formatted current second, which is why it is a mutating value:
/// keep one per writer thread.
public struct LogLineEncoder: Sendable {
    private var cachedSecond: Int64 = .min
    /// `YYYY-MM-DDTHH:MM:SS.` for `cachedSecond`: lines logged in the same second share it.
    private var cachedSecondText: [UInt8] = []
    /// Scratch space for ordering metadata, kept to reuse its capacity.
    private var sortedMetadata: [(key: String, value: String)] = []

    public init() {}

    /// Appends `entry` as one JSON line, newline included, to `buffer`.
    public mutating func append(_ entry: LogEntry, to buffer: inout [UInt8]) {
        JSONText.appendLiteral(#"{"time":""#, to: &buffer)
        appendTime(millisecondsSince1970: entry.millisecondsSince1970, to: &buffer)
        JSONText.appendLiteral(#"","level":""#, to: &buffer)
        JSONText.appendLiteral(LogLineEncoder.levelName(entry.level), to: &buffer)
        JSONText.appendLiteral(#"","source":"#, to: &buffer)
        JSONText.appendString(entry.source, to: &buffer)
        JSONText.appendLiteral(#","message":"#, to: &buffer)
        JSONText.appendString(entry.message, to: &buffer)
        if !entry.metadata.isEmpty {
            // Sorting in a reused array keeps the per-line cost to the comparisons.
            sortedMetadata.removeAll(keepingCapacity: true)
            sortedMetadata.append(contentsOf: entry.metadata)
            sortedMetadata.sort { $0.key < $1.key }
            for (key, value) in sortedMetadata {
                buffer.append(UInt8(ascii: ","))
                if LogLineEncoder.isReserved(key) {
                    JSONText.appendString(LogLineEncoder.unreservedKey(for: key, in: entry.metadata), to: &buffer)
                } else {
                    JSONText.appendString(key, to: &buffer)
                }
                buffer.append(UInt8(ascii: ":"))
                JSONText.appendValue(value, to: &buffer)
            }
            sortedMetadata.removeAll(keepingCapacity: true)
        }
        JSONText.appendLiteral("}\n", to: &buffer)
    }

    private static func levelName(_ level: Logger.Level) -> StaticString {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// Appends `2026-11-25T12:00:00.123Z` for the given instant.
    mutating func appendTime(millisecondsSince1970 milliseconds: Int64, to buffer: inout [UInt8]) {
        // Floor division, so that instants before 1970 still get a millisecond in 0...999.
        let second = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millisecond = Int(milliseconds - second * 1000)
        if second != cachedSecond {
            cachedSecond = second
            cachedSecondText = LogLineEncoder.formatSecond(second)
        }
        buffer.append(contentsOf: cachedSecondText)
        buffer.append(UInt8(ascii: "0") + UInt8(millisecond / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(millisecond / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(millisecond % 10))
        buffer.append(UInt8(ascii: "Z"))
    }

    /// `YYYY-MM-DDTHH:MM:SS.` for a second since 1970, in UTC.
    private static func formatSecond(_ second: Int64) -> [UInt8] {
        let days = second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
        let secondOfDay = Int(second - days * 86_400)
        let (year, month, day) = CivilCalendar.date(fromDaysSince1970: days)
        var text: [UInt8] = []
        text.reserveCapacity(20)
        if (0...9999).contains(year) {
            appendDigits(Int(year), count: 4, to: &text)
        } else {
            text.append(contentsOf: String(year).utf8)
        }
        text.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &text)
        text.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &text)
        text.append(UInt8(ascii: "."))
        return text
    }

    private static func appendDigits(_ value: Int, count: Int, to text: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `time`, `level`, `source` or `message`. Plain comparisons: this runs for every
    /// metadata key of every line, and hashing showed up in profiles.
    static func isReserved(_ key: String) -> Bool {
        key == "time" || key == "level" || key == "source" || key == "message"
    }

    /// `_time`, or `__time` if the entry also has `_time`, and so on.
    private static func unreservedKey(for key: String, in metadata: [String: String]) -> String {
        var candidate = "_" + key
        while metadata[candidate] != nil { candidate = "_" + candidate }
        return candidate
    }
}

extension LogLineEncoder {
    /// `entry` as one JSON line, newline included, in a buffer of its own: the bytes every
    /// sink of a pipeline is handed.
    public mutating func line(for entry: LogEntry) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256 + entry.message.utf8.count)
        append(entry, to: &buffer)
        return buffer
    }
}

extension LogEntry {
    /// The entry as one JSON line, without the trailing newline.
    public var jsonLine: String {
        String(decoding: encodedLine.dropLast(), as: UTF8.self)
    }

    /// The entry as one JSON line, newline included.
    public var encodedLine: [UInt8] {
        var encoder = LogLineEncoder()
        return encoder.line(for: self)
    }

    /// Reads back one line of a Steward log file.
    ///
    /// Needs `time` (in the encoder's ISO 8601 form), `level` and `message`; `source`
    /// defaults to empty. Every other member becomes metadata: strings unescaped, numbers,
    /// `true`, `false` and `null` as their literal text, nested objects and arrays as their
    /// raw JSON text. Returns `nil` for anything that is not one well-formed JSON object,
    /// including a torn last line left by a crash.
    public static func parse(jsonLine: String) -> LogEntry? {
        var line = jsonLine
        return line.withUTF8 { parse(utf8: $0) }
    }

    /// `parse(jsonLine:)` straight from bytes, so the reader need not make a `String` per line.
    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> LogEntry? {
        var milliseconds: Int64?
        var level: Logger.Level?
        var source = ""
        var message: String?
        var metadata: [String: String] = [:]
        var wellTyped = true
        do {
            try JSONObjectReader.forEachMember(bytes, JSONObjectReader.logLine) { key, value, raw in
                switch (key, value) {
                case ("time", .string(let text)):
                    milliseconds = CivilCalendar.parseTimestamp(text)
                case ("level", .string(let text)):
                    level = Logger.Level(rawValue: text) ?? LogEntry.level(named: text)
                case ("source", .string(let text)):
                    source = text
                case ("message", .string(let text)):
                    message = text
                case ("time", _), ("level", _), ("source", _), ("message", _):
                    wellTyped = false
                case (_, .string(let text)):
                    metadata[key] = text
                default:
                    metadata[key] = String(decoding: raw, as: UTF8.self)
                }
            }
        } catch {
            return nil
        }
        guard wellTyped, let milliseconds, let level, let message else { return nil }
        var entry = LogEntry(level: level, source: source, message: message, metadata: metadata)
        entry.millisecondsSince1970 = milliseconds
        return entry
    }
}

// MARK: - Reading the time

extension CivilCalendar {
    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]Z` into milliseconds since 1970. Digits of the
    /// fraction past the third are ignored; anything else not in that form gives `nil`.
    static func parseTimestamp(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for position in range {
                guard JSONText.isDigit(bytes[position]) else { return nil }
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == UInt8(ascii: "-"),
              let month = number(5..<7), bytes[7] == UInt8(ascii: "-"),
              let day = number(8..<10), bytes[10] == UInt8(ascii: "T"),
              let hour = number(11..<13), bytes[13] == UInt8(ascii: ":"),
              let minute = number(14..<16), bytes[16] == UInt8(ascii: ":"),
              let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second <= 60
        else { return nil }
        var position = 19
        var millisecond = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, JSONText.isDigit(bytes[position]) {
                if digits < 3 { millisecond = millisecond * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millisecond *= 10 }
        }
        guard position == bytes.count - 1, bytes[position] == UInt8(ascii: "Z") else { return nil }
        let days = daysSince1970(year: Int64(year), month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1000 + Int64(millisecond)
    }
}

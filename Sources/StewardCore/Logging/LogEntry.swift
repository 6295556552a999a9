import Foundation
import Logging

/// One log record as Steward keeps it, whoever produced it.
///
/// Every log line of the binary — request lines from the HTTP door, security events,
/// application messages that came through swift-log — becomes a `LogEntry` before it
/// reaches the in-memory ring, the log file or standard output. Keeping one flat shape
/// (a few fixed fields plus string metadata) is what lets the console tail, filter and
/// query all of them the same way, and lets `steward logs` read the files back.
///
/// The time is kept to the millisecond, the precision the log file stores, so an entry
/// read back from a file compares equal to the entry that was written.
public struct LogEntry: Sendable, Equatable {
    /// Milliseconds since 1970-01-01T00:00:00Z. `time` is a view of this number.
    public var millisecondsSince1970: Int64
    /// How serious the entry is; `steward logs --level` and the console filter on it.
    public var level: Logger.Level
    /// The part of Steward that wrote the entry: `http`, `security`, `app`, or a swift-log
    /// label. It is the category the console's Logs tab groups and colours by.
    public var source: String
    /// The human sentence. May hold anything, control characters included: the encoder
    /// escapes them and the reader makes them visible, so a message can never break a
    /// line or reach a terminal as an escape sequence.
    public var message: String
    /// Structured fields, flattened to strings (see `flatten(_:)`). Request lines carry
    /// `requestId`, `method`, `path`, `status`, `durationMs`, `ip`, `userId`, `userAgent`.
    public var metadata: [String: String]

    /// When the entry happened, to the millisecond.
    public var time: Date {
        get { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }
        set { millisecondsSince1970 = LogEntry.milliseconds(since1970: newValue) }
    }

    public init(
        time: Date = Date(),
        level: Logger.Level,
        source: String,
        message: String,
        metadata: [String: String] = [:]
    ) {
        self.millisecondsSince1970 = LogEntry.milliseconds(since1970: time)
        self.level = level
        self.source = source
        self.message = message
        self.metadata = metadata
    }

    /// Rounds a date to whole milliseconds since 1970. Rounding (rather than truncating)
    /// makes the conversion stable: a date built from `n` milliseconds always gives `n`
    /// back, despite the binary floating point inside `Date`.
    static func milliseconds(since1970 date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return 0 }
        // Clamp far outside any real log time so that Int64 conversion cannot trap.
        return Int64(max(min(value, 9.0e18), -9.0e18))
    }
}

// MARK: - Metadata from swift-log

extension LogEntry {
    /// Turns swift-log metadata into flat string pairs.
    ///
    /// Nested dictionaries become dotted keys (`["user": ["id": 7]]` → `user.id = "7"`), so
    /// every field stays addressable in the JSON line and by `--grep`; arrays and
    /// string-convertible values become their `description`.
    public static func flatten(_ metadata: Logger.Metadata) -> [String: String] {
        var flat: [String: String] = [:]
        flat.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            flatten(value, key: key, into: &flat)
        }
        return flat
    }

    private static func flatten(_ value: Logger.Metadata.Value, key: String, into flat: inout [String: String]) {
        switch value {
        case .string(let text):
            flat[key] = text
        case .stringConvertible(let convertible):
            flat[key] = convertible.description
        case .array:
            flat[key] = value.description
        case .dictionary(let nested):
            for (nestedKey, nestedValue) in nested {
                flatten(nestedValue, key: key + "." + nestedKey, into: &flat)
            }
        }
    }
}

// MARK: - Request lines

extension LogEntry {
    /// The one JSON log line the HTTP door writes per request (docs/http-api.md).
    ///
    /// The message is the summary a person scans for — `GET /api/posts 200 3.1ms` — and the
    /// same facts are also metadata fields so that tools can filter on them. Any query
    /// string is cut from `path`, because query strings carry search terms and, from badly
    /// behaved clients, tokens. Status 500 and above is logged at `error`, the rest at `info`.
    public static func request(
        time: Date = Date(),
        requestId: String,
        method: String,
        path: String,
        status: Int,
        durationMs: Double,
        ip: String,
        userId: Int64?,
        userAgent: String?
    ) -> LogEntry {
        let pathWithoutQuery = path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path
        let duration = formatMilliseconds(durationMs)
        var metadata: [String: String] = [
            "requestId": requestId,
            "method": method,
            "path": pathWithoutQuery,
            "status": String(status),
            "durationMs": duration,
            "ip": ip,
        ]
        if let userId { metadata["userId"] = String(userId) }
        if let userAgent { metadata["userAgent"] = userAgent }
        return LogEntry(
            time: time,
            level: status >= 500 ? .error : .info,
            source: "http",
            message: requestSummary(method: method, path: pathWithoutQuery, status: metadata["status"]!, durationMs: duration),
            metadata: metadata
        )
    }

    /// `GET /api/posts 200 3.1ms`: the message of a request line. The human form of
    /// `steward logs` recognises a message equal to this and then does not repeat the four
    /// fields it summarises.
    static func requestSummary(method: String, path: String, status: String, durationMs: String?) -> String {
        var summary = method + " " + path + " " + status
        if let durationMs { summary += " " + durationMs + "ms" }
        return summary
    }

    /// A duration in milliseconds with at most three decimals and no trailing zeros
    /// (`3.1`, `0.183`, `12`): precise enough for sub-millisecond routes, short to read,
    /// and a plain JSON number in the file.
    static func formatMilliseconds(_ milliseconds: Double) -> String {
        guard milliseconds.isFinite, milliseconds >= 0 else { return "0" }
        let thousandths = Int64((min(milliseconds, 9.0e12) * 1000).rounded())
        let whole = thousandths / 1000
        var fraction = thousandths % 1000
        guard fraction != 0 else { return String(whole) }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        return String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
}

// MARK: - Levels by name

extension LogEntry {
    /// Reads a level the way operators type it: any case, swift-log's names
    /// (`trace` … `critical`) and the common short forms `warn`, `err` and `crit`.
    /// Used for `STEWARD_LOG_LEVEL` and `steward logs --level`.
    public static func level(named name: String) -> Logger.Level? {
        let lowered = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let level = Logger.Level(rawValue: lowered) { return level }
        switch lowered {
        case "warn": return .warning
        case "err": return .error
        case "crit": return .critical
        default: return nil
        }
    }

    /// The warning a queued sink writes where it had to drop entries (see `LogWriteQueue`).
    static func droppedWarning(count: Int, time: Date = Date()) -> LogEntry {
        LogEntry(
            time: time,
            level: .warning,
            source: "logging",
            message: "dropped \(count) log entries",
            metadata: ["dropped": String(count)]
        )
    }
}

extension Logger.Level {
    /// The level's rank from 0 (`trace`) to 6 (`critical`), for lock-free storage.
    var pipelineRank: UInt8 {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }

    init(pipelineRank rank: UInt8) {
        switch rank {
        case 0: self = .trace
        case 1: self = .debug
        case 2: self = .info
        case 3: self = .notice
        case 4: self = .warning
        case 5: self = .error
        default: self = .critical
        }
    }
}

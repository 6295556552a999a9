import Foundation
import Logging
import StewardCore

// The pieces of the Logs tab that are plain functions of log data: how a line is split
// into coloured parts, what the `/` filter means, an entry as pretty JSON, and the
// per-second rates behind the sparklines. Kept apart from `LogsScreen` so they can be
// tested without a screen.

/// One log entry as the Logs tab shows it: the entry, its ring sequence number, the level
/// it is shown at, and the lower-cased text the `/` filter searches (both computed once,
/// when the entry arrives).
struct LogsRow: Equatable {
    let item: SequencedLogEntry
    let searchText: String
    /// The entry's level, raised for a request answered with a client error (4xx, 429 among
    /// them) to `warning` and with a server error (5xx) to `error`. The HTTP door logs every
    /// answer below 500 at `info`, but an operator scanning the tail wants a burst of 404s
    /// or 429s to stand out, to be reachable with `w`, and to survive `level ≥ warning`.
    let level: Logger.Level

    init(_ item: SequencedLogEntry) {
        self.item = item
        searchText = LogReader.humanLine(item.entry).lowercased()
        var level = item.entry.level
        if let status = LogsRow.requestStatus(of: item.entry) {
            if status >= 500 { level = max(level, .error) } else if status >= 400 { level = max(level, .warning) }
        }
        self.level = level
    }

    var entry: LogEntry { item.entry }
    var sequence: UInt64 { item.sequence }

    /// The HTTP status of a request line, nil for other entries.
    var status: Int? { LogsRow.requestStatus(of: entry) }

    private static func requestStatus(of entry: LogEntry) -> Int? {
        guard entry.metadata["method"] != nil, entry.metadata["path"] != nil else { return nil }
        return entry.metadata["status"].flatMap { Int($0) }
    }

    /// Rows shown at `error` or `critical`: what `e`/`E` jump between.
    var isError: Bool { level >= .error }

    /// Rows shown at `warning`: what `w`/`W` jump between.
    var isWarning: Bool { level == .warning }
}

/// A run of text in one role, for drawing a line in pieces.
struct LogsSpan: Equatable {
    var text: String
    var role: ThemeRole?
}

enum LogsFormat {
    /// `INFO`, `WARN`, … padded to five columns, as `steward logs` prints them.
    static func levelLabel(_ level: Logger.Level) -> String {
        LogReader.levelLabel(level).padding(toLength: 5, withPad: " ", startingAt: 0)
    }

    /// The role of an HTTP status: 2xx success, 3xx info, 4xx warning, 5xx error.
    static func statusRole(_ status: Int) -> ThemeRole {
        switch status {
        case 500...: .error
        case 400..<500: .warning
        case 300..<400: .info
        default: .success
        }
    }

    /// The parts of a tail line after the time, level and source columns.
    ///
    /// A request line reads `GET /api/posts 200 3.1ms` with the status in its status
    /// colour, then the other fields muted; any other entry reads its message, then its
    /// metadata as sorted `key=value` pairs, muted. The text is not sanitized here: the cell
    /// buffer makes every control character inert when it is drawn.
    static func spans(for row: LogsRow) -> [LogsSpan] {
        let entry = row.entry
        var spans: [LogsSpan] = []
        var skipped: Set<String> = []
        if let status = row.status, let method = entry.metadata["method"], let path = entry.metadata["path"] {
            spans.append(LogsSpan(text: method + " " + path + " ", role: nil))
            spans.append(LogsSpan(text: String(status), role: statusRole(status)))
            if let duration = entry.metadata["durationMs"] {
                let shown = Double(duration).map(formatMilliseconds) ?? duration
                spans.append(LogsSpan(text: " " + shown + "ms", role: .muted))
            }
            skipped = ["method", "path", "status", "durationMs"]
        } else {
            spans.append(LogsSpan(text: entry.message, role: nil))
        }
        // Who asked comes first in a request line: it is what a reader looks for next,
        // and a long request id would otherwise push it off the screen.
        let keys = entry.metadata.keys.sorted { left, right in
            guard !skipped.isEmpty, (left == "userId") != (right == "userId") else { return left < right }
            return left == "userId"
        }
        let pairs = keys.filter { !skipped.contains($0) }.map { key in
            key + "=" + LogReader.quotedIfNeeded(entry.metadata[key]!)
        }
        if !pairs.isEmpty {
            spans.append(LogsSpan(text: "  " + pairs.joined(separator: " "), role: .muted))
        }
        return spans
    }

    /// `spans` without their first `columns` columns: what is left of a line scrolled that
    /// far to the right. Cuts fall between grapheme clusters; a wide character cut in half
    /// leaves a space for its right half, so the rest of the line keeps its columns.
    static func spans(_ spans: [LogsSpan], droppingColumns columns: Int) -> [LogsSpan] {
        guard columns > 0 else { return spans }
        var toDrop = columns
        var result: [LogsSpan] = []
        for span in spans {
            guard toDrop > 0 else {
                result.append(span)
                continue
            }
            let width = DisplayWidth.of(span.text)
            if width <= toDrop {
                toDrop -= width
                continue
            }
            var rest = Substring(span.text)
            while toDrop > 0, let first = rest.first {
                toDrop -= DisplayWidth.of(first)
                rest = rest.dropFirst()
            }
            // A negative remainder is the right half of a wide character.
            result.append(LogsSpan(text: String(repeating: " ", count: -toDrop) + rest, role: span.role))
            toDrop = 0
        }
        return result
    }

    /// `3.1`, `12`, `0.183`: at most three decimals, no trailing zeros.
    static func formatMilliseconds(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "0" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `12:00:00.123`: the time of day in UTC, to the millisecond.
    static func timeOfDay(_ entry: LogEntry) -> String {
        let stamp = Timestamp.string(entry.time)
        let characters = Array(stamp)
        guard characters.count >= 23 else { return stamp }
        return String(characters[11..<23])
    }

    // MARK: JSON

    /// The entry as pretty JSON, one member per line, in the order of the log file
    /// (`time`, `level`, `source`, `message`, then the metadata sorted by key). Control
    /// characters are `\u` escapes, so the text is inert on any terminal; plain decimals
    /// are bare numbers, as in the file.
    static func prettyJSON(_ item: SequencedLogEntry) -> String {
        func jsonString(_ text: String) -> String {
            JSONText.string(text, escaping: [.shortForms, .terminalControls])
        }
        let entry = item.entry
        var members: [(String, String)] = [
            ("time", jsonString(Timestamp.string(entry.time))),
            ("level", jsonString(entry.level.rawValue)),
            ("source", jsonString(entry.source)),
            ("message", jsonString(entry.message)),
        ]
        for key in entry.metadata.keys.sorted() {
            var value = entry.metadata[key]!
            members.append((key, value.withUTF8(JSONText.isPlainNumber) ? value : jsonString(value)))
        }
        let body = members.map { "  " + jsonString($0.0) + ": " + $0.1 }.joined(separator: ",\n")
        return "{\n" + body + "\n}"
    }
}

// MARK: - The `/` filter

/// What the `/` filter keeps: every word must match (AND).
///
/// - `4xx`, `5xx` (any digit): request lines with a status in that class;
/// - `status:404`: request lines answered exactly 404 (the status field, not the text: a
///   `.404` in a time or a `404` in a path does not match); `status:4xx`: the class;
/// - `source:http`, `source:security`: entries of that source;
/// - `-word` (any of the above after a `-`): lines that do not match it;
/// - anything else: text contained, ignoring case, in the line as `steward logs` prints it
///   (message and every metadata field); a bare `404` is such text.
struct LogsFilter: Equatable {
    indirect enum Term: Equatable {
        case statusClass(Int)
        case status(Int)
        case source(String)
        /// `request:ID`: the lines of one request, by its exact id.
        case request(String)
        /// `user:ID`: the lines of one account's requests, by its exact id.
        case user(String)
        case text(String)
        case excluded(Term)
    }

    let text: String
    let terms: [Term]

    init(_ text: String) {
        self.text = text
        terms = text.split(separator: " ", omittingEmptySubsequences: true).map { LogsFilter.term(String($0).lowercased()) }
    }

    private static func term(_ word: String) -> Term {
        if word.hasPrefix("-"), word.count > 1 { return .excluded(term(String(word.dropFirst()))) }
        if let digit = statusClass(word) { return .statusClass(digit) }
        if word.hasPrefix("status:") {
            let value = String(word.dropFirst(7))
            if let digit = statusClass(value) { return .statusClass(digit) }
            if value.count == 3, let status = Int(value), (100...599).contains(status) { return .status(status) }
        }
        if word.hasPrefix("source:"), word.count > 7 { return .source(String(word.dropFirst(7))) }
        if word.hasPrefix("request:"), word.count > 8 { return .request(String(word.dropFirst(8))) }
        if word.hasPrefix("user:"), word.count > 5 { return .user(String(word.dropFirst(5))) }
        return .text(word)
    }

    /// `4` for `4xx`, nil for anything else.
    private static func statusClass(_ word: String) -> Int? {
        let characters = Array(word)
        guard characters.count == 3, characters[1] == "x", characters[2] == "x",
              let first = characters[0].wholeNumberValue, (1...5).contains(first) else { return nil }
        return first
    }

    /// The words of plain text the filter looks for (not the excluded ones): what the
    /// detail view highlights.
    var searchedWords: [String] {
        terms.compactMap { if case .text(let word) = $0 { return word } else { return nil } }
    }

    func matches(_ row: LogsRow) -> Bool {
        terms.allSatisfy { LogsFilter.matches($0, row) }
    }

    private static func matches(_ term: Term, _ row: LogsRow) -> Bool {
        switch term {
        case .statusClass(let digit):
            guard let status = row.status else { return false }
            return status / 100 == digit
        case .status(let wanted):
            return row.status == wanted
        case .source(let source):
            return row.entry.source.lowercased() == source
        case .request(let id):
            return row.entry.metadata["requestId"]?.lowercased() == id
        case .user(let id):
            return row.entry.metadata["userId"] == id
        case .text(let needle):
            return row.searchText.contains(needle)
        case .excluded(let term):
            return !matches(term, row)
        }
    }
}

// MARK: - Rates for the sparklines

/// Requests and errors per second over the last minute, oldest first.
struct LogsRates: Equatable {
    /// One value per second: requests answered.
    var requests: [Double]
    /// One value per second: the share of answers that were 4xx or 5xx, 0…1.
    var errorShare: [Double]
    var totalRequests: Int
    var clientErrors: Int
    var serverErrors: Int
    /// Requests per second over the last five complete seconds.
    var requestsPerSecond: Double

    static let seconds = 60

    /// From the listener's own counters (they count every answer, whatever the log level).
    init(sample: ListenerSample) {
        let history = sample.history.suffix(LogsRates.seconds)
        requests = history.map { Double($0.requests) }
        errorShare = history.map { $0.requests > 0 ? Double($0.clientErrors + $0.serverErrors) / Double($0.requests) : 0 }
        totalRequests = history.reduce(0) { $0 + $1.requests }
        clientErrors = history.reduce(0) { $0 + $1.clientErrors }
        serverErrors = history.reduce(0) { $0 + $1.serverErrors }
        requestsPerSecond = sample.requestsPerSecond
    }

    /// From the request lines among `rows`, bucketed by the second they were logged in,
    /// for the `seconds` complete seconds before `now`.
    init(rows: [LogsRow], now: Date) {
        let seconds = LogsRates.seconds
        let nowSecond = Int64((now.timeIntervalSince1970).rounded(.down))
        var counts = [Int](repeating: 0, count: seconds)
        var errors = [Int](repeating: 0, count: seconds)
        var client = 0, server = 0
        for row in rows.reversed() {
            let second = row.entry.millisecondsSince1970 >= 0 ? row.entry.millisecondsSince1970 / 1000 : (row.entry.millisecondsSince1970 - 999) / 1000
            let age = Int(nowSecond - second)
            // Rows are in time order (nearly): once older than the window, stop.
            if age > seconds { break }
            guard age >= 1, let status = row.status else { continue }
            let index = seconds - age
            counts[index] += 1
            if status >= 400 { errors[index] += 1 }
            if (400..<500).contains(status) { client += 1 }
            if status >= 500 { server += 1 }
        }
        requests = counts.map(Double.init)
        errorShare = zip(counts, errors).map { $0 > 0 ? Double($1) / Double($0) : 0 }
        totalRequests = counts.reduce(0, +)
        clientErrors = client
        serverErrors = server
        requestsPerSecond = Double(counts.suffix(5).reduce(0, +)) / 5
    }
}

import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads Steward's log files back, for `steward logs`.
///
/// Files are read in the order they were written: the oldest rotated file first
/// (`steward.log.5`, then `.4` …), then the live `steward.log`. Each line is parsed; lines
/// that are not Steward log entries (a torn last line after a crash) are skipped. What is
/// printed goes through a writer closure, one call per output line without its newline,
/// so the command line wires it to stdout and tests collect it.
///
/// Output is always terminal-safe: the human form maps every control character to a
/// visible placeholder (`TerminalSafe.line`, ESC → `␛`), and so does `--json` for anything
/// a foreign hand put into the file, so no log line can move the cursor, recolour the
/// terminal, set its title or forge a line of its own.
public struct LogReader: Sendable {
    /// What to print and how (`steward logs` flags).
    public struct Options: Sendable {
        /// `--level`: entries less serious than this are skipped. `nil` prints every level.
        public var minimumLevel: Logger.Level?
        /// `--grep`: only entries whose human form contains this text, ignoring case (the
        /// same text whatever the output format, so `--json --grep` selects the same lines).
        public var grep: String?
        /// `--json`: print the JSON lines as stored instead of the human form.
        public var json: Bool

        public init(minimumLevel: Logger.Level? = nil, grep: String? = nil, json: Bool = false) {
            self.minimumLevel = minimumLevel
            self.grep = grep.flatMap { $0.isEmpty ? nil : $0 }
            self.json = json
        }
    }

    /// The log folder (`STEWARD_LOG_DIR`).
    public let directory: URL
    /// The live file's name; rotated files add `.1`, `.2` …
    public let fileName: String

    public init(directory: URL, fileName: String = "steward.log") {
        self.directory = directory
        self.fileName = fileName
    }

    /// The live file.
    public var liveFileURL: URL { directory.appendingPathComponent(fileName) }

    /// The log files present, oldest first, the live file last.
    /// - Throws: `LogFileError` when the folder does not exist or cannot be listed.
    public func files() throws -> [URL] {
        try rotatedFiles() + (FileManager.default.fileExists(atPath: liveFileURL.path) ? [liveFileURL] : [])
    }

    /// Prints every matching entry of every file, oldest first.
    public func read(_ options: Options, write: (String) -> Void) throws {
        var formatter = LineFormatter(options: options)
        for file in try files() {
            try readWholeFile(file.path, formatter: &formatter, write: write)
        }
    }

    /// Prints every matching entry, like `read`, then keeps printing new ones as they are
    /// written (`--follow`) until `shouldStop` returns true; it is asked after every poll.
    ///
    /// Rotation is survived: when `steward.log` is found to be a different file (another
    /// inode: it was renamed to `.1` and recreated), the old file — still open — is read to
    /// its end first, which catches the lines written just before the rename, and then the
    /// new file is read from its start. A file truncated in place is read again from its
    /// start. Polling every `pollInterval` is cheap (a `stat` and a `read` returning 0) and
    /// needs no platform file-watching API; a rotation must not happen twice within one
    /// interval, which at the default 10 MiB per file would take tens of thousands of lines
    /// per second sustained.
    public func follow(
        _ options: Options,
        pollInterval: Duration = .milliseconds(250),
        until shouldStop: () -> Bool,
        write: (String) -> Void
    ) throws {
        var formatter = LineFormatter(options: options)
        var follower = LogFollower(reader: self)
        defer { follower.close() }
        try follower.poll { line in if let output = formatter.output(for: line) { write(output) } }
        let pause = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
        while !shouldStop() {
            Thread.sleep(forTimeInterval: pause)
            try follower.poll { line in if let output = formatter.output(for: line) { write(output) } }
        }
    }

    /// The human form of an entry, terminal-safe:
    /// `2026-11-25T12:00:00.123Z INFO  http  GET /api/posts 200 3.1ms ip=127.0.0.1 requestId=…`
    ///
    /// Time, level (short upper-case name), source, message, then the metadata as sorted
    /// `key=value` pairs, values quoted when they hold spaces. A request line whose message
    /// is its own summary does not repeat `method`, `path`, `status` and `durationMs`.
    public static func humanLine(_ entry: LogEntry) -> String {
        var encoder = LogLineEncoder()
        return TerminalSafe.line(humanText(entry, encoder: &encoder))
    }

    // MARK: Internals

    /// `steward.log.N` files, highest N (oldest) first.
    func rotatedFiles() throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LogFileError(path: directory.path, reason: "cannot list the log folder (\(error.localizedDescription))")
        }
        let prefix = fileName + "."
        let generations = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            let suffix = name.dropFirst(prefix.count)
            guard !suffix.isEmpty, suffix.utf8.allSatisfy(JSONText.isDigit) else { return nil }
            return Int(suffix)
        }
        return generations.sorted(by: >).map { directory.appendingPathComponent(prefix + String($0)) }
    }

    private func readWholeFile(_ path: String, formatter: inout LineFormatter, write: (String) -> Void) throws {
        try Self.readWholeFile(path) { line in if let output = formatter.output(for: line) { write(output) } }
    }

    /// Hands over every line of a file that no longer grows (a rotated one).
    static func readWholeFile(_ path: String, line: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        guard var file = FollowedFile(path: path) else {
            // Rotated away between listing and opening: its lines are in the next file.
            if errno == ENOENT { return }
            throw LogFileError.fromErrno("cannot open the log file", path: path)
        }
        file.readAvailable(line: line)
        file.finish(line: line)
        file.close()
    }

    /// `INFO`, `WARN`, `NOTE`, `CRIT`…: the short upper-case name the human form shows.
    public static func levelLabel(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTE"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "CRIT"
        }
    }

    /// The human form before it is made terminal-safe; `--grep` matches against this.
    static func humanText(_ entry: LogEntry, encoder: inout LogLineEncoder) -> String {
        var timestamp: [UInt8] = []
        timestamp.reserveCapacity(24)
        encoder.appendTime(millisecondsSince1970: entry.millisecondsSince1970, to: &timestamp)
        var line = String(decoding: timestamp, as: UTF8.self)
        line += " "
        line += padded(levelLabel(entry.level), to: 5)
        line += " "
        line += padded(entry.source, to: 5)
        line += " "
        let metadata = entry.metadata
        var summarised: Set<String> = []
        if let summary = requestSummary(of: entry) {
            line += summary
            summarised = ["method", "path", "status", "durationMs"]
        } else {
            line += entry.message
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !summarised.contains(key) {
            line += " "
            line += key
            line += "="
            line += quotedIfNeeded(value)
        }
        return line
    }

    /// `GET /api/posts 200 3.1ms` for a request line, `nil` for any other entry.
    ///
    /// A request line is one whose message is its own summary: `METHOD PATH STATUS` with or
    /// without the duration (`LogEntry.request` writes it with, the HTTP door's middleware
    /// without). The summary is always given with the duration when the entry has one, so
    /// every request reads the same, and its four fields need not be repeated as pairs.
    static func requestSummary(of entry: LogEntry) -> String? {
        let metadata = entry.metadata
        guard let method = metadata["method"], let path = metadata["path"], let status = metadata["status"] else { return nil }
        let duration = metadata["durationMs"]
        guard entry.message == LogEntry.requestSummary(method: method, path: path, status: status, durationMs: duration)
            || entry.message == LogEntry.requestSummary(method: method, path: path, status: status, durationMs: nil)
        else { return nil }
        // `12.0` (a Double's description) reads as `12ms`, like `LogEntry.request` writes it.
        let shownDuration = duration.map { text in Double(text).map(LogEntry.formatMilliseconds) ?? text }
        return LogEntry.requestSummary(method: method, path: path, status: status, durationMs: shownDuration)
    }

    private static func padded(_ text: String, to width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    /// A value as `key=value` shows it: bare when it is one word, else in double quotes
    /// with `"` and `\` escaped, so that `key=value` pairs stay unambiguous.
    public static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.properties.isWhitespace
        }
        guard needsQuotes else { return value }
        var quoted = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        quoted += "\""
        return quoted
    }
}

/// Parses, filters and formats lines for one reading session.
struct LineFormatter {
    let options: LogReader.Options
    /// Reused for timestamps: consecutive lines mostly share their second.
    var encoder = LogLineEncoder()

    init(options: LogReader.Options) {
        self.options = options
    }

    /// What to print for one line of a file, or `nil` to skip it.
    mutating func output(for line: UnsafeBufferPointer<UInt8>) -> String? {
        guard !line.isEmpty, let entry = LogEntry.parse(utf8: line) else { return nil }
        if let minimum = options.minimumLevel, entry.level < minimum { return nil }
        let human = LogReader.humanText(entry, encoder: &encoder)
        if let grep = options.grep, !grep.isEmpty, human.range(of: grep, options: .caseInsensitive) == nil { return nil }
        if options.json {
            return TerminalSafe.line(String(decoding: line, as: UTF8.self))
        }
        return TerminalSafe.line(human)
    }
}

/// Which file a path names, and how big it is.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int

    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    private init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int(status.st_size)
    }
}

/// An open log file read forward in chunks, with the partial last line kept for later.
struct FollowedFile {
    let descriptor: Int32
    let identity: FileIdentity
    /// Bytes read so far; a file now shorter than this was truncated.
    private(set) var offset = 0
    private var partialLine: [UInt8] = []

    /// Opens `path` for reading, or returns `nil` (with `errno` set) if it cannot.
    init?(path: String) {
        let descriptor = SystemCall.open(path, O_RDONLY | O_CLOEXEC, 0)
        guard descriptor >= 0 else { return nil }
        guard let identity = FileIdentity(descriptor: descriptor) else {
            SystemCall.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.identity = identity
    }

    /// Reads to the current end of the file, handing over every complete line.
    mutating func readAvailable(line: (UnsafeBufferPointer<UInt8>) -> Void) {
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { SystemCall.read(descriptor, $0.baseAddress!, chunkSize) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
            chunk.withUnsafeBufferPointer { bytes in
                split(UnsafeBufferPointer(rebasing: bytes[..<count]), line: line)
            }
        }
    }

    /// Hands over a last line that has no newline: at the end of a whole file, or of a
    /// rotated one that will not grow again.
    mutating func finish(line: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard !partialLine.isEmpty else { return }
        partialLine.withUnsafeBufferPointer { line($0) }
        partialLine.removeAll()
    }

    /// Starts again from the top, after the file was truncated in place.
    mutating func rewind() {
        _ = lseek(descriptor, 0, SEEK_SET)
        offset = 0
        partialLine.removeAll()
    }

    func close() {
        SystemCall.close(descriptor)
    }

    private mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, line: (UnsafeBufferPointer<UInt8>) -> Void) {
        var lineStart = 0
        while let newline = bytes[lineStart...].firstIndex(of: 0x0A) {
            let piece = UnsafeBufferPointer(rebasing: bytes[lineStart..<newline])
            if partialLine.isEmpty {
                line(piece)
            } else {
                partialLine.append(contentsOf: piece)
                partialLine.withUnsafeBufferPointer { line($0) }
                partialLine.removeAll(keepingCapacity: true)
            }
            lineStart = newline + 1
        }
        if lineStart < bytes.count {
            partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart...]))
        }
    }
}

/// Follows the log folder one poll at a time: the rotated files and the live file on the
/// first poll, then what was appended since, across rotation.
///
/// This is the whole of `steward logs --follow` but the waiting, so that a caller with its
/// own loop (the console's Logs tab, polling on a background thread) reads the files by
/// exactly the same rules: when `steward.log` is found to be another file (renamed to `.1`
/// and recreated), the old one — still open — is read to its end first, then the new one
/// from its start; a file truncated in place is read again from its start.
public struct LogFollower {
    public let reader: LogReader
    /// False until a poll has read the rotated files (a missing folder leaves it false, and
    /// the next poll tries again).
    private var caughtUp = false
    private var live: FollowedFile?

    public init(reader: LogReader) {
        self.reader = reader
    }

    /// Hands over every complete line written since the last poll, oldest first, as the
    /// raw bytes of the file (without the newline).
    /// - Throws: `LogFileError` when the folder cannot be listed (first poll only) or a
    ///   rotated file cannot be opened.
    public mutating func poll(_ line: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        let livePath = reader.liveFileURL.path
        guard caughtUp else {
            for file in try reader.rotatedFiles() {
                try LogReader.readWholeFile(file.path, line: line)
            }
            caughtUp = true
            live = FollowedFile(path: livePath)
            live?.readAvailable(line: line)
            return
        }
        // Look at the name first, read the open file second: if the name now points to a
        // new file, everything the writer put in the old one is already there to read.
        let named = FileIdentity(path: livePath)
        guard var current = live else {
            live = FollowedFile(path: livePath)
            live?.readAvailable(line: line)
            return
        }
        let offsetBeforeReading = current.offset
        current.readAvailable(line: line)
        if let named, named.device != current.identity.device || named.inode != current.identity.inode {
            current.finish(line: line)
            current.close()
            live = FollowedFile(path: livePath)
            live?.readAvailable(line: line)
            return
        }
        // Truncated in place: the name's size, taken before reading, is below what had been
        // read before it. (Comparing with the offset after reading would take a line the
        // writer appended between the `stat` and the `read` for a truncation, and read the
        // whole file again.)
        if let named, named.size < offsetBeforeReading {
            current.rewind()
            current.readAvailable(line: line)
        }
        live = current
    }

    /// The entries written since the last poll, oldest first; lines that are not Steward
    /// log entries (a torn line after a crash, a foreign line) are skipped.
    public mutating func pollEntries() throws -> [LogEntry] {
        var entries: [LogEntry] = []
        try poll { line in
            if !line.isEmpty, let entry = LogEntry.parse(utf8: line) { entries.append(entry) }
        }
        return entries
    }

    /// Closes the live file. Polling again after this starts over from the rotated files.
    public mutating func close() {
        live?.close()
        live = nil
        caughtUp = false
    }
}

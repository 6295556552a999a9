import Foundation

/// What the console remembers between runs: the theme chosen with `:theme`, and per
/// database the tab last shown and each tab's filters.
///
/// The tab and the filters are kept per database file (its absolute path): ids, accounts
/// and the posts a filter finds differ from one database to the next, so a filter made
/// for the demo database means nothing on the production one. The theme is the person's,
/// whatever the database.
///
/// The file is small JSON, written by the console and readable by people:
///
/// ```json
/// {
///   "databases" : {
///     "/srv/steward/data/steward.sqlite" : {
///       "filters" : { "Logs" : { "status" : "warning", "text" : "4xx" }, "Posts" : { "status" : "draft" } },
///       "tab" : "Posts"
///     }
///   },
///   "theme" : "light",
///   "version" : 1
/// }
/// ```
public struct ConsolePreferences: Codable, Equatable, Sendable {
    /// The format of the file; a file of another version is ignored (and left alone).
    public var version = 1
    /// The theme last chosen with `:theme` (`--theme` and `STEWARD_THEME` still win).
    public var theme: String?
    /// Keyed by the database file's absolute path.
    public var databases: [String: DatabasePreferences] = [:]

    public init() {}

    /// What the console remembers of one database.
    public struct DatabasePreferences: Codable, Equatable, Sendable {
        /// The title of the tab last shown ("Posts"): titles, unlike digits, do not move
        /// when a tab is offered to one account and not to another.
        public var tab: String?
        /// Each tab's filters, by tab title; a tab without filters has no entry.
        public var filters: [String: TabFilterState] = [:]

        public init(tab: String? = nil, filters: [String: TabFilterState] = [:]) {
            self.tab = tab
            self.filters = filters
        }
    }
}

/// The filters of one tab as they are remembered: the `/` text and the status filter
/// (`f`, `w`; the minimum level on the Logs tab), each by name, so the file stays readable
/// and a value a later version no longer knows is skipped rather than misread.
public struct TabFilterState: Codable, Equatable, Sendable {
    public var text: String?
    public var status: String?

    public init(text: String? = nil, status: String? = nil) {
        self.text = text
        self.status = status
    }

    public var isEmpty: Bool { (text ?? "").isEmpty && status == nil }
}

/// The preferences file: reads it once, and writes it whenever what it remembers changes.
///
/// Nothing about it may cost the user their work or their console:
/// - a file that is missing is an empty one; a file that cannot be read, is not JSON or is
///   of another version is ignored, with one ``warning`` for the status bar, and is left
///   exactly as it is: this run does not save, so a hand-edited file with a typo is never
///   replaced by the console's idea of it;
/// - writing goes to a temporary file in the same folder, renamed over the old one, so a
///   crash or a full disk leaves the previous file whole; the folder is made 0700 and the
///   file 0600 (filters can hold email addresses);
/// - a failed write is reported once, through ``warning``, and never thrown.
public final class ConsolePreferencesFile {
    public let url: URL
    /// What the file holds (or will hold at the next save).
    public private(set) var preferences: ConsolePreferences
    /// Why the file was ignored or could not be saved, for the status bar; taken once with
    /// ``takeWarning()``.
    public private(set) var warning: String?
    /// False once the file turned out unreadable: it is then never overwritten.
    private var mayWrite = true
    private var hasWarnedAboutWriting = false

    /// Reads `url` (see the type's notes for what happens when it cannot).
    public init(url: URL) {
        self.url = url
        preferences = ConsolePreferences()
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            let data = try Data(contentsOf: url)
            let read = try JSONDecoder().decode(ConsolePreferences.self, from: data)
            guard read.version == 1 else {
                ignore("it is of version \(read.version), which this steward does not know")
                return
            }
            preferences = read
        } catch let error as DecodingError {
            ignore("it is not a preferences file (\(Self.describe(error)))")
        } catch {
            ignore("it cannot be read (\((error as NSError).localizedDescription))")
        }
    }

    /// `$XDG_CONFIG_HOME/steward/console.json`, or `~/.config/steward/console.json` when
    /// `XDG_CONFIG_HOME` is unset or not absolute (as the XDG base directory spec says).
    public static func defaultURL(environment: [String: String], homeDirectory: String) -> URL {
        let configured = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let base = configured ?? (homeDirectory as NSString).appendingPathComponent(".config")
        return URL(fileURLWithPath: base).appendingPathComponent("steward").appendingPathComponent("console.json")
    }

    /// The key of `path` in ``ConsolePreferences/databases``: absolute, `.` and `..`
    /// resolved, symbolic links followed, so one database has one entry however it was named.
    public static func databaseKey(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The warning, if any, once: the status bar says it a single time.
    public func takeWarning() -> String? {
        defer { warning = nil }
        return warning
    }

    /// Applies `change` and saves when anything changed; returns whether it saved.
    @discardableResult
    public func update(_ change: (inout ConsolePreferences) -> Void) -> Bool {
        var changed = preferences
        change(&changed)
        guard changed != preferences else { return false }
        let isNewDatabase = !Set(changed.databases.keys).isSubset(of: preferences.databases.keys)
        if isNewDatabase {
            // Databases that are gone (a scratch copy, a test run) are forgotten when a new
            // one is added, so the file does not grow with every database ever opened.
            changed.databases = changed.databases.filter { FileManager.default.fileExists(atPath: $0.key) || preferences.databases[$0.key] == nil }
        }
        preferences = changed
        return save()
    }

    /// Writes the file now (on quit, and after every change).
    @discardableResult
    public func save() -> Bool {
        guard mayWrite else { return false }
        do {
            try write()
            return true
        } catch {
            if !hasWarnedAboutWriting {
                hasWarnedAboutWriting = true
                warning = "Could not save the console's preferences to \(url.path): \((error as NSError).localizedDescription)"
            }
            return false
        }
    }

    private func write() throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(preferences)
        data.append(UInt8(ascii: "\n"))
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        unlink(temporary.path)  // left by a run of the same pid that crashed mid-write
        // Created 0600 before a byte is written: the text is never readable by others.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { failure = errno; return }
                offset += written
            }
        }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0 && rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
    }

    private func ignore(_ reason: String) {
        mayWrite = false
        warning = "Ignored \(url.path): \(reason); fix or delete it (left as it is)"
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "no \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "bad value at \(path(context.codingPath))"
        @unknown default:
            return "unreadable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

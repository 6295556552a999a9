import Foundation
import XCTest
@testable import StewardConsole
@testable import StewardCore

/// A listener that only remembers what it was told, for the `S` key and `:serve`.
final class FakeListener: ListenerControl, @unchecked Sendable {
    // Read and written under the lock: the services switch it from a task.
    private let lock = NSLock()
    private var current: ListenerStatus = .off
    private var port = 8080
    var status: ListenerStatus { lock.withLock { current } }
    var sample = ListenerSample(totalRequests: 12, requestsPerSecond: 3.5)
    var address: String { lock.withLock { "127.0.0.1:\(port)" } }
    func start() { lock.withLock { current = .running(host: "127.0.0.1", port: port) } }
    func usePort(_ port: Int) { lock.withLock { self.port = port } }
    func stop() { lock.withLock { current = .off } }
}

/// The demo data set in a temporary database, a fixed clock and the test configuration, with a
/// console app over it that tests drive key by key. Every key is followed by ``settle()``
/// so service work started by the key has finished and reached its screen, as it would on
/// the next tick of the real loop.
final class ConsoleWorld {
    let folder: URL
    let services: Services
    let listener = FakeListener()
    private(set) var app: ConsoleApp
    private(set) var width: Int
    private(set) var height: Int

    static let admin = ("admin@steward.test", "Admin#Demo2026")
    static let moderator = ("moderator@steward.test", "Moderator#Demo2026")
    static let user = ("user@steward.test", "User#Demo2026")

    /// - Parameters:
    ///   - demo: seed the demo set (false: an empty database, for the first run).
    ///   - terminal: where `y` copies to (nil: a console without a terminal clipboard).
    ///   - preferencesFile: the console's preferences file (nil: nothing is remembered).
    ///   - logLines: log entries written to the log folder the Logs tab follows (nil: the
    ///     console has no log pipeline).
    init(demo: Bool = true, width: Int = 120, height: Int = 36, terminal: HeadlessTerminal? = nil,
         preferencesFile: URL? = nil, databasePath: String = "data/demo.sqlite", logLines: [LogEntry]? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = StewardConfig.testing(databaseIn: folder)
        if let logLines {
            let logs = folder.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            var encoder = LogLineEncoder()
            var bytes: [UInt8] = []
            for entry in logLines { encoder.append(entry, to: &bytes) }
            try Data(bytes).write(to: logs.appendingPathComponent("steward.log"))
            config.logDirectory = logs.path
        }
        let fixed = Date(timeIntervalSince1970: 1_790_000_000)
        let passwords = try CommonPasswords.builtIn
        services = try Services.open(config: config, commonPasswords: passwords, now: { fixed })
        if demo {
            let services = self.services
            _ = try BlockingCall.run { try await services.operations.seedDemo(.commandLine) }
        }
        self.width = width
        self.height = height
        options = ConsoleOptions(services: services, databasePath: databasePath, theme: .monochrome,
                                 themeDirectory: folder.appendingPathComponent("themes").path,
                                 logRing: logLines.map { _ in LogRing(capacity: 1_000) }, listener: listener, needsFirstAdmin: !demo,
                                 clipboard: terminal, preferences: preferencesFile.map(ConsolePreferencesFile.init(url:)))
        app = ConsoleApp(options: options)
        _ = app.update(.resize(width: width, height: height))
    }

    private let options: ConsoleOptions

    /// Quits this console (as `q` would, saving what it remembers) and starts a new one on
    /// the same database, reading the preferences file again: the next run of `steward`.
    func restart(themeIsExplicit: Bool = false) {
        _ = app.update(.ctrl("c"))
        app.settle()
        var next = options
        next.preferences = options.preferences.map { ConsolePreferencesFile(url: $0.url) }
        next.themeIsExplicit = themeIsExplicit
        app = ConsoleApp(options: next)
        _ = app.update(.resize(width: width, height: height))
    }

    deinit {
        app.settle()
        try? services.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Sends events one at a time, each followed by settling.
    @discardableResult
    func press(_ events: InputEvent...) -> ConsoleCommand {
        var last = ConsoleCommand.unchanged
        for event in events {
            last = app.update(event)
            app.settle()
            _ = app.update(.tick)
        }
        return last
    }

    /// Types text character by character.
    func type(_ text: String) {
        for character in text { _ = app.update(.char(character)) }
    }

    /// Runs a `:` command.
    func command(_ line: String) {
        press(.char(":"))
        type(line)
        press(.enter)
    }

    func signIn(_ account: (String, String)) {
        type(account.0)
        press(.tab)
        type(account.1)
        press(.enter)
    }

    func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        press(.resize(width: width, height: height))
    }

    /// Lets status messages expire (5 s of ticks), so the status bar shows key hints.
    func expireMessages() {
        for _ in 0..<100 { _ = app.update(.tick) }
    }

    func render() -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        app.view(into: &buffer)
        return buffer
    }

    var screenText: String { render().text() }

    // MARK: Database checks

    func post(titled title: String) throws -> Post {
        let services = self.services
        return try BlockingCall.run {
            var cursor: String?
            repeat {
                let page = try await services.posts.list(.commandLine, PostService.ListRequest(limit: 100, cursor: cursor))
                if let post = page.items.first(where: { $0.title == title }) { return post }
                cursor = page.nextCursor
            } while cursor != nil
            throw StewardError.notFound("post \(title)")
        }
    }

    func post(id: Int64) throws -> Post? {
        let services = self.services
        return try BlockingCall.run { try await services.context.store.post(id: id) }
    }

    func comment(id: Int64) throws -> Comment? {
        let services = self.services
        return try BlockingCall.run { try await services.context.store.comment(id: id) }
    }

    func user(email: String) throws -> User? {
        let services = self.services
        return try BlockingCall.run { try await services.context.store.user(email: email) }
    }

    func events(_ kind: SecurityEventKind) throws -> [SecurityEvent] {
        let services = self.services
        return try BlockingCall.run {
            try await services.securityEvents.list(.commandLine, SecurityEventService.ListRequest(event: kind, limit: 100)).items
        }
    }

    func role(_ name: String) throws -> Role? {
        let services = self.services
        return try BlockingCall.run { try await services.context.store.listRoles().first { $0.name == name } }
    }
}

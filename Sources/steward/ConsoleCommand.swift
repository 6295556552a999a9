import ArgumentParser
import Foundation
import Synchronization
import Logging
import StewardConsole
import StewardCore
import StewardHTTP

/// `steward console`: the ncurses console, on the main thread of a synchronous command
/// (an async command would park one of the two cooperative-pool threads on terminal
/// input). Service calls run in Tasks; the HTTP listener, when started, runs on its own
/// tasks; nothing prints to stdout while ncurses owns the terminal (logs go to files).
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the terminal console (the default command).",
        discussion: """
            Keys: 1–5 and Tab switch tabs, j/k and arrows move, Enter opens, Esc goes back, / filters, \
            : opens the command line, ? lists every key, S starts or stops the HTTP listener, q quits.
            """)

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "Open the demo database, creating it from the built-in demo set when absent: data/demo.sqlite when the working folder has data/, else $XDG_DATA_HOME/steward/demo.sqlite (~/.local/share/steward/demo.sqlite).") var demo = false
    @Flag(name: .long, help: "Also start the HTTP listener at STEWARD_HOST:STEWARD_PORT.") var serve = false
    @Option(name: .long, help: "A built-in theme (default, light, high-contrast, monochrome) or a NAME.theme file in STEWARD_THEME_DIR (default: STEWARD_THEME, else default).") var theme: String?

    func validate() throws {
        if demo && database.db != nil { throw ValidationError("give either --demo or --db, not both") }
    }

    func run() throws {
        var overrides: [String: String] = [:]
        if let theme { overrides["STEWARD_THEME"] = theme }
        if demo {
            overrides["STEWARD_DB"] = DemoSet.databasePath(workingDirectory: FileManager.default.currentDirectoryPath,
                                                           environment: ProcessInfo.processInfo.environment,
                                                           homeDirectory: NSHomeDirectory())
        }
        let config = try database.config(overrides)
        // The theme is checked before the terminal is taken over, so a broken file is
        // reported on a normal screen, naming the file and the line.
        let chosenTheme: Theme
        do { chosenTheme = try ThemeCatalog(directory: config.themeDirectory).theme(named: config.theme) } catch { throw CLIError("theme: \(error)") }

        let fresh = !FileManager.default.fileExists(atPath: config.databasePath)
        let pipeline = try LoggingSetup.start(config)
        let services: Services
        do { services = try Services.open(config: config) } catch let error as StewardError { throw CLIError(error.description) }
        services.shareLogs(from: pipeline)
        if demo && fresh {
            do {
                _ = try blocking { try await services.operations.seedDemo(.commandLine) }
            } catch {
                try? FileManager.default.removeItem(atPath: config.databasePath)
                throw error
            }
        }
        let needsFirstAdmin = try blocking { try await services.operations.needsFirstAdmin() }
        let listener = ListenerAdapter(services: services, host: config.host, port: config.port)

        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(options: .init(rawInput: true)) } catch { throw CLIError("\(error)") }
        terminal.installSignalRestorers()
        defer { terminal.shutdown() }
        // `--serve` is the local operator's choice, made on the command line. On an empty
        // database the listener waits for the first admin: until then anyone reaching the
        // port could register the first account of a system nobody administers yet.
        if serve && !needsFirstAdmin {
            try blocking { try await services.server.startListener(.commandLine, listener) }
        } else if serve {
            Task.detached {
                while (try? await services.operations.needsFirstAdmin()) != false {
                    try? await Task.sleep(for: .milliseconds(250))
                }
                try? await services.server.startListener(.commandLine, listener)
            }
        }

        // A theme asked for (`--theme`, `STEWARD_THEME` in the environment or in `.env`)
        // beats the one the console remembers; the default theme does not.
        let themeIsExplicit = theme != nil || ProcessInfo.processInfo.environment["STEWARD_THEME"] != nil || config.theme != "default"
        let preferences = ConsolePreferencesFile(url: ConsolePreferencesFile.defaultURL(environment: ProcessInfo.processInfo.environment,
                                                                                       homeDirectory: NSHomeDirectory()))
        let options = ConsoleOptions(services: services, databasePath: config.databasePath,
                                     theme: chosenTheme.adapted(to: terminal.colorSupport), themeDirectory: config.themeDirectory,
                                     colorSupport: terminal.colorSupport, logRing: pipeline.ring, listener: listener,
                                     needsFirstAdmin: needsFirstAdmin, clipboard: terminal,
                                     preferences: preferences, themeIsExplicit: themeIsExplicit)
        let app = ConsoleApp(options: options)
        let loop = TerminalLoop(backend: terminal, program: app, theme: options.theme)
        loop.run()
        app.settle(timeout: .seconds(5))
        app.signOut()
        terminal.shutdown()
        listener.stopAndWait()
    }
}

/// The console's view of the real HTTP listener: made on first start, started and stopped
/// in the background, its counters read on each tick.
final class ListenerAdapter: ListenerControl, Sendable {
    private let services: Services
    private let host: String
    /// The port the next listener binds: the configured one until `:serve --port N`.
    private let port: Mutex<Int>
    private let listener = Mutex<HTTPListener?>(nil)

    init(services: Services, host: String, port: Int) {
        self.services = services
        self.host = host
        self.port = Mutex(port)
    }

    var address: String {
        if case .running(let host, let port) = status { return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        let port = self.port.withLock { $0 }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    var status: ListenerStatus {
        guard let listener = listener.withLock({ $0 }) else { return .off }
        switch listener.state {
        case .stopped: return .off
        case .starting: return .starting
        case .running(let host, let port): return .running(host: host, port: port)
        case .failed(let message): return .failed(message)
        }
    }

    var sample: ListenerSample {
        guard let listener = listener.withLock({ $0 }) else { return .empty }
        let snapshot = listener.stats.snapshot()
        return ListenerSample(totalRequests: snapshot.totalRequests, clientErrors: snapshot.clientErrors, serverErrors: snapshot.serverErrors,
                              requestsPerSecond: snapshot.requestsPerSecond,
                              history: snapshot.history.map { .init(requests: $0.requests, clientErrors: $0.clientErrors, serverErrors: $0.serverErrors) })
    }

    func start() {
        let services = services, host = host, port = port.withLock { $0 }
        let current = listener.withLock { slot in
            // A listener binds its port when made: a new port needs a new one.
            if let made = slot, made.port != port {
                switch made.state {
                case .stopped, .failed: slot = nil
                case .starting, .running: break
                }
            }
            if slot == nil { slot = StewardServer(services: services, logger: Logger(label: "http")).makeListener(host: host, port: port) }
            return slot
        }
        current?.start()
    }

    func usePort(_ port: Int) {
        self.port.withLock { $0 = port }
    }

    func stop() {
        guard let current = listener.withLock({ $0 }) else { return }
        Task.detached { await current.stop() }
    }

    func stopAndWait() {
        _ = listener.withLock({ $0 })?.stopAndWait(timeout: .seconds(5))
    }
}

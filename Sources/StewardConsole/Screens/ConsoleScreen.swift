import Foundation
import StewardCore
import Synchronization

// MARK: - How to add a tab
//
// A tab of the console is a class that conforms to ``ConsoleScreen``. The app
// (``ConsoleApp``) owns the tab bar, the status bar, the `:` command line, the `/` prompt
// hand-off, the help overlay, confirm dialogs and alerts; a screen owns only its own area
// between the tab bar and the status bar.
//
// 1. Write `final class MyScreen: ConsoleScreen` with `init(environment: ConsoleEnvironment)`.
//    Keep everything the screen shows in stored properties (its *model*).
// 2. `title` is the tab's name; `keyHints` lists the keys the screen answers to *for this
//    account*: build it from `environment.can("…")`, so actions the account lacks are
//    neither in the status bar nor in the `?` help. The app adds the global keys.
// 3. `update(_:)` gets a ``ScreenEvent`` and answers with a ``ScreenEffect``:
//    - `.input(event)`: a key or mouse event the app did not take (the app takes 1–5, Tab,
//      `?`, `:`, `q` and `S` unless ``ConsoleScreen/capturesInput`` is true);
//    - `.tick`: every 100 ms, for live views (answer `.none` when nothing changed, so the
//      loop does not redraw);
//    - `.command(line)`: a `:` line the app did not know (`:publish`, `:hide`…). Return
//      `.unhandled` for commands that are not yours: the app then says "unknown command";
//    - `.finished(result)`: a ``ScreenWork`` you asked for has completed;
//    - `.activated`: the tab was just shown (refresh what may be stale).
// 4. Never call an `async` service method from `update`: return
//    `.perform(ScreenWork(tag:label:) { … })`. The closure runs in a Task off the input
//    loop, and its value (or error) comes back later as `.finished(result)` with the same
//    tag. Read it with `result.value(as: T.self)` or `result.errorMessage`. Keep the closure
//    `@Sendable`: capture `environment.services` and `environment.caller` (both Sendable)
//    in local constants, never `self`.
// 5. `view(into:area:theme:)` draws the model into `area` and does nothing else. Every
//    string from the database or a log line goes through the buffer (which makes control
//    characters inert) — use `TerminalSafe`/`InertText` too when you build text yourself.
// 6. Register the screen in ``ConsoleApp/makeScreens(environment:)``.
//
// Permission checks, validation and audit live in the services, never here: a screen
// that is asked (through `:`) to do something the account may not do calls the service
// anyway, and shows the service's refusal (which the service has audited).

/// Something that happened that a screen may react to.
public enum ScreenEvent {
    /// A key or mouse event the app did not consume.
    case input(InputEvent)
    /// The loop's timer, every 100 ms.
    case tick
    /// The screen just became the visible tab.
    case activated
    /// A `:` command the app does not handle itself, already split into words.
    case command(CommandLineInput)
    /// A ``ScreenWork`` of this screen has finished.
    case finished(WorkResult)
    /// The terminal was resized; the screen's area is now `area`.
    case layout(area: Rect)
}

/// A `:` command line split into its name and arguments: `:export users csv out.csv` is
/// name `export`, arguments `["users", "csv", "out.csv"]`.
public struct CommandLineInput: Equatable, Sendable {
    public var name: String
    public var arguments: [String]
    public var raw: String

    public init(_ raw: String) {
        self.raw = raw
        let words = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        name = words.first?.lowercased() ?? ""
        arguments = Array(words.dropFirst())
    }

    /// Everything after the command name, spaces kept (a path with spaces, a filter).
    public var rest: String {
        guard let range = raw.range(of: name, options: [.caseInsensitive]) else { return "" }
        return raw[range.upperBound...].trimmingCharacters(in: .whitespaces)
    }
}

/// What a screen asks the app to do after an event.
public indirect enum ScreenEffect {
    /// Nothing visible changed.
    case none
    /// The screen's model changed: draw a new frame.
    case redraw
    /// The event (a `:` command, usually) is not this screen's: let the app handle it.
    case unhandled
    /// Run `work` off the input loop; its result comes back as `.finished`.
    case perform(ScreenWork)
    /// Show `text` in the status bar (replacing the key hints for a few seconds).
    case status(String, role: ThemeRole = .success)
    /// Show an error in the status bar, in the error role.
    case error(String)
    /// Ask a yes/no question; on yes, run `work`.
    case confirm(ConfirmDialog, then: ScreenWork)
    /// A modal message box the user dismisses with Enter or Esc (a one-time password).
    case alert(title: String, message: String)
    /// Switch to the tab at `index` (0-based) and deliver `event` to it.
    case switchTab(Int, then: ScreenEvent?)
    /// Leave the console.
    case quit
    /// Several effects, in order.
    case batch([ScreenEffect])
}

/// A piece of service work a screen wants done off the input loop.
///
/// `operation` runs in a detached Task; what it returns (or throws) comes back to the same
/// screen as ``ScreenEvent/finished(_:)`` with this ``tag``. While it runs the status bar
/// shows ``label``.
public struct ScreenWork: Sendable {
    /// How the screen recognises the answer: `"publish"`, `"page"`.
    public var tag: String
    /// What the status bar says while it runs: "Publishing…". Empty for silent work.
    public var label: String
    public var operation: @Sendable () async throws -> any Sendable

    public init(tag: String, label: String = "", operation: @escaping @Sendable () async throws -> any Sendable) {
        self.tag = tag
        self.label = label
        self.operation = operation
    }
}

/// The outcome of a ``ScreenWork``.
public struct WorkResult: Sendable {
    public var tag: String
    public var result: Result<any Sendable, any Error>

    public init(tag: String, result: Result<any Sendable, any Error>) {
        self.tag = tag
        self.result = result
    }

    /// The value if the work succeeded and returned a `T`.
    public func value<T>(as type: T.Type) -> T? {
        if case .success(let value) = result { return value as? T }
        return nil
    }

    /// The error the work threw, if it failed.
    public var error: (any Error)? {
        if case .failure(let error) = result { return error }
        return nil
    }

    /// The failure as the service put it (safe to show: services never put SQL, paths or
    /// secrets into their messages), with every field error; nil on success.
    public var errorMessage: String? {
        guard let error else { return nil }
        return ConsoleEnvironment.describe(error)
    }
}

/// A tab of the console. See the top of this file for how to write one.
public protocol ConsoleScreen: AnyObject {
    /// The tab's name in the tab bar.
    var title: String { get }
    /// The keys this screen answers to for the signed-in account (the app adds the global
    /// ones). Prominent hints go in the status bar; all of them in the `?` help.
    var keyHints: KeyHintList { get }
    /// True while the screen is editing text (its own filter prompt, a form, a checkbox
    /// dialog): the app then passes every key to the screen, `q`, digits and `:` included.
    var capturesInput: Bool { get }
    /// Reacts to an event; see ``ScreenEvent``.
    func update(_ event: ScreenEvent) -> ScreenEffect
    /// Draws the screen's model into `area` of `buffer`.
    func view(into buffer: inout CellBuffer, area: Rect, theme: Theme)
}

extension ConsoleScreen {
    public var capturesInput: Bool { false }
}

// MARK: - The HTTP listener, as the console sees it

/// Where the HTTP listener is in its life (mirrors the HTTP module's listener state, so the
/// console does not depend on the HTTP stack and tests need no server).
public enum ListenerStatus: Equatable, Sendable {
    case off
    case starting
    case running(host: String, port: Int)
    case failed(String)

    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }

    /// "127.0.0.1:8080", "[::1]:8080".
    public var address: String? {
        guard case .running(let host, let port) = self else { return nil }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Counters of the listener at one moment: totals and the last minute, second by second.
public struct ListenerSample: Equatable, Sendable {
    public struct Second: Equatable, Sendable {
        public var requests: Int
        public var clientErrors: Int
        public var serverErrors: Int
        public init(requests: Int, clientErrors: Int, serverErrors: Int) {
            self.requests = requests
            self.clientErrors = clientErrors
            self.serverErrors = serverErrors
        }
    }

    public var totalRequests: Int
    public var clientErrors: Int
    public var serverErrors: Int
    /// Averaged over the last few complete seconds.
    public var requestsPerSecond: Double
    /// The last minute, oldest first, one element per second (for sparklines).
    public var history: [Second]

    public init(totalRequests: Int = 0, clientErrors: Int = 0, serverErrors: Int = 0, requestsPerSecond: Double = 0, history: [Second] = []) {
        self.totalRequests = totalRequests
        self.clientErrors = clientErrors
        self.serverErrors = serverErrors
        self.requestsPerSecond = requestsPerSecond
        self.history = history
    }

    public static let empty = ListenerSample()
}

/// Starts and stops the HTTP listener and reads its counters. `steward console` adapts the
/// real listener; tests use a fake. Methods return at once (starting and stopping happen in
/// the background); read ``status`` on the next tick to see the outcome.
public protocol ListenerControl: AnyObject, ListenerSwitch {
    var status: ListenerStatus { get }
    var sample: ListenerSample { get }
    func start()
    func stop()
}

// MARK: - The environment every screen gets

/// What a screen works with: the services, who is signed in, the database, the log ring
/// and the listener. One per signed-in session, used on the console's thread only.
public final class ConsoleEnvironment {
    public let services: Services
    /// The console's session: every service call re-checks it (see ``caller``).
    public let session: ConsoleSession
    /// The database file, as the status bar shows it.
    public let databasePath: String
    /// Recent log entries of this process (the Logs tab's live tail); nil in tests that
    /// do not need it.
    public let logRing: LogRing?
    /// The HTTP listener; nil when this console cannot start one.
    public let listener: (any ListenerControl)?
    /// The signed-in user's display name, for the status bar.
    public var displayName: String

    public init(services: Services, session: ConsoleSession, databasePath: String, logRing: LogRing? = nil,
                listener: (any ListenerControl)? = nil, displayName: String? = nil) {
        self.services = services
        self.session = session
        self.databasePath = databasePath
        self.logRing = logRing
        self.listener = listener
        self.displayName = displayName ?? session.principalAtSignIn.email
    }

    /// The account as it signed in, for what the console shows (never for authorizing).
    public var principal: Principal { session.principalAtSignIn }

    /// The caller every service call of this console uses: the session, client `console`.
    /// The services check it again on every call, as a token on every request.
    public var caller: Caller { .console(session) }

    /// Whether the account held `permission` at sign-in (for offering actions, not for
    /// enforcing them: the services enforce, and a change of permissions ends the session).
    public func can(_ permission: Permission) -> Bool { principal.can(permission) }

    /// The clock of the services (fixed in tests, so snapshots are stable).
    public var now: Date { services.context.now() }

    /// A service error as one line for the status bar: the message, then each field error.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? StewardError {
            if error.fieldErrors.isEmpty { return error.message }
            return error.message + " " + error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        }
        return String(describing: error)
    }
}

// MARK: - Running work off the input loop

/// Runs ``ScreenWork`` in Tasks and collects the results in a thread-safe inbox that the
/// app drains on every event (ticks included), so results reach screens within one tick
/// and the input loop never waits for a service call.
public final class WorkRunner: Sendable {
    public struct Completion: Sendable {
        /// Which screen asked (an index the app understands).
        public var owner: Int
        public var result: WorkResult
    }

    private struct State {
        var done: [Completion] = []
        var running = 0
        var labels: [Int: String] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Starts `work` for `owner`.
    public func start(_ work: ScreenWork, owner: Int) {
        let id = state.withLock { state -> Int in
            state.running += 1
            state.nextID += 1
            if !work.label.isEmpty { state.labels[state.nextID] = work.label }
            return state.nextID
        }
        let tag = work.tag
        let operation = work.operation
        Task.detached { [self] in
            let result: Result<any Sendable, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            let completion = Completion(owner: owner, result: WorkResult(tag: tag, result: result))
            state.withLock { state in
                state.done.append(completion)
                state.running -= 1
                state.labels[id] = nil
            }
        }
    }

    /// Takes every finished result, oldest first.
    public func drain() -> [Completion] {
        state.withLock { state in
            defer { state.done.removeAll() }
            return state.done
        }
    }

    /// How many works are still running.
    public var runningCount: Int { state.withLock { $0.running } }

    /// The label of some running work, for the status bar ("Publishing…").
    public var activeLabel: String? { state.withLock { $0.labels.values.sorted().first } }

    /// Blocks until nothing is running or `timeout` passes (tests, and the console's
    /// shutdown). Returns whether everything finished.
    @discardableResult
    public func waitUntilIdle(timeout: Duration = .seconds(10)) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while runningCount > 0 {
            if clock.now >= deadline { return false }
            usleep(1_000)
        }
        return true
    }
}

/// Runs an `async` service call from synchronous code and waits for it.
///
/// Only for the table data sources: a keyset page is one indexed query (well under a
/// millisecond on a million rows), and ``Table`` asks for pages synchronously. The call
/// runs in a Task on the cooperative pool while the console's thread waits, which is safe
/// because the console's thread is never a pool thread. Anything slower (writes, argon2,
/// full-text search over many rows is fine too, but actions never) goes through
/// ``ScreenWork``.
public enum BlockingCall {
    public static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Mutex<Result<T, any Error>?>(nil)
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            semaphore.signal()
        }
        semaphore.wait()
        return try box.withLock { $0! }.get()
    }
}

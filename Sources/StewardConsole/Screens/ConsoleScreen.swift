import Foundation
import StewardCore
import Synchronization

// MARK: - How to add a tab
//
// A tab of the console is a class that conforms to ``ConsoleScreen``. The app
// (``ConsoleApp``) owns the tab bar, the status bar, the `:` command line, the help
// overlay, confirm dialogs and alerts; a screen owns only its own area between the tab
// bar and the status bar. The shape is Elm's (Bubble Tea's, ratatui's): a model, an
// `update` that changes it, messages for what comes back from work, and a `view`.
//
// 1. Write `final class MyScreen: ConsoleScreen` with `init(environment: ConsoleEnvironment)`.
//    Keep everything the screen shows in stored properties (its *model*).
// 2. Declare `enum Message: ScreenMessage` with one case per answer your work can give
//    (`case published(Post)`) and `case failed(StewardError)`. The compiler then checks
//    that `receive(_:)` handles every answer; nothing is routed by a string or a cast.
// 3. `title` is the tab's name; `keyHints` lists the keys the screen answers to *for this
//    account*: build it from `environment.can(…)`, so actions the account lacks are
//    neither in the status bar nor in the `?` help. The app adds the global keys.
// 4. `update(_:)` gets a ``ScreenEvent`` and answers with a ``ScreenEffect``:
//    - `.input(event)`: a key or mouse event the app did not take (the app takes 1–9, Tab,
//      `?`, `:`, `q` and `S` unless ``ConsoleTab/capturesInput`` is true);
//    - `.tick`: every 100 ms, for live views (answer `.none` when nothing changed, so the
//      loop does not redraw);
//    - `.command(line)`: a `:` line the app did not know (`:publish`, `:hide`…). Return
//      `.unhandled` for commands that are not yours: the app then says "unknown command";
//    - `.activated`: the tab was just shown (refresh what may be stale);
//    - `.layout(area)`: the screen's area changed.
// 5. Never call an `async` service method from `update` or `receive`: return
//    `.perform(ScreenWork(label:) { … return .published(post) })`. The closure runs in a
//    Task off the input loop and returns a `Message`, which comes back later through
//    `receive(_:)`; if it throws, you receive `.failed(error)` (or what `failure:` makes of
//    it). A failure that says the session ended never reaches you: the app returns to
//    sign-in, whichever work met it. Keep the closure `@Sendable`: capture
//    `environment.services` and `environment.caller` (both Sendable) in local constants,
//    never `self`.
// 6. A tab that browses a service list embeds a ``BrowseTable``: write a
//    ``BrowseListing`` (columns, a row, one keyset page of the service, the detail), give
//    the browse table the events first (`browse.handle(event)` is nil for keys that are
//    not browsing keys, which are then your actions), add `case table(BrowseTable<…>.Message)`
//    to your messages and pass its effects on with `.map(Message.table)`. Its pages are
//    work like any other, so they never block the input loop. `PostsScreen` is the
//    smallest example.
// 7. `view(into:area:theme:)` draws the model into `area` and does nothing else. Every
//    string from the database or a log line goes through the buffer (which makes control
//    characters inert) — use `TerminalSafe`/`InertText` too when you build text yourself.
// 8. Register the screen in ``ConsoleApp/makeScreens(environment:)`` as
//    `ScreenHost(MyScreen(environment: environment))`.
// 9. Optional: filters the console should remember between runs go through
//    ``ConsoleScreen/rememberedFilter`` and ``ConsoleScreen/restore(_:)`` (a browse tab
//    forwards both to its ``BrowseTable``); something worth copying (an id, a secret) is
//    `.copy(ClipboardItem(…))` on a key, usually `y`: the app sends it to the terminal
//    (OSC 52) and says what came of it.
//
// Permission checks, validation and audit live in the services, never here: a screen
// that is asked (through `:`) to do something the account may not do calls the service
// anyway, and shows the service's refusal (which the service has audited).

/// Something that happened that a screen may react to. The answers to a screen's own work
/// are not events: they arrive as the screen's ``ConsoleScreen/Message``, through
/// ``ConsoleScreen/receive(_:)``.
enum ScreenEvent {
    /// A key or mouse event the app did not consume.
    case input(InputEvent)
    /// The loop's timer, every 100 ms.
    case tick
    /// The screen just became the visible tab.
    case activated
    /// A `:` command the app does not handle itself, already split into words.
    case command(CommandLineInput)
    /// The terminal was resized; the screen's area is now `area`.
    case layout(area: Rect)
    /// Show `location` (one the screen said it ``ConsoleTab/canShow(_:)``), read afresh:
    /// drill-down arrived here, or Esc came back. Nil: the screen's list, as it was (leave
    /// the detail or the thread).
    case show(ConsoleLocation?)
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

extension CommandLineInput {
    /// The one id an id-taking command (`:open 47`, `:delete 57`) may name: nil when none
    /// is given, so the command acts on the row under the cursor. A command that acts on
    /// something other than what was typed is worse than one that refuses, so a word that
    /// is not an id, a `--flag` or a second word is an error, never ignored.
    func optionalID(of noun: String) -> Result<Int64?, CommandLineError> {
        if let error = unknownFlag() { return .failure(error) }
        guard arguments.count <= 1 else { return .failure(CommandLineError("`:\(name)` takes at most one \(noun) id")) }
        guard let word = arguments.first else { return .success(nil) }
        guard let id = Int64(word), id > 0 else { return .failure(CommandLineError("`\(word)` is not a \(noun) id")) }
        return .success(id)
    }

    /// An error when the command was given any argument: `:stop extra` is a typo, not `:stop`.
    func noArguments() -> CommandLineError? {
        if let error = unknownFlag() { return error }
        return arguments.isEmpty ? nil : CommandLineError("`:\(name)` takes no arguments")
    }

    /// The first `--word` among the arguments, as an error (commands that take flags
    /// remove theirs before asking).
    func unknownFlag(allowing known: Set<String> = []) -> CommandLineError? {
        arguments.first { $0.hasPrefix("--") && !known.contains($0) }.map { CommandLineError("unknown argument \($0)") }
    }

    /// The words of a command that takes `--force` (`:backup`, `:export`): the other
    /// arguments, and whether `--force` was among them; any other `--flag` is an error.
    func wordsAndForce() -> Result<(words: [String], force: Bool), CommandLineError> {
        if let error = unknownFlag(allowing: ["--force"]) { return .failure(error) }
        return .success((arguments.filter { $0 != "--force" }, arguments.contains("--force")))
    }
}

/// Why a `:` line was not run, as the status bar says it.
struct CommandLineError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// What a screen asks the app to do after an event or a message. `Message` is the type of
/// the answers its work sends back.
indirect enum ScreenEffect<Message: Sendable> {
    /// Nothing visible changed.
    case none
    /// The screen's model changed: draw a new frame.
    case redraw
    /// The event (a `:` command, usually) is not this screen's: let the app handle it.
    case unhandled
    /// Run `work` off the input loop; its message comes back through `receive`.
    case perform(ScreenWork<Message>)
    /// Show `text` in the status bar (replacing the key hints for a few seconds).
    case status(String, role: ThemeRole = .success)
    /// Show an error in the status bar, in the error role.
    case error(String)
    /// Ask a yes/no question; on yes, run `work`.
    case confirm(ConfirmDialog, then: ScreenWork<Message>)
    /// A modal message box the user dismisses with Enter or Esc (a one-time password);
    /// `copyable` is what `y` in the box puts on the clipboard.
    case alert(title: String, message: String, copyable: ClipboardItem? = nil)
    /// Put `item` on the clipboard (through the terminal, OSC 52) and say so in the status
    /// bar, or say why not and where to read it instead.
    case copy(ClipboardItem)
    /// Switch to the tab at `index` (0-based) and deliver `event` to it.
    case switchTab(Int, then: ScreenEvent?)
    /// Drill down: show `location` in the tab that shows such places, remembering where
    /// the console is now, so Esc comes back.
    case navigate(ConsoleLocation)
    /// Leave the console.
    case quit
    /// Several effects, in order.
    case batch([ScreenEffect])

    /// The same effect with every work's message wrapped by `transform`: how a screen
    /// passes on the effects of a part it embeds (a ``BrowseTable``), whose messages are
    /// one case of the screen's own message type.
    func map<Other: Sendable>(_ transform: @escaping @Sendable (Message) -> Other) -> ScreenEffect<Other> {
        switch self {
        case .none: return .none
        case .redraw: return .redraw
        case .unhandled: return .unhandled
        case .perform(let work): return .perform(work.map(transform))
        case .status(let text, let role): return .status(text, role: role)
        case .error(let text): return .error(text)
        case .confirm(let dialog, let work): return .confirm(dialog, then: work.map(transform))
        case .alert(let title, let message, let copyable): return .alert(title: title, message: message, copyable: copyable)
        case .copy(let item): return .copy(item)
        case .switchTab(let index, let event): return .switchTab(index, then: event)
        case .navigate(let location): return .navigate(location)
        case .quit: return .quit
        case .batch(let effects): return .batch(effects.map { $0.map(transform) })
        }
    }
}

/// Something a screen offers to copy: the text, and how the status bar names it, since
/// the bar never shows what was copied itself (a password must not stay on screen).
struct ClipboardItem: Equatable, Sendable {
    /// What goes on the clipboard.
    var text: String
    /// What the status bar says was copied: "the request id 9f3c…", "the one-time
    /// password" — enough to recognise it, never a secret.
    var what: String
    /// Where to read the text when the terminal cannot take it, as a sentence: "Read it
    /// in the box."
    var instead: String
}

/// The messages a screen's work answers with: one enum per screen, one case per kind of
/// answer, so the screen's ``ConsoleScreen/receive(_:)`` is an exhaustive `switch` and the
/// compiler points at every place a new answer must be handled.
///
/// Every message type has a `failed` case: it is what a work that throws becomes by
/// default. A failure that ends the session never becomes a message: ``ScreenWork/run()``
/// sets it aside, and the app returns to sign-in (see ``WorkOutcome``).
protocol ScreenMessage: Sendable {
    /// The service refused or failed; `error.message` is safe to show.
    static func failed(_ error: StewardError) -> Self
}

/// A piece of service work a screen wants done off the input loop.
///
/// `operation` runs in a detached Task and returns the message the screen receives later.
/// If it throws, ``failure`` turns the error into a message instead, unless the error
/// says the session has ended: that one is never handed to the screen (it could swallow
/// it), and the app goes back to sign-in. While the work runs the status bar shows
/// ``label``.
struct ScreenWork<Message: Sendable>: Sendable {
    /// What the status bar says while it runs: "Publishing…". Empty for silent work.
    var label: String
    var operation: @Sendable () async throws -> Message
    /// The message a failure becomes (a page fetch says which page failed).
    var failure: @Sendable (StewardError) -> Message

    init(label: String = "", failure: @escaping @Sendable (StewardError) -> Message,
                operation: @escaping @Sendable () async throws -> Message) {
        self.label = label
        self.failure = failure
        self.operation = operation
    }

    /// Runs the operation and sorts what came of it; see ``WorkOutcome``.
    func run() async -> WorkOutcome<Message> {
        do {
            return .message(try await operation())
        } catch let error as StewardError {
            return error.isSessionEnded ? .sessionEnded(error) : .message(failure(error))
        } catch {
            return .message(failure(StewardError(.internalError, String(describing: error))))
        }
    }

    /// The same work, its message (success or failure) wrapped by `transform`.
    func map<Other: Sendable>(_ transform: @escaping @Sendable (Message) -> Other) -> ScreenWork<Other> {
        let operation = self.operation, failure = self.failure
        return ScreenWork<Other>(label: label, failure: { transform(failure($0)) }, operation: { transform(try await operation()) })
    }
}

extension ScreenWork where Message: ScreenMessage {
    /// Work whose failures become `Message.failed(error)`.
    init(label: String = "", operation: @escaping @Sendable () async throws -> Message) {
        self.init(label: label, failure: Message.failed, operation: operation)
    }
}

extension ScreenWork where Message: ScreenMessage {
    /// Work on the `noun` with id `id`, whose not-found answer names it: the service says
    /// "The post was not found.", which does not tell someone who typed `:delete 57` that
    /// 57 is the id that does not exist.
    init(label: String = "", naming noun: String, id: Int64, operation: @escaping @Sendable () async throws -> Message) {
        self.init(label: label, failure: { error in
            Message.failed(error.kind == .notFound ? StewardError(.notFound, "There is no \(noun) \(id).") : error)
        }, operation: operation)
    }
}

/// What came of a ``ScreenWork``: a message for the screen, or the end of the session,
/// which is the app's business (it returns to sign-in), whatever screen asked.
enum WorkOutcome<Message: Sendable>: Sendable {
    case message(Message)
    case sessionEnded(StewardError)
}

/// A tab as the app shows it and as code outside the console sees it: a title, key hints
/// and a drawing. What it does is ``ConsoleScreen``'s, which stays inside the module
/// because each screen's messages are its own business.
public protocol ConsoleTab: AnyObject {
    /// The tab's name in the tab bar.
    var title: String { get }
    /// The keys this screen answers to for the signed-in account (the app adds the global
    /// ones). Prominent hints go in the status bar; all of them in the `?` help.
    var keyHints: KeyHintList { get }
    /// True while the screen is editing text (its own filter prompt, a form, a checkbox
    /// dialog): the app then passes every key to the screen, `q`, digits and `:` included.
    var capturesInput: Bool { get }
    /// Draws the screen's model into `area` of `buffer`.
    func view(into buffer: inout CellBuffer, area: Rect, theme: Theme)
    /// The names of the `:` commands this screen answers to for the signed-in account,
    /// which Tab on the command line completes (the app adds its own).
    var commandNames: [String] { get }
    /// Work that quitting would lose ("unsaved role changes (user)"), so `q` asks first;
    /// nil when there is none.
    var unsavedWork: String? { get }
    /// Whether this tab shows places like `location` (the app sends it
    /// ``ScreenEvent/show(_:)`` when drill-down goes there).
    func canShow(_ location: ConsoleLocation) -> Bool
    /// Where the screen is now, to come back to after a drill-down: the item shown in
    /// full, or a filtered list; nil for the tab's plain list.
    var location: ConsoleLocation? { get }
    /// Where the item shown in full (or else the selected one) leads, for the go-to menu
    /// (`>`): its author, its post, a user's sessions. Only places the account may see.
    var relatedPlaces: [RelatedPlace] { get }
}

extension ConsoleTab {
    public var capturesInput: Bool { false }
    public var commandNames: [String] { [] }
    public var unsavedWork: String? { nil }
    public func canShow(_ location: ConsoleLocation) -> Bool { false }
    public var location: ConsoleLocation? { nil }
    public var relatedPlaces: [RelatedPlace] { [] }
}

/// A tab of the console. See the top of this file for how to write one.
protocol ConsoleScreen: ConsoleTab {
    /// The answers of this screen's work.
    associatedtype Message: ScreenMessage
    /// Reacts to an event; see ``ScreenEvent``.
    func update(_ event: ScreenEvent) -> ScreenEffect<Message>
    /// Reacts to the answer of one of its works.
    func receive(_ message: Message) -> ScreenEffect<Message>
    /// The filters the console remembers for this tab between runs (the `/` text and the
    /// status filter); nil for a tab without filters. Read after every key, so keep it cheap.
    var rememberedFilter: TabFilterState? { get }
    /// Puts back filters remembered from an earlier run, at sign-in. Values the tab no
    /// longer knows (a status renamed since) are dropped, never guessed.
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message>
}

extension ConsoleScreen {
    var rememberedFilter: TabFilterState? { nil }
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message> { .none }
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
    /// Makes the next ``start()`` listen on `port` instead of the configured one
    /// (`:serve --port N`); asked only while the listener is off.
    func usePort(_ port: Int)
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
    /// The log folder (`STEWARD_LOG_DIR`) the Logs tab follows, where every process on this
    /// database writes its lines; nil to tail only ``logRing``.
    public let logFolder: URL?
    /// The HTTP listener; nil when this console cannot start one.
    public let listener: (any ListenerControl)?
    /// The signed-in user's display name, for the status bar.
    public var displayName: String

    public init(services: Services, session: ConsoleSession, databasePath: String, logRing: LogRing? = nil,
                logFolder: URL? = nil, listener: (any ListenerControl)? = nil, displayName: String? = nil) {
        self.services = services
        self.session = session
        self.databasePath = databasePath
        self.logRing = logRing
        self.logFolder = logFolder
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

    /// What a key says instead of opening a dialog the account may not use: a dialog that
    /// can only end in the service's refusal wastes the user's time, and a key that does
    /// nothing at all leaves them guessing. Nil when the account holds `permission`.
    /// (Commands still go to the service, which refuses and audits; see the top of this file.)
    public func refusal(lacking permission: Permission, or alternative: Permission? = nil) -> String? {
        if can(permission) || alternative.map(can) == true { return nil }
        return "Your account lacks \(permission.name)"
    }

    /// The clock of the services (fixed in tests, so snapshots are stable).
    public var now: Date { services.context.now() }

    /// A service error as one line for the status bar: the message, then each field error.
    public static func describe(_ error: StewardError) -> String {
        if error.fieldErrors.isEmpty { return error.message }
        return error.message + " " + error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
    }
}

// MARK: - Running work off the input loop

/// Where the messages of one screen's finished work wait for the input loop: a
/// thread-safe queue the app drains on every event (ticks included), so answers reach
/// their screen within one tick. One per screen, typed by the screen's message, so nothing
/// is routed by a tag or a cast.
final class Mailbox<Message: Sendable>: Sendable {
    private let messages = Mutex<[Message]>([])

    init() {}

    func post(_ message: Message) {
        messages.withLock { $0.append(message) }
    }

    /// Takes every message, oldest first.
    func drain() -> [Message] {
        messages.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }
}

/// Runs ``ScreenWork`` in Tasks, so the input loop never waits for a service call. Each
/// work's message goes to the mailbox it was started with; a session that ended goes to
/// the runner's own list, which the app checks before any mailbox.
public final class WorkRunner: Sendable {
    private struct State {
        var running = 0
        /// Works finished so far (their messages posted), ever: tells the app whether
        /// answers may be waiting since it last looked.
        var finished = 0
        var labels: [Int: String] = [:]
        var nextID = 0
        var endedSessions: [StewardError] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Starts `work`; its message will be posted to `mailbox`.
    func start<Message>(_ work: ScreenWork<Message>, replyTo mailbox: Mailbox<Message>) {
        let id = state.withLock { state -> Int in
            state.running += 1
            state.nextID += 1
            if !work.label.isEmpty { state.labels[state.nextID] = work.label }
            return state.nextID
        }
        Task.detached { [self] in
            let outcome = await work.run()
            // Post before counting the work as done, so whoever waits for idle finds it.
            var ended: StewardError?
            switch outcome {
            case .message(let message): mailbox.post(message)
            case .sessionEnded(let error): ended = error
            }
            state.withLock { state in
                if let ended { state.endedSessions.append(ended) }
                state.running -= 1
                state.finished += 1
                state.labels[id] = nil
            }
        }
    }

    /// Takes the session-ended failures of every finished work, oldest first.
    public func drainEndedSessions() -> [StewardError] {
        state.withLock { state in
            defer { state.endedSessions.removeAll() }
            return state.endedSessions
        }
    }

    /// How many works are still running.
    public var runningCount: Int { state.withLock { $0.running } }

    /// How many works are running, and how many have finished since the runner started.
    public var counts: (running: Int, finished: Int) { state.withLock { ($0.running, $0.finished) } }

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

/// Runs an `async` service call from synchronous code and waits for it: for tests and
/// command-line tools, never for the console's input loop (which answers every service
/// call through ``ScreenWork``). The call runs in a Task on the cooperative pool while the
/// calling thread waits, which is safe only because that thread is not a pool thread.
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

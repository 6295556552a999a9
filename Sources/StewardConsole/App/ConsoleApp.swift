import Foundation
import StewardCore

/// What `steward console` hands the app: the open services, where the database is, how to
/// draw, and the optional live parts (log ring, HTTP listener).
public struct ConsoleOptions {
    public var services: Services
    public var databasePath: String
    public var theme: Theme
    /// Where `:theme NAME` looks for `NAME.theme`; nil disables the command.
    public var themeDirectory: String?
    public var colorSupport: ColorSupport
    public var logRing: LogRing?
    public var listener: (any ListenerControl)?
    /// True when the database has no account yet: the first-run screen comes first.
    public var needsFirstAdmin: Bool
    /// Where `y` copies to: the terminal (OSC 52). Nil: copying says where to read the
    /// text instead.
    public var clipboard: (any TerminalClipboard)?
    /// What the console remembers between runs (theme, tab, filters); nil remembers nothing.
    public var preferences: ConsolePreferencesFile?
    /// True when `theme` was asked for (`--theme`, `STEWARD_THEME`): it then wins over the
    /// remembered one.
    public var themeIsExplicit: Bool

    public init(services: Services, databasePath: String, theme: Theme = .monochrome, themeDirectory: String? = nil,
                colorSupport: ColorSupport = .colors(256), logRing: LogRing? = nil, listener: (any ListenerControl)? = nil,
                needsFirstAdmin: Bool = false, clipboard: (any TerminalClipboard)? = nil,
                preferences: ConsolePreferencesFile? = nil, themeIsExplicit: Bool = false) {
        self.services = services
        self.databasePath = databasePath
        self.theme = theme
        self.themeDirectory = themeDirectory
        self.colorSupport = colorSupport
        self.logRing = logRing
        self.listener = listener
        self.needsFirstAdmin = needsFirstAdmin
        self.clipboard = clipboard
        self.preferences = preferences
        self.themeIsExplicit = themeIsExplicit
    }
}

/// The console: first-run and sign-in forms, then the tabs, with everything that is shared
/// between tabs — the tab bar, the status bar, the `:` command line, `?` help, confirm
/// dialogs and alerts, and the runner that does service work off the input loop.
///
/// State changes only in ``update(_:)``; ``view(into:)`` draws it. Screens answer events
/// with ``ScreenEffect``s, which this type carries out (see `ConsoleScreen.swift`).
public final class ConsoleApp: ConsoleProgram {
    public enum Phase: Equatable { case firstRun, signIn, main }

    public private(set) var phase: Phase
    public let options: ConsoleOptions
    public private(set) var theme: Theme
    public private(set) var environment: ConsoleEnvironment?
    /// The tabs, each with the mailbox its work answers to.
    private(set) var hosts: [any HostedScreen] = []
    public var screens: [any ConsoleTab] { hosts.map(\.tab) }
    public private(set) var tabBar = TabBar(titles: [])
    public private(set) var form: Form
    /// The runner of every service call the console makes.
    public let runner = WorkRunner()
    /// Where the app's own work (sign-in, backups, exports, the listener) answers.
    private let mailbox = Mailbox<AppMessage>()

    private var help: HelpOverlay?
    /// Where drill-down came from: Esc goes back along it.
    private(set) var backStack = BackStack()
    /// The go-to menu (`>`): the places the shown or selected item leads to.
    private var goToMenu: ChoiceMenu<ConsoleLocation>?
    /// The open confirm dialog and what "yes" starts.
    private var confirm: (dialog: ConfirmDialog, start: () -> Void)?
    private var alert: Alert?
    private var prompt: CommandPrompt?
    private var commandHistory: [String] = []
    private var completion = CommandCompletion()
    private var statusMessage: StatusSegment?
    private var statusExpiresAtTick = 0
    private var tickCount = 0
    private var size = (width: 80, height: 24)
    private var quitRequested = false
    private var lastListenerText = ""
    private var lastBusyLabel: String?
    /// The runner's finished count when answers were last taken (see ``isAwaitingWork``).
    private var finishedWhenDrained = 0
    /// Why the preferences file was not used, said on the sign-in screen and again once
    /// signed in; nil once said.
    private var startupWarning: String?

    public init(options: ConsoleOptions) {
        self.options = options
        theme = options.theme
        startupWarning = options.preferences?.takeWarning()
        if !options.themeIsExplicit, let name = options.preferences?.preferences.theme {
            do {
                theme = try ThemeCatalog(directory: options.themeDirectory).theme(named: name).adapted(to: options.colorSupport)
            } catch {
                startupWarning = startupWarning ?? "The remembered theme \(name) could not be loaded (\(error)); using the default"
            }
        }
        if options.needsFirstAdmin {
            phase = .firstRun
            form = ConsoleApp.firstRunForm()
        } else {
            phase = .signIn
            form = ConsoleApp.signInForm()
        }
    }

    static func signInForm() -> Form {
        var form = Form(title: "Sign in to Steward", fields: [
            FormField(id: "email", label: "Email", placeholder: "you@example.com"),
            FormField(id: "password", label: "Password", isSecure: true),
        ])
        form.hint = "Enter sign in · Tab next field · Esc quit"
        return form
    }

    static func firstRunForm() -> Form {
        var form = Form(title: "Create the first admin", fields: [
            FormField(id: "email", label: "Email", placeholder: "admin@example.com"),
            FormField(id: "firstName", label: "First name"),
            FormField(id: "lastName", label: "Last name"),
            FormField(id: "password", label: "Password", isSecure: true, placeholder: "8+ chars, Aa, 1 and a symbol"),
            FormField(id: "confirm", label: "Repeat password", isSecure: true),
        ])
        form.hint = "Enter create · Tab next field · Esc quit"
        return form
    }

    /// The tabs, in order. Add a tab here (see `ConsoleScreen.swift`).
    static func makeScreens(environment: ConsoleEnvironment) -> [any HostedScreen] {
        var screens: [any HostedScreen] = [
            ScreenHost(UsersScreen(environment: environment)),
            ScreenHost(RolesScreen(environment: environment)),
            ScreenHost(PostsScreen(environment: environment)),
            ScreenHost(CommentsScreen(environment: environment)),
            ScreenHost(LogsScreen(environment: environment)),
        ]
        // The audit trail is all the tab shows, so an account that may not read it does
        // not get an empty tab; it is last, so the other tabs keep their digits.
        if environment.can(.logsRead) { screens.append(ScreenHost(AuditScreen(environment: environment))) }
        return screens
    }

    /// The index of the visible tab.
    public var activeIndex: Int { tabBar.activeIndex }
    public var activeScreen: (any ConsoleTab)? { activeHost?.tab }
    private var activeHost: (any HostedScreen)? { hosts.indices.contains(activeIndex) ? hosts[activeIndex] : nil }
    /// The status bar's message, if one shows (for tests).
    public var currentMessage: String? { statusMessage?.text }
    /// The alert's text, if one is open (for tests: the one-time password).
    public var alertMessage: String? { alert?.message }

    /// A modal message box, and what `y` in it copies.
    private struct Alert {
        var title: String
        var message: String
        var copyable: ClipboardItem?
    }
    public var isConfirming: Bool { confirm != nil }
    /// The open confirm dialog's question (for tests: the screen wraps it).
    public var confirmationMessage: String? { confirm?.dialog.message }
    public var isHelpOpen: Bool { help != nil }
    /// The labels of the go-to menu, if it is open (for tests).
    public var goToChoices: [String]? { goToMenu?.choices.map { "\($0.key) \($0.label)" } }
    /// How many drill-downs Esc can go back (for tests).
    public var backDepth: Int { backStack.steps.count }

    /// The area screens draw in: between the tab bar and the status bar.
    public var screenArea: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 2)) }

    // MARK: - Update

    public func update(_ event: InputEvent) -> ConsoleCommand {
        var changed = drainResults()
        switch event {
        case .resize(let width, let height):
            size = (width, height)
            for host in hosts { _ = host.send(.layout(area: screenArea), in: self) }
            changed = true
        case .tick:
            tickCount += 1
            if statusMessage != nil && tickCount >= statusExpiresAtTick {
                statusMessage = nil
                changed = true
            }
            if let host = activeHost, host.send(.tick, in: self) { changed = true }
            let listenerText = listenerSegment.text
            if listenerText != lastListenerText {
                lastListenerText = listenerText
                changed = true
            }
            let busy = runner.activeLabel
            if busy != lastBusyLabel {
                lastBusyLabel = busy
                changed = true
            }
        default:
            changed = handleInput(event) || changed
            if changed { rememberTabAndFilters() }
        }
        if quitRequested {
            rememberTabAndFilters()
            return .quit
        }
        return changed ? .redraw : .unchanged
    }

    /// Work running, or finished since the answers were last taken.
    public var isAwaitingWork: Bool {
        let counts = runner.counts
        return counts.running > 0 || counts.finished != finishedWhenDrained
    }

    /// Takes the answers of finished work between ticks (the loop asks while
    /// ``isAwaitingWork``), so a page or a drill-down is drawn as soon as it arrives.
    public func collectFinishedWork() -> ConsoleCommand {
        let changed = drainResults()
        if quitRequested { return .quit }
        return changed ? .redraw : .unchanged
    }

    /// Waits for every running service call and hands its result over, as the next tick
    /// would. Tests call this after each action; the console's shutdown too.
    @discardableResult
    public func settle(timeout: Duration = .seconds(20)) -> Bool {
        // A message can start more work (a page that arrives asks for the next), and that
        // work can finish before the runner is asked again: go on until a round delivers
        // nothing and nothing runs.
        var rounds = 0
        var delivered = false
        repeat {
            runner.waitUntilIdle(timeout: timeout)
            delivered = drainResults()
            rounds += 1
        } while (delivered || runner.runningCount > 0) && rounds < 100
        return runner.runningCount == 0
    }

    /// Hands the answers of finished work to whoever asked. A session that ended comes
    /// first, whichever work met it: the app returns to sign-in and the answers of the
    /// old session's screens are dropped with them.
    private func drainResults() -> Bool {
        // Read before draining: a work finishing meanwhile counts as not yet taken.
        finishedWhenDrained = runner.counts.finished
        var changed = false
        if let ended = runner.drainEndedSessions().first, phase == .main {
            returnToSignIn(ended.message)
            changed = true
        }
        for message in mailbox.drain() {
            handleAppMessage(message)
            changed = true
        }
        for host in hosts where host.deliverMail(in: self) { changed = true }
        return changed
    }

    private func handleInput(_ event: InputEvent) -> Bool {
        if let current = alert {
            switch event {
            case .enter, .escape, .char("q"), .char(" "): alert = nil
            case .char("y"):
                // The box stays open: the text may still be needed if the copy did not arrive.
                if let item = current.copyable { copy(item) }
            default: break
            }
            return true
        }
        if var dialog = confirm {
            switch dialog.dialog.handle(event) {
            case .confirmed:
                confirm = nil
                dialog.start()
            case .cancelled:
                confirm = nil
                setStatus("Cancelled", role: .muted)
            case nil:
                confirm = dialog
            }
            return true
        }
        switch phase {
        case .firstRun, .signIn:
            return handleFormInput(event)
        case .main:
            return handleMainInput(event)
        }
    }

    // MARK: Forms

    private func handleFormInput(_ event: InputEvent) -> Bool {
        if event == .ctrl("c") || event == .ctrl("q") {
            quitRequested = true
            return true
        }
        if runner.runningCount > 0 { return false }
        switch form.handle(event) {
        case .editing:
            return true
        case .cancelled:
            quitRequested = true
        case .submitted:
            submitForm()
        }
        return true
    }

    private func submitForm() {
        form.clearErrors()
        let services = options.services
        let email = form.value(of: "email"), password = form.value(of: "password")
        if phase == .firstRun {
            guard password == form.value(of: "confirm") else {
                form.setError("does not match the password", for: "confirm")
                form.focusFirstError()
                return
            }
            let first = form.value(of: "firstName"), last = form.value(of: "lastName")
            runner.start(ScreenWork(label: "Creating the first admin…", failure: AppMessage.firstRunFailed) {
                _ = try await services.users.createFirstAdmin(email: email, password: password, firstName: first, lastName: last, client: "console")
                return .signedIn(try await ConsoleApp.signIn(services: services, email: email, password: password))
            }, replyTo: mailbox)
        } else {
            if email.isEmpty { form.setError("is required", for: "email") }
            if password.isEmpty { form.setError("is required", for: "password") }
            guard !email.isEmpty && !password.isEmpty else {
                form.focusFirstError()
                return
            }
            runner.start(ScreenWork(label: "Signing in…", failure: AppMessage.signInFailed) {
                .signedIn(try await ConsoleApp.signIn(services: services, email: email, password: password))
            }, replyTo: mailbox)
        }
    }

    struct SignedIn: Sendable {
        var session: ConsoleSession
        var displayName: String
    }

    static func signIn(services: Services, email: String, password: String) async throws -> SignedIn {
        let session = try await services.auth.consoleSignIn(email: email, password: password)
        let me = try await services.auth.me(.console(session))
        return SignedIn(session: session, displayName: me.user.displayName)
    }

    /// The answers of the app's own work.
    enum AppMessage: ScreenMessage {
        case signedIn(SignedIn)
        case signInFailed(StewardError)
        case firstRunFailed(StewardError)
        /// A backup, an export or a listener switch went through; `text` says what it did.
        case done(String)
        case failed(StewardError)
    }

    private func handleAppMessage(_ message: AppMessage) {
        switch message {
        case .signedIn(let signedIn):
            enterMain(signedIn)
        case .signInFailed(let error):
            showFormError(error)
            form.setValue("", for: "password")
            form.focus("password")
        case .firstRunFailed(let error):
            showFormError(error)
            if error.kind == .conflict, error.fieldErrors.isEmpty {
                // Someone created an account meanwhile: sign in instead.
                phase = .signIn
                form = ConsoleApp.signInForm()
                form.message = error.message
            }
        case .done(let text):
            setStatus(text, role: .success)
        case .failed(let error):
            setStatus(ConsoleEnvironment.describe(error), role: .error)
        }
    }

    private func showFormError(_ error: StewardError) {
        if error.fieldErrors.isEmpty {
            form.message = ConsoleEnvironment.describe(error)
            return
        }
        for field in error.fieldErrors { form.setError(field.message, for: field.field) }
        form.message = error.message
        form.focusFirstError()
    }

    private func enterMain(_ signedIn: SignedIn) {
        let environment = ConsoleEnvironment(services: options.services, session: signedIn.session, databasePath: options.databasePath,
                                             logRing: options.logRing, logFolder: options.logRing.map { _ in URL(fileURLWithPath: options.services.config.logDirectory) },
                                             listener: options.listener, displayName: signedIn.displayName)
        self.environment = environment
        hosts = ConsoleApp.makeScreens(environment: environment)
        tabBar = TabBar(titles: screens.map(\.title), activeIndex: 0, label: " Steward ")
        phase = .main
        form = ConsoleApp.signInForm()
        for host in hosts { _ = host.send(.layout(area: screenArea), in: self) }
        let remembered = rememberedDatabase
        for host in hosts {
            if let filter = remembered?.filters[host.tab.title], !filter.isEmpty { host.restore(filter, in: self) }
        }
        // A tab this account is not offered (Audit without logs:read) is not in `hosts`.
        let tab = remembered?.tab.flatMap { title in hosts.firstIndex { $0.tab.title == title } } ?? 0
        tabBar.select(tab)
        _ = hosts[tab].send(.activated, in: self)
        setStatus("Signed in as \(signedIn.session.principalAtSignIn.email)", role: .success)
        if let warning = startupWarning ?? options.preferences?.takeWarning() {
            startupWarning = nil
            setStatus(warning, role: .warning)
        }
    }

    // MARK: Preferences

    private var databaseKey: String { ConsolePreferencesFile.databaseKey(options.databasePath) }

    private var rememberedDatabase: ConsolePreferences.DatabasePreferences? {
        options.preferences?.preferences.databases[databaseKey]
    }

    /// Writes down the tab shown and the tabs' filters when they changed (the file is
    /// written only then; comparing costs nothing next to drawing a frame). Filters of
    /// tabs this account is not offered are kept for the accounts that are.
    private func rememberTabAndFilters() {
        guard phase == .main, let preferences = options.preferences, let screen = activeScreen else { return }
        let key = databaseKey
        preferences.update { all in
            var database = all.databases[key] ?? .init()
            database.tab = screen.title
            for host in hosts {
                let filter = host.rememberedFilter
                database.filters[host.tab.title] = (filter?.isEmpty ?? true) ? nil : filter
            }
            all.databases[key] = database
        }
        if let warning = preferences.takeWarning() { setStatus(warning, role: .warning) }
    }

    /// The services refused this console's session (deactivated, demoted, signed out
    /// elsewhere…): nothing was changed; say why and ask for a new sign-in.
    private func returnToSignIn(_ message: String) {
        guard phase == .main else { return }
        phase = .signIn
        environment = nil
        hosts = []
        help = nil
        prompt = nil
        confirm = nil
        alert = nil
        goToMenu = nil
        backStack.clear()
        statusMessage = nil
        tabBar = TabBar(titles: [])
        form = ConsoleApp.signInForm()
        form.message = message
    }

    /// Ends the session in the database when the console quits, so it does not outlive
    /// the program that held it.
    public func signOut() {
        guard let environment else { return }
        let services = environment.services, session = environment.session
        runner.start(ScreenWork {
            try await services.auth.consoleSignOut(session)
            return AppMessage.done("Signed out")
        }, replyTo: mailbox)
        settle(timeout: .seconds(5))
    }

    // MARK: Main

    private func handleMainInput(_ event: InputEvent) -> Bool {
        if var open = help {
            if open.handle(event, area: Rect(width: size.width, height: size.height)) == .dismissed { help = nil } else { help = open }
            return true
        }
        if var line = prompt {
            if event == .tab {
                if let completed = completion.complete(line.text, candidates: completionCandidates) {
                    line.reset(text: completed)
                    prompt = line
                }
                return true
            }
            switch line.handle(event) {
            case .editing:
                prompt = line
            case .cancelled:
                commandHistory = line.history
                prompt = nil
            case .submitted(let text):
                commandHistory = line.history
                prompt = nil
                runCommand(CommandLineInput(text))
            }
            return true
        }
        if var menu = goToMenu {
            switch menu.handle(event) {
            case .open: goToMenu = menu
            case .closed: goToMenu = nil
            case .chosen(let location):
                goToMenu = nil
                navigate(to: location)
            }
            return true
        }
        guard let host = activeHost else { return false }
        let screen = host.tab
        if event == .ctrl("c") {
            quitRequested = true
            return true
        }
        if !screen.capturesInput {
            switch event {
            case .char("q"):
                requestQuit()
                return true
            case .char("?"):
                help = HelpOverlay(hints: allHints, title: "Keys · \(screen.title)")
                return true
            case .char(":"):
                prompt = CommandPrompt(prompt: ":", history: commandHistory)
                return true
            case .char(">"):
                openGoToMenu()
                return true
            case .escape where !backStack.isEmpty:
                // Still where the drill-down arrived: Esc goes back. Moved on inside the
                // tab: Esc is the tab's first (closing what was opened there), and when
                // the tab has nothing left to close, the way back.
                if backStack.top?.arrived == screen.location { return goBack() }
                return host.send(.input(event), in: self) || goBack()
            case .char("S"):
                toggleListener()
                return true
            case .mouse(let mouse) where mouse.y == 0:
                var bar = tabBar
                if bar.handle(event, area: Rect(x: 0, y: 0, width: size.width, height: 1)) {
                    backStack.clear()
                    activate(bar.activeIndex)
                }
                return true
            case .tab, .backTab, .char("1"), .char("2"), .char("3"), .char("4"), .char("5"), .char("6"), .char("7"), .char("8"), .char("9"):
                var bar = tabBar
                if bar.handle(event, area: Rect(x: 0, y: 0, width: size.width, height: 1)) {
                    // Choosing a tab starts a new walk: Esc there is that tab's, not a
                    // way back to a drill-down the user has left.
                    backStack.clear()
                    activate(bar.activeIndex)
                    return true
                }
            default:
                break
            }
        }
        return host.send(.input(event), in: self)
    }

    /// Shows tab `index` and tells it so.
    public func activate(_ index: Int) {
        guard hosts.indices.contains(index) else { return }
        tabBar.select(index)
        _ = hosts[index].send(.activated, in: self)
    }

    // MARK: Drill-down

    /// Opens the go-to menu over the places the active screen's item leads to.
    private func openGoToMenu() {
        guard let screen = activeScreen else { return }
        let places = screen.relatedPlaces.filter { place in hosts.contains { $0.tab.canShow(place.location) } }
        guard !places.isEmpty else {
            setStatus("Nothing to go to from here: select a row first", role: .muted)
            return
        }
        goToMenu = ChoiceMenu(title: "Go to", choices: places.map { ChoiceMenu.Choice(key: $0.key, label: $0.label, value: $0.location) })
    }

    /// Shows `location` in the tab that shows such places, and remembers where the console
    /// was, so Esc comes back.
    func navigate(to location: ConsoleLocation) {
        guard let target = hosts.firstIndex(where: { $0.tab.canShow(location) }) else {
            setStatus("No tab of this account shows that", role: .error)
            return
        }
        backStack.push(BackStep(tab: activeIndex, location: activeScreen?.location, arrived: location))
        show(location, inTab: target)
    }

    /// Goes back one drill-down; false when there is nowhere to go back to.
    @discardableResult
    private func goBack() -> Bool {
        guard let step = backStack.pop() else { return false }
        // The tab being left goes back to its plain list: a drill-down's filter ("by this
        // author", `user:12`) is not where that tab's digit should lead next time.
        if step.tab != activeIndex, let leaving = activeHost { leaving.send(.show(nil), in: self) }
        show(step.location, inTab: step.tab)
        return true
    }

    private func show(_ location: ConsoleLocation?, inTab index: Int) {
        guard hosts.indices.contains(index) else { return }
        if index != activeIndex { activate(index) }
        hosts[index].send(.show(location), in: self)
    }

    private var globalHints: KeyHintList {
        var hints: [KeyHint] = [
            KeyHint(key: "1–\(screens.count)", action: "switch tab", section: "Global"),
            KeyHint(key: "Tab/S-Tab", action: "next / previous tab", section: "Global"),
            KeyHint(key: ":", action: "command line", section: "Global", isProminent: true),
            KeyHint(key: "Tab (on :)", action: "complete the command, theme or export words", section: "Global"),
            KeyHint(key: "?", action: "help", section: "Global", isProminent: true),
            KeyHint(key: ">", action: "go to what the item leads to: its author, post, thread, a user's posts, sessions, events", section: "Global"),
            KeyHint(key: "Esc (after >)", action: "back where you came from, one step at a time", section: "Global"),
        ]
        if environment?.can(.serverControl) == true {
            hints.append(KeyHint(key: "S", action: "start/stop HTTP listener", section: "Global"))
        }
        hints.append(KeyHint(key: "q", action: "quit", section: "Global", isProminent: true))
        hints.append(KeyHint(key: "Ctrl-C", action: "quit without asking", section: "Global"))
        hints += [
            KeyHint(key: ":quit", action: "leave the console", section: "Commands"),
            KeyHint(key: ":theme NAME", action: "switch theme (default, light, high-contrast, monochrome)", section: "Commands"),
            KeyHint(key: ":export WHAT FMT PATH", action: "users|posts|comments|security-events, jsonl|csv", section: "Commands"),
        ]
        if environment?.can(.serverControl) == true {
            hints += [
                KeyHint(key: ":backup PATH", action: "online backup of the database", section: "Commands"),
                KeyHint(key: ":serve / :stop", action: "start / stop the HTTP listener", section: "Commands"),
            ]
        }
        return KeyHintList(hints)
    }

    /// What the status bar offers in the current context, most useful first (it drops
    /// hints from the end when short of room), and the hint that ends the row: `? help`
    /// where `?` opens the help, nothing where `?` is a character being typed.
    ///
    /// The contexts: the `:` line and a screen's own prompt or dialog (which take every
    /// key), the help overlay, and otherwise the screen's main actions, then the command
    /// line and quit.
    private var statusHints: (hints: [KeyHint], trailing: KeyHint?) {
        if prompt != nil {
            return ([KeyHint(key: "Enter", action: "run"), KeyHint(key: "Tab", action: "complete"),
                     KeyHint(key: "↑/↓", action: "history"), KeyHint(key: "Esc", action: "cancel")], nil)
        }
        if help != nil {
            return ([KeyHint(key: "j/k", action: "scroll"), KeyHint(key: "Esc", action: "close")], nil)
        }
        if activeScreen?.capturesInput == true {
            return ([KeyHint(key: "Enter", action: "apply"), KeyHint(key: "Esc", action: "cancel")], nil)
        }
        let global = globalHints.prominent
        var drill: [KeyHint] = []
        var screenHints = activeScreen?.keyHints.prominent ?? []
        if let top = backStack.top, top.arrived == activeScreen?.location {
            // Esc goes back along the drill-down, whatever the screen would do with it.
            drill.append(KeyHint(key: "Esc", action: "back"))
            screenHints.removeAll { $0.key == "Esc" }
        }
        if activeScreen?.relatedPlaces.isEmpty == false { drill.append(KeyHint(key: ">", action: "go to")) }
        return (drill + screenHints + global.filter { $0.key != "?" }, global.first { $0.key == "?" })
    }

    /// The active screen's keys followed by the global ones (what `?` lists).
    public var allHints: KeyHintList {
        (activeScreen?.keyHints ?? []).appending(globalHints)
    }

    // MARK: Commands

    private func runCommand(_ input: CommandLineInput) {
        guard let environment else { return }
        let services = environment.services, actor = environment.caller
        switch input.name {
        case "q", "quit", "exit", "help", "stop":
            if let error = input.noArguments() {
                setStatus(error.message, role: .error)
                return
            }
            switch input.name {
            case "help": help = HelpOverlay(hints: allHints, title: "Keys")
            case "stop": stopListener()
            default: requestQuit()
            }
        case "theme":
            guard input.arguments.count == 1, input.unknownFlag() == nil else {
                setStatus("`:theme` takes one name (\(ThemeCatalog(directory: options.themeDirectory).names.joined(separator: ", ")))", role: .error)
                return
            }
            switchTheme(input.arguments[0])
        case "serve", "start":
            switch ListenerPortArgument.parse(input) {
            case .failure(let error): setStatus(error.message, role: .error)
            case .success(let port): startListener(port: port)
            }
        case "backup":
            let words: [String], force: Bool
            switch input.wordsAndForce() {
            case .failure(let error):
                setStatus(error.message, role: .error)
                return
            case .success(let parsed):
                (words, force) = parsed
            }
            guard !words.isEmpty else {
                setStatus("Usage: :backup PATH|FOLDER/ [--force]", role: .error)
                return
            }
            let path = words.joined(separator: " ")
            runner.start(ScreenWork(label: "Backing up…") {
                let report = try await services.operations.backup(actor, to: path, force: force)
                return AppMessage.done("Backed up the database to \(report.path) (\(report.bytes / 1024) KiB, integrity ok)")
            }, replyTo: mailbox)
        case "export":
            let words: [String], force: Bool
            switch input.wordsAndForce() {
            case .failure(let error):
                setStatus(error.message, role: .error)
                return
            case .success(let parsed):
                (words, force) = parsed
            }
            guard words.count >= 3,
                  let what = ExportService.Subject(rawValue: words[0].lowercased()),
                  let format = ExportService.Format(rawValue: words[1].lowercased()) else {
                setStatus("Usage: :export users|posts|comments|security-events jsonl|csv PATH|FOLDER/ [--force]", role: .error)
                return
            }
            let path = words[2...].joined(separator: " ")
            runner.start(ScreenWork(label: "Exporting \(what.rawValue)…") {
                let report = try await services.exports.export(actor, what, format: format, to: .file(path, force: force))
                return AppMessage.done("Exported \(report.rows) \(what.rawValue) to \(report.path ?? path)")
            }, replyTo: mailbox)
        default:
            guard let host = activeHost else { return }
            if !host.sendCommand(input, in: self) {
                setStatus("Unknown command :\(input.name) — press ? for the list", role: .error)
            }
        }
    }

    /// The words Tab completes at `position` of a `:` line: the commands of the app and of
    /// the visible tab, then `:theme`'s names and `:export`'s subjects and formats.
    private func completionCandidates(command: String, position: Int) -> [String] {
        switch (command, position) {
        case (_, 0):
            var names = ["quit", "help", "theme", "export"]
            if environment?.can(.serverControl) == true { names += ["backup", "serve", "stop"] }
            return Array(Set(names + (activeScreen?.commandNames ?? []))).sorted()
        case ("theme", 1):
            return ThemeCatalog(directory: options.themeDirectory).names
        case ("export", 1):
            return ExportService.Subject.allCases.map(\.rawValue)
        case ("export", 2):
            return ExportService.Format.allCases.map(\.rawValue)
        default:
            return []
        }
    }

    /// `q` and `:quit`: at once, unless quitting would stop the HTTP listener (clients
    /// lose their API) or drop edits a tab has not saved; then it asks, naming what would
    /// be lost. Ctrl-C still quits at once: it is the way out when something is wrong.
    private func requestQuit() {
        var losses: [String] = []
        if let listener = options.listener, listener.status.isRunning || listener.status == .starting {
            losses.append("the HTTP listener on \(listener.address) stops")
        }
        losses += screens.compactMap(\.unsavedWork).map { "\($0) are lost" }
        guard !losses.isEmpty else {
            quitRequested = true
            return
        }
        let dialog = ConfirmDialog(title: "Quit", message: "Quit the console? " + losses.joined(separator: "; ").capitalizedFirst + ".",
                                   confirmLabel: "Quit", cancelLabel: "Stay", isDestructive: true)
        confirm = (dialog, { [weak self] in self?.quitRequested = true })
    }

    private func switchTheme(_ name: String) {
        guard let directory = options.themeDirectory else {
            setStatus("No themes folder was found", role: .error)
            return
        }
        do {
            theme = try Theme.load(named: name, inDirectory: directory).adapted(to: options.colorSupport)
            setStatus("Theme \(name)", role: .success)
            options.preferences?.update { $0.theme = name }
        } catch {
            setStatus("\(error)", role: .error)
        }
    }

    private func toggleListener() {
        guard let listener = options.listener else {
            setStatus("This console cannot start an HTTP listener", role: .error)
            return
        }
        if listener.status.isRunning || listener.status == .starting { stopListener() } else { startListener() }
    }

    /// Starting and stopping go through the services like every other action: they check
    /// `server:control` (on the live session) and audit.
    private func startListener(port: Int? = nil) {
        switchListener(on: true, port: port)
    }

    private func stopListener() {
        switchListener(on: false)
    }

    /// `port`, when given (`:serve --port 9090`), replaces the configured port for this
    /// start and the next ones.
    private func switchListener(on: Bool, port: Int? = nil) {
        guard let environment else { return }
        guard let listener = options.listener else {
            setStatus("This console cannot start an HTTP listener", role: .error)
            return
        }
        if let port {
            guard !listener.status.isRunning && listener.status != .starting else {
                setStatus("The HTTP listener is running on \(listener.address): :stop it before choosing another port", role: .error)
                return
            }
            listener.usePort(port)
        }
        let services = environment.services, caller = environment.caller
        runner.start(ScreenWork(label: on ? "Starting the HTTP listener…" : "Stopping the HTTP listener…") {
            if on {
                try await services.server.startListener(caller, listener)
                return AppMessage.done("Starting the HTTP listener on \(listener.address)…")
            }
            try await services.server.stopListener(caller, listener)
            return AppMessage.done("Stopping the HTTP listener…")
        }, replyTo: mailbox)
    }

    // MARK: Effects

    /// Asks the terminal to put `item` on the clipboard and says what came of it. The
    /// message names what was copied, never the text: a password must not stay on screen
    /// in the status bar after its box is closed.
    private func copy(_ item: ClipboardItem) {
        let outcome = OSC52.refusal(for: item.text).map(ClipboardOutcome.unavailable)
            ?? options.clipboard?.setClipboard(item.text)
            ?? .unavailable("This console has no terminal clipboard")
        switch outcome {
        case .sent:
            setStatus("Copied \(item.what) to the clipboard (OSC 52)", role: .success)
        case .unavailable(let reason):
            setStatus("Could not copy \(item.what): \(reason). \(item.instead)", role: .warning)
        }
    }

    private func setStatus(_ text: String, role: ThemeRole) {
        statusMessage = StatusSegment(TerminalSafe.line(text), role: role)
        statusExpiresAtTick = tickCount + (role == .error ? 80 : 50)
    }

    /// Carries out the effect of `host`'s screen; returns whether anything visible changed.
    @discardableResult
    func apply<Screen>(_ effect: ScreenEffect<Screen.Message>, from host: ScreenHost<Screen>) -> Bool {
        switch effect {
        case .none, .unhandled:
            return false
        case .redraw:
            return true
        case .perform(let work):
            runner.start(work, replyTo: host.mailbox)
            return true
        case .status(let text, let role):
            setStatus(text, role: role)
        case .error(let text):
            setStatus(text, role: .error)
        case .confirm(let dialog, let work):
            let runner = self.runner, mailbox = host.mailbox
            confirm = (dialog, { runner.start(work, replyTo: mailbox) })
        case .alert(let title, let message, let copyable):
            alert = Alert(title: title, message: message, copyable: copyable)
        case .copy(let item):
            copy(item)
        case .switchTab(let index, let then):
            activate(index)
            if let then, hosts.indices.contains(index) { hosts[index].send(then, in: self) }
        case .navigate(let location):
            navigate(to: location)
        case .quit:
            quitRequested = true
        case .batch(let effects):
            var changed = false
            for effect in effects { changed = apply(effect, from: host) || changed }
            return changed
        }
        return true
    }

    // MARK: - View

    private var listenerSegment: StatusSegment {
        guard let listener = options.listener else { return StatusSegment("HTTP off", role: .muted) }
        switch listener.status {
        case .off: return StatusSegment("HTTP off", role: .muted)
        case .starting: return StatusSegment("HTTP starting…", role: .warning)
        case .failed(let message): return StatusSegment("HTTP failed: \(message)", role: .error)
        case .running:
            let rate = listener.sample.requestsPerSecond
            return StatusSegment("HTTP \(listener.status.address ?? "") · \(String(format: "%.1f", rate)) req/s", role: .success)
        }
    }

    public func view(into buffer: inout CellBuffer) {
        let area = buffer.area
        buffer.fill(area, style: theme[.base])
        switch phase {
        case .firstRun, .signIn:
            drawFormPhase(into: &buffer, area: area)
        case .main:
            drawMain(into: &buffer, area: area)
        }
        if let confirm { confirm.dialog.render(into: &buffer, area: area, theme: theme) }
        if let alert { drawAlert(alert, into: &buffer, area: area) }
    }

    private func drawFormPhase(into buffer: inout CellBuffer, area: Rect) {
        let rows = area.splitRows([.fixed(1), .fill, .fixed(1)])
        TabBar(titles: [], label: " Steward ", trailing: phase == .firstRun ? "first run" : "").render(into: &buffer, area: rows[0], theme: theme)
        let body = rows[1]
        let intro = phase == .firstRun
            ? "This database has no accounts yet. Create the first admin; you will be signed in with it."
            : "Sign in with your Steward account."
        let introY = max(body.y, body.y + (body.height - form.preferredSize.height) / 2 - 2)
        buffer.put(intro, x: body.x + max(0, (body.width - DisplayWidth.of(intro)) / 2), y: introY, style: theme[.muted].on(theme[.base]), maxWidth: body.width)
        form.render(into: &buffer, area: body.inset(top: 1), theme: theme)
        var status = StatusBar(segments: [StatusSegment(options.databasePath, truncation: .head, minimumWidth: 20)], hints: [
            KeyHint(key: "Enter", action: phase == .firstRun ? "create" : "sign in"),
            KeyHint(key: "Tab", action: "next field"),
            KeyHint(key: "Esc", action: "quit"),
        ])
        if let busy = runner.activeLabel {
            status.message = StatusSegment(busy, role: .info)
        } else if let startupWarning {
            status.message = StatusSegment(TerminalSafe.line(startupWarning), role: .warning)
        }
        status.render(into: &buffer, area: rows[2], theme: theme)
    }

    private func drawMain(into buffer: inout CellBuffer, area: Rect) {
        guard let environment, let screen = activeScreen else { return }
        var bar = tabBar
        bar.trailing = ""
        bar.render(into: &buffer, area: area.top(1), theme: theme)
        let content = screenArea
        screen.view(into: &buffer, area: content, theme: theme)
        if let prompt {
            prompt.render(into: &buffer, area: Rect(x: content.x, y: content.maxY - 1, width: content.width, height: 1), theme: theme)
        }
        let role = environment.principal.roles.joined(separator: ",")
        let account = StatusSegment("\(environment.displayName) (\(role.isEmpty ? "no role" : role))", role: .accent, minimumWidth: 12,
                                    yieldsToMessage: true)
        // The file name (the full path is on the sign-in screen), shortened from the left.
        let database = StatusSegment((options.databasePath as NSString).lastPathComponent, truncation: .head, minimumWidth: 16)
        var listener = listenerSegment
        // The address and rate keep their width; only a failure's long reason gives way.
        if case .failed = options.listener?.status { listener.minimumWidth = 24 }
        let hints = statusHints
        var status = StatusBar(segments: [account, database, listener], hints: hints.hints, trailingHint: hints.trailing)
        if let message = statusMessage ?? runner.activeLabel.map({ StatusSegment($0, role: .info) }) {
            // A message takes the hints' place, and the account's when it needs the room;
            // never the database's or the listener's: those are what an operator glances
            // at to know where they are.
            status.message = message
        }
        status.render(into: &buffer, area: area.bottom(1), theme: theme)
        if let goToMenu { goToMenu.render(into: &buffer, area: content, theme: theme) }
        if let help { help.render(into: &buffer, area: area, theme: theme) }
    }

    private func drawAlert(_ alert: Alert, into buffer: inout CellBuffer, area: Rect) {
        let width = min(area.width - 4, max(44, min(72, DisplayWidth.of(alert.message) + 8)))
        var lines = TextWrap.lines(alert.message, width: width - 6)
        // The keys go in the box, not in the status bar under it: a box is modal.
        if alert.copyable != nil { lines += ["", "y copy · Enter close"] }
        let box = area.centered(width: width, height: lines.count + 6)
        let inner = Frame.dialog(title: alert.title).render(into: &buffer, area: box, theme: theme)
        let surface = theme[.dialog]
        for (offset, line) in lines.enumerated() where inner.y + 1 + offset < inner.maxY - 2 {
            buffer.put(line, x: inner.x + 2, y: inner.y + 1 + offset, style: surface, maxWidth: inner.width - 4)
        }
        let button = "[ OK ]"
        buffer.put(button, x: inner.x + (inner.width - DisplayWidth.of(button)) / 2, y: inner.maxY - 2, style: theme[.buttonFocused].on(surface))
    }
}

// MARK: - Tabs of different message types in one array

/// A tab as the app holds it: its screen and the mailbox its work answers to, behind an
/// interface without the screen's message type, so tabs with different messages share one
/// array and the app never casts a message back.
protocol HostedScreen: AnyObject {
    var tab: any ConsoleTab { get }
    /// Gives `event` to the screen and carries out its answer; whether anything changed.
    @discardableResult
    func send(_ event: ScreenEvent, in app: ConsoleApp) -> Bool
    /// Gives a `:` command to the screen; false when the screen does not know it.
    func sendCommand(_ input: CommandLineInput, in app: ConsoleApp) -> Bool
    /// Hands the screen the messages of its finished work; whether there were any.
    func deliverMail(in app: ConsoleApp) -> Bool
    /// The screen's filters as the preferences remember them.
    var rememberedFilter: TabFilterState? { get }
    /// Puts back remembered filters and carries out what that starts (a page fetch).
    func restore(_ filter: TabFilterState, in app: ConsoleApp)
}

final class ScreenHost<Screen: ConsoleScreen>: HostedScreen {
    let screen: Screen
    let mailbox = Mailbox<Screen.Message>()

    init(_ screen: Screen) {
        self.screen = screen
    }

    var tab: any ConsoleTab { screen }

    @discardableResult
    func send(_ event: ScreenEvent, in app: ConsoleApp) -> Bool {
        app.apply(screen.update(event), from: self)
    }

    func sendCommand(_ input: CommandLineInput, in app: ConsoleApp) -> Bool {
        let effect = screen.update(.command(input))
        if case .unhandled = effect { return false }
        app.apply(effect, from: self)
        return true
    }

    var rememberedFilter: TabFilterState? { screen.rememberedFilter }

    func restore(_ filter: TabFilterState, in app: ConsoleApp) {
        app.apply(screen.restore(filter), from: self)
    }

    func deliverMail(in app: ConsoleApp) -> Bool {
        let messages = mailbox.drain()
        for message in messages { app.apply(screen.receive(message), from: self) }
        return !messages.isEmpty
    }
}

/// The one option `:serve` takes: `--port N` (1–65535), the port to listen on instead of
/// the configured one.
enum ListenerPortArgument {
    static func parse(_ input: CommandLineInput) -> Result<Int?, CommandLineError> {
        var words = input.arguments[...]
        var port: Int?
        while let word = words.popFirst() {
            guard word == "--port" else {
                return .failure(CommandLineError(word.hasPrefix("--") ? "unknown argument \(word)" : "`:\(input.name)` takes only --port N"))
            }
            guard let value = words.popFirst().flatMap({ Int($0) }), (1...65_535).contains(value) else {
                return .failure(CommandLineError("--port takes a port number from 1 to 65535"))
            }
            port = value
        }
        return .success(port)
    }
}

private extension String {
    /// The string with its first letter upper-cased, to start a sentence.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

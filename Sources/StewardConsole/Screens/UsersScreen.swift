import Foundation
import StewardCore

/// A checkbox list in a dialog: the roles of one user. j/k move, Space toggles, Enter
/// saves, Esc cancels.
struct CheckboxDialog {
    var title: String
    var items: [String]
    var checked: Set<String>
    var cursor = 0

    enum Outcome { case editing, save, cancel }

    mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .char("j"), .down: cursor = min(items.count - 1, cursor + 1)
        case .char("k"), .up: cursor = max(0, cursor - 1)
        case .char(" "), .char("x"):
            guard items.indices.contains(cursor) else { break }
            let item = items[cursor]
            if checked.contains(item) { checked.remove(item) } else { checked.insert(item) }
        case .enter: return .save
        case .escape, .char("q"): return .cancel
        default: break
        }
        return .editing
    }

    func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let box = area.centered(width: 44, height: items.count + 6)
        let inner = Frame.dialog(title: title).render(into: &buffer, area: box, theme: theme)
        let surface = theme[.dialog]
        for (index, item) in items.enumerated() where inner.y + 1 + index < inner.maxY - 1 {
            let mark = checked.contains(item) ? "[x]" : "[ ]"
            let style = index == cursor ? theme[.selection].on(surface) : surface
            buffer.fill(Rect(x: inner.x + 1, y: inner.y + 1 + index, width: inner.width - 2, height: 1), style: style)
            buffer.put(" \(mark) \(item)", x: inner.x + 1, y: inner.y + 1 + index, style: style, maxWidth: inner.width - 2)
        }
        buffer.put("Space toggle · Enter save · Esc cancel", x: inner.x + 1, y: inner.maxY - 1, style: theme[.muted].on(surface), maxWidth: inner.width - 2)
    }
}

/// Tab 1: accounts, by id, paged by key; `w` keeps only the accounts signed in now. Enter
/// shows the account with how it stands with signing in (last sign-in, lock, open
/// sessions) and its recent security events (with `logs:read`); `a` activates or
/// deactivates, `r` resets the password and shows the one-time password once, `e` edits
/// roles, `v` revokes every session, `u` lifts a sign-in lock, and in the detail `[`/`]`
/// pick a session that `x` ends — each offered only when the account holds the permission.
public final class UsersScreen: ConsoleScreen {
    enum Message: ScreenMessage {
        case table(BrowseTable<UserListing>.Message)
        case roleNames([String])
        /// The account shown in full, with its sign-in state and its recent security
        /// events (nil without `logs:read`).
        case opened(User, signIn: SignInState, events: [SecurityEvent]?)
        /// An action went through; `text` says what it did.
        case changed(String)
        case passwordReset(email: String, password: String)
        /// A user named by id on the command line (`:deactivate 12`), read so the action
        /// (and its question) names the account, and an unknown id is said at once.
        case resolved(User, action: String)
        case failed(StewardError)
    }

    let environment: ConsoleEnvironment
    private(set) var browse: BrowseTable<UserListing>
    private var rolesDialog: (dialog: CheckboxDialog, userID: Int64)?
    private var roleNames: [String] = BuiltinRoles.all.map(\.name)
    /// What the detail shows beside the account, kept so a session can be picked and the
    /// view redrawn without asking the services again.
    private var shown: (user: User, signIn: SignInState, events: [SecurityEvent]?)?
    /// The session `x` would end, as an index into `shown.signIn.sessions`.
    private var selectedSession = 0
    /// Whether the detail shows the account, or only its sessions (drill-down "their
    /// sessions", where `[`/`]` and `x` are the point).
    private var showsSessionsOnly = false
    /// The account a drill-down is on its way to: shown when its reading arrives.
    private var arriving: Int64?

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        browse = BrowseTable(UserListing(services: environment.services, caller: environment.caller, canReadEvents: environment.can(.logsRead),
                                         canEndSessions: environment.can(.usersUpdate)))
    }

    public var title: String { "Users" }
    public var capturesInput: Bool { browse.capturesInput || rolesDialog != nil }
    var rememberedFilter: TabFilterState? { browse.rememberedFilter }
    func restore(_ filter: TabFilterState) -> ScreenEffect<Message> { browse.restore(filter).map(Message.table) }
    private var canList: Bool { environment.can(.usersRead) }
    public var selectedUser: User? { browse.selectedItem }
    /// The open session `x` would end in the detail view, if any.
    public var selectedSessionID: String? {
        guard browse.isShowingDetail, let sessions = shown?.signIn.sessions, sessions.indices.contains(selectedSession) else { return nil }
        return sessions[selectedSession].familyID
    }
    public var isShowingDetail: Bool { browse.isShowingDetail }

    public var keyHints: KeyHintList {
        guard canList else { return [] }
        var hints = browse.keyHints
        hints.append(KeyHint(key: "/ role:R active:no", action: "filter words: by role, by active (yes|no)", section: "Navigation"))
        var commands: [String] = [":open"]
        if environment.can(.usersUpdate) {
            hints.append(KeyHint(key: "a", action: "activate / deactivate", section: "Users", isProminent: true, bar: "(de)activate"))
            hints.append(KeyHint(key: "v", action: "revoke sessions (asks first)", section: "Users"))
            hints.append(KeyHint(key: "u", action: "unlock sign-in", section: "Users"))
            hints.append(KeyHint(key: "[/]", action: "pick a session (detail)", section: "Users"))
            hints.append(KeyHint(key: "x", action: "revoke the picked session (detail, asks first)", section: "Users"))
            commands += [":activate", ":deactivate", ":revoke-sessions", ":unlock"]
        }
        if environment.can(.usersResetPassword) {
            hints.append(KeyHint(key: "r", action: "reset password (asks first)", section: "Users", isProminent: true, bar: "reset password"))
            commands.append(":reset-password")
        }
        if environment.can(.rolesAssign) {
            hints.append(KeyHint(key: "e", action: "edit roles", section: "Users", isProminent: true))
        }
        hints.append(KeyHint(key: commands.joined(separator: " ") + " [ID]", action: "act on user ID, or the selected user", section: "Commands"))
        if environment.can(.usersUpdate) {
            hints.append(KeyHint(key: ":revoke-session", action: "end the picked session (detail)", section: "Commands"))
        }
        if environment.can(.rolesAssign) {
            hints.append(KeyHint(key: ":roles R1,R2", action: "set the selected user's roles", section: "Commands"))
        }
        return KeyHintList(hints)
    }

    public var commandNames: [String] {
        guard canList else { return [] }
        var names = ["open", "events", "filter", "search"]
        if environment.can(.usersUpdate) { names += ["activate", "deactivate", "revoke-sessions", "unlock", "revoke-session"] }
        if environment.can(.usersResetPassword) { names.append("reset-password") }
        if environment.can(.rolesAssign) { names += ["roles", "set-roles"] }
        return names
    }

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            guard canList else { return .redraw }
            return browse.layout(area).map(Message.table)
        case .activated:
            guard canList else { return .redraw }
            let refresh = browse.refresh().map(Message.table)
            guard environment.can(.rolesRead) else { return refresh }
            let services = environment.services, actor = environment.caller
            return .batch([refresh, .perform(ScreenWork { .roleNames(try await services.roles.list(actor).map(\.name)) })])
        case .tick:
            return .none
        case .command(let input):
            return command(input)
        case .show(let location):
            return show(location)
        case .input(let input):
            return canList || rolesDialog != nil ? handle(input) : .none
        }
    }

    // MARK: Drill-down

    public func canShow(_ location: ConsoleLocation) -> Bool {
        switch location {
        case .user, .sessions: canList
        default: false
        }
    }

    public var location: ConsoleLocation? {
        guard let id = browse.detail?.key else { return nil }
        return showsSessionsOnly ? .sessions(userID: id) : .user(id)
    }

    public var relatedPlaces: [RelatedPlace] {
        guard let id = browse.actionKey, let user = browse.item(id) else { return [] }
        let name = user.displayName.isEmpty ? user.email : user.displayName
        var places = [RelatedPlace("p", "their posts", .posts(authorID: id, name: name))]
        if environment.can(.commentsHide) { places.append(RelatedPlace("c", "their comments", .comments(authorID: id, name: name))) }
        if !showsSessionsOnly || !browse.isShowingDetail { places.append(RelatedPlace("s", "their sessions", .sessions(userID: id))) }
        if showsSessionsOnly && browse.isShowingDetail { places.append(RelatedPlace("u", "the account", .user(id))) }
        if environment.can(.logsRead) { places.append(RelatedPlace("e", "their security events (Audit)", .audit(filter: "user:\(id)"))) }
        return places
    }

    private func show(_ location: ConsoleLocation?) -> ScreenEffect<Message> {
        switch location {
        case .user(let id), .sessions(let id):
            if case .sessions = location { showsSessionsOnly = true } else { showsSessionsOnly = false }
            // Read afresh, as every place is (it may have changed, or gone, meanwhile): the
            // account, its sign-in state and its events in one work, shown when they arrive.
            arriving = id
            return reopen(id, label: "Reading user \(id)…")
        case nil:
            browse.closeDetail()
            showsSessionsOnly = false
            return .redraw
        default:
            return .none
        }
    }

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        if var open = rolesDialog {
            switch open.dialog.handle(event) {
            case .editing:
                rolesDialog = open
            case .cancel:
                rolesDialog = nil
            case .save:
                rolesDialog = nil
                return setRoles(Array(open.dialog.checked).sorted(), userID: open.userID)
            }
            return .redraw
        }
        // Enter opens the account and asks for its security events.
        if event == .enter && !browse.isShowingDetail && !browse.capturesInput {
            showsSessionsOnly = false
            return open()
        }
        if let effect = browse.handle(event) { return effect.map(Message.table) }
        switch event {
        case .char("a"): return environment.refusal(lacking: .usersUpdate).map { .error($0) } ?? act("toggle-active")
        case .char("r"): return environment.refusal(lacking: .usersResetPassword).map { .error($0) } ?? act("reset-password")
        case .char("e"): return environment.refusal(lacking: .rolesAssign).map { .error($0) } ?? act("roles")
        case .char("v"): return environment.refusal(lacking: .usersUpdate).map { .error($0) } ?? act("revoke-sessions")
        case .char("u"): return environment.refusal(lacking: .usersUpdate).map { .error($0) } ?? act("unlock")
        case .char("x") where browse.isShowingDetail:
            return environment.refusal(lacking: .usersUpdate).map { .error($0) } ?? act("revoke-session")
        case .char("["), .char("]"):
            guard browse.isShowingDetail, let shown, !shown.signIn.sessions.isEmpty else { return .none }
            let count = shown.signIn.sessions.count
            selectedSession = (selectedSession + (event == .char("]") ? 1 : count - 1)) % count
            showDetail()
            return .redraw
        default: return .none
        }
    }

    /// Shows the selected account at once, and its security events when they arrive.
    private func open(_ user: User? = nil) -> ScreenEffect<Message> {
        guard let user = user ?? selectedUser else { return .none }
        if shown?.user.id != user.id {
            shown = nil
            selectedSession = 0
        }
        browse.remember([user])
        browse.show(browse.listing.detail(user, signIn: shown?.signIn, selectedSession: selectedSession, events: shown?.events,
                                          sessionsOnly: showsSessionsOnly), for: user.id)
        return reopen(user.id)
    }

    /// Reads the account shown in full (its sign-in state and events too) again, or the
    /// account a drill-down goes to (``arriving``).
    private func reopen(_ id: Int64, label: String = "") -> ScreenEffect<Message> {
        let services = environment.services, actor = environment.caller, withEvents = environment.can(.logsRead)
        let read: @Sendable () async throws -> Message = {
            let user = try await services.users.get(actor, id: id)
            let signIn = try await services.users.signInState(actor, id: id)
            return .opened(user, signIn: signIn, events: withEvents ? try await services.users.recentEvents(actor, id: id, limit: 20) : nil)
        }
        // A drill-down names the id that is not there; a reread says the account is gone.
        return .perform(arriving == id ? ScreenWork(label: label, naming: "user", id: id, operation: read) : ScreenWork(label: label, operation: read))
    }

    /// Draws the detail again from ``shown`` (a session picked, or fresh data arrived).
    private func showDetail() {
        guard let shown else { return }
        browse.show(browse.listing.detail(shown.user, signIn: shown.signIn, selectedSession: selectedSession, events: shown.events,
                                          sessionsOnly: showsSessionsOnly), for: shown.user.id)
    }

    private func command(_ input: CommandLineInput) -> ScreenEffect<Message> {
        switch input.name {
        case "open", "events", "activate", "deactivate", "reset-password", "revoke-sessions", "unlock":
            switch input.optionalID(of: "user") {
            case .failure(let error):
                return .error(error.message)
            case .success(let typed):
                return act(input.name == "events" ? "open" : input.name, id: typed)
            }
        case "revoke-session":
            if let error = input.noArguments() { return .error(error.message) }
            return act(input.name)
        case "roles", "set-roles":
            guard let id = browse.actionKey else { return .error("No user selected") }
            let roles = input.rest.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            return setRoles(roles, userID: id)
        default:
            return browse.command(input)?.map(Message.table) ?? .unhandled
        }
    }

    private func setRoles(_ roles: [String], userID id: Int64) -> ScreenEffect<Message> {
        let services = environment.services, actor = environment.caller
        let work = ScreenWork<Message>(label: "Changing roles of user \(id)…") {
            let user = try await services.users.setRoles(actor, id: id, roles: roles)
            return .changed("Roles of \(user.email): \(user.roles.joined(separator: ", "))")
        }
        // Dropping one's own admin role cannot be undone from this session (it ends, and
        // the account can no longer give the role back): ask first.
        let principal = environment.principal
        guard id == principal.userID, principal.roles.contains("admin"), !roles.contains("admin") else { return .perform(work) }
        let dialog = ConfirmDialog(title: "Drop your admin role", message: "Remove the admin role from your own account? This session ends, and only another admin can give the role back.",
                                   confirmLabel: "Drop admin", cancelLabel: "Keep admin", isDestructive: true)
        return .confirm(dialog, then: work)
    }

    /// Runs a user action on user `typed` when the command line named one, else on the
    /// user shown in full, else on the selected one. A typed id this tab has not loaded is
    /// read first (``Message/resolved(_:action:)``), and the action runs when it arrives.
    private func act(_ action: String, id typed: Int64? = nil) -> ScreenEffect<Message> {
        guard let id = typed ?? browse.actionKey else { return .error("No user selected: select one, or name it (:\(action) ID)") }
        let user = browse.item(id)
        if typed != nil && user == nil {
            let services = environment.services, actor = environment.caller
            return .perform(ScreenWork(label: "Reading user \(id)…", naming: "user", id: id) { .resolved(try await services.users.get(actor, id: id), action: action) })
        }
        let email = TerminalSafe.line(user?.email ?? "user \(id)")
        let services = environment.services, actor = environment.caller
        switch action {
        case "open":
            return open(user)
        case "toggle-active":
            return act(user?.isActive == false ? "activate" : "deactivate")
        case "activate", "deactivate":
            let active = action == "activate"
            let work = ScreenWork<Message>(label: active ? "Activating \(email)…" : "Deactivating \(email)…") {
                _ = try await services.users.update(actor, id: id, isActive: active)
                return .changed(active ? "Activated \(email)" : "Deactivated \(email); their sessions ended")
            }
            guard !active else { return .perform(work) }
            // Deactivating ends every session of the account at once: someone mid-work is
            // thrown out, so it is asked like the other actions that sign people out.
            let dialog = ConfirmDialog(title: "Deactivate account", message: "Deactivate \(email)? They are signed out everywhere and cannot sign in until activated again.",
                                       confirmLabel: "Deactivate", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: work)
        case "reset-password":
            let dialog = ConfirmDialog(title: "Reset password", message: "Give \(email) a new one-time password? Their current password and every session stop working.",
                                       confirmLabel: "Reset", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: ScreenWork(label: "Resetting the password of \(email)…") {
                .passwordReset(email: email, password: try await services.users.resetPassword(actor, id: id))
            })
        case "revoke-sessions":
            let dialog = ConfirmDialog(title: "Revoke sessions", message: "Sign \(email) out everywhere?", confirmLabel: "Revoke", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: ScreenWork(label: "Revoking sessions of \(email)…") {
                try await services.users.revokeSessions(actor, id: id)
                return .changed("Signed \(email) out everywhere")
            })
        case "unlock":
            guard let user else { return .error("User \(id) is not loaded") }
            let address = user.email
            return .perform(ScreenWork(label: "Unlocking \(email)…") {
                let wasLocked = try await services.users.unlock(actor, email: address)
                return .changed(wasLocked ? "Unlocked \(email): failed sign-ins forgotten" : "\(email) was not locked; nothing to forget")
            })
        case "revoke-session":
            guard let sessionID = selectedSessionID, let session = shown?.signIn.sessions.first(where: { $0.familyID == sessionID }) else {
                return .error("No session picked: open the user (Enter) and pick one with [ and ]")
            }
            let label = "\(TerminalSafe.line(session.client)) session since \(ConsoleTime.short(session.createdAt))"
            let dialog = ConfirmDialog(title: "Revoke session", message: "End the \(label) of \(email)? Their other sessions go on.",
                                       confirmLabel: "Revoke", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: ScreenWork(label: "Revoking a session of \(email)…") {
                try await services.users.revokeSession(actor, userID: id, sessionID: sessionID)
                return .changed("Ended the \(label) of \(email)")
            })
        case "roles":
            rolesDialog = (CheckboxDialog(title: "Roles of \(email)", items: roleNames, checked: Set(user?.roles ?? [])), id)
            return .redraw
        default:
            return .unhandled
        }
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        switch message {
        case .table(let page):
            return browse.receive(page).map(Message.table)
        case .resolved(let user, let action):
            browse.remember([user])
            return act(action, id: user.id)
        case .roleNames(let names):
            if !names.isEmpty { roleNames = names }
            return .none
        case .opened(let user, let signIn, let events):
            if arriving == user.id {
                arriving = nil
                if browse.detail?.key != user.id {
                    shown = nil
                    selectedSession = 0
                }
                browse.showDetail(user)
            }
            guard browse.detail?.key == user.id else { return .none }
            browse.remember([user])
            shown = (user, signIn, events)
            selectedSession = min(selectedSession, max(0, signIn.sessions.count - 1))
            showDetail()
            return .redraw
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        case .changed(let text):
            return afterAction(.status(text))
        case .passwordReset(let email, let password):
            return afterAction(.batch([
                .alert(title: "One-time password", message: "New password for \(email):\n\n    \(password)\n\nIt is shown only this once. Their sessions were ended.",
                       copyable: ClipboardItem(text: password, what: "the one-time password", instead: "Read it in the box.")),
                .status("Password of \(email) reset"),
            ]))
        }
    }

    /// After an action: `effect`, then the rows (and the account shown in full) read again.
    private func afterAction(_ effect: ScreenEffect<Message>) -> ScreenEffect<Message> {
        var effects = [effect, browse.refresh().map(Message.table)]
        if let id = browse.detail?.key { effects.append(reopen(id)) }
        return .batch(effects)
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard canList else {
            drawNotAllowed("Listing accounts needs the users:read permission, which your roles do not give.", into: &buffer, area: area, theme: theme)
            return
        }
        browse.render(into: &buffer, area: area, theme: theme)
        if let rolesDialog { rolesDialog.dialog.render(into: &buffer, area: area, theme: theme) }
    }
}

/// The accounts as the Users tab lists them: `UserService.list`, keyset pages by id; `s`
/// on ID reverses. The `/` filter matches names and emails.
struct UserListing: BrowseListing {
    /// The one status filter of the Users tab: accounts with a session open now.
    enum Presence: Hashable, Sendable, CaseIterable { case signedInNow }

    let services: Services
    let caller: Caller
    /// Whether the account may read security events (the detail says so, or waits for them).
    let canReadEvents: Bool
    /// Whether the account may end sessions (the sessions view offers its keys, or not).
    let canEndSessions: Bool

    var title: String { "Users" }
    var noun: String { "users" }
    var searchHint: String { "filter by name or email" }
    var searchVerb: String { "filter" }
    var statusKey: (key: Character, hint: String) { ("w", "who is signed in now / everyone") }
    var columns: [TableColumn] { Self.columns }

    static let columns = [
        TableColumn("ID", width: .fixed(6), alignment: .right, isSortable: true),
        TableColumn("Email", width: .fill(weight: 2, minimum: 18)),
        TableColumn("Name", width: .fill(weight: 2, minimum: 14)),
        TableColumn("Roles", width: .fill(weight: 1, minimum: 10)),
        TableColumn("Active", width: .fixed(6)),
        TableColumn("Created", width: .fixed(16)),
    ]

    func key(of user: User) -> Int64 { user.id }
    func cursor(after key: Int64) -> String { Store.cursor(afterID: key) }
    func isNaturalOrder(_ sort: TableSort?) -> Bool { sort?.ascending != false }

    func list(_ filter: BrowseFilter<Presence>, cursor: String?, limit: Int, reversed: Bool) async throws -> Page<User> {
        // "Now" is each page's own moment: a session that ended between two pages no longer counts.
        let signedInAt = filter.status == .signedInNow ? services.context.now() : nil
        let words = try UserFilterWords(filter.text)
        return try await services.users.list(caller, UserService.ListRequest(text: words.text, role: words.role, isActive: words.isActive,
                                                                              signedInAt: signedInAt, limit: limit, cursor: cursor, descending: reversed))
    }

    func row(_ user: User) -> TableRow<Int64> {
        TableRow(key: user.id, cells: [
            TableCell(String(user.id)),
            TableCell(TerminalSafe.line(user.email)),
            TableCell(TerminalSafe.line(user.displayName)),
            TableCell(user.roles.joined(separator: ",")),
            TableCell(user.isActive ? "yes" : "no", role: user.isActive ? nil : .warning),
            TableCell(ConsoleTime.short(user.createdAt)),
        ], role: user.isActive ? nil : .muted)
    }

    func summary(_ filter: BrowseFilter<Presence>, sort: TableSort?) -> String {
        var parts: [String] = [filter.text.map { "filter: \($0)" } ?? "all accounts"]
        if filter.status == .signedInNow { parts.append("signed in now") }
        if let sort { parts.append(sort.ascending ? "by id" : "by id, newest first") }
        return parts.joined(separator: " · ")
    }

    func detail(_ user: User, highlight: String?) -> DetailView {
        detail(user, signIn: nil, selectedSession: 0, events: nil)
    }

    /// An account's open sessions alone, one per line with where it signed in, when and
    /// when it was last used; `▸` marks the one `x` ends.
    private func sessionsDetail(_ user: User, signIn: SignInState?, selectedSession: Int) -> DetailView {
        var fields = [DetailField("Account", TerminalSafe.line("\(user.displayName) <\(user.email)>"))]
        guard let signIn else { return DetailView(title: "Sessions of user \(user.id)", fields: fields, body: "Loading sessions…") }
        fields.append(DetailField("Last sign-in", signIn.lastSignIn.map(ConsoleTime.short) ?? "never"))
        fields.append(DetailField("Open", signIn.sessions.count == 1 ? "1 session" : "\(signIn.sessions.count) sessions"))
        var body = "   Client   Signed in          Last used\n"
        body += signIn.sessions.isEmpty ? "\n   none: not signed in anywhere" : signIn.sessions.enumerated().map { index, session in
            let mark = index == selectedSession ? "▸" : " "
            let client = session.client.padding(toLength: max(7, session.client.count), withPad: " ", startingAt: 0)
            return " \(mark) \(client)  \(ConsoleTime.short(session.createdAt))   \(ConsoleTime.short(session.lastUsedAt))"
        }.joined(separator: "\n")
        if canEndSessions && !signIn.sessions.isEmpty { body += "\n\n[ ] pick a session · x end it · v end them all" }
        return DetailView(title: "Sessions of user \(user.id)", fields: fields, body: TerminalSafe.text(body))
    }

    /// The account with its sign-in state (nil while it loads) and its recent security
    /// events (nil while they load, or without `logs:read`). The session at
    /// `selectedSession` is marked `▸`: it is the one `x` ends.
    func detail(_ user: User, signIn: SignInState?, selectedSession: Int, events: [SecurityEvent]?, sessionsOnly: Bool = false) -> DetailView {
        if sessionsOnly { return sessionsDetail(user, signIn: signIn, selectedSession: selectedSession) }
        var fields = [
            DetailField("Email", TerminalSafe.line(user.email)),
            DetailField("Name", TerminalSafe.line(user.displayName)),
            DetailField("Roles", user.roles.joined(separator: ", ")),
            DetailField("Active", user.isActive ? "yes" : "no", role: user.isActive ? .success : .warning),
            DetailField("Created", ConsoleTime.short(user.createdAt)),
        ]
        var body = ""
        if let signIn {
            fields.append(DetailField("Last sign-in", signIn.lastSignIn.map(ConsoleTime.short) ?? "never"))
            if let until = signIn.lockedUntil {
                fields.append(DetailField("Sign-in", "locked until \(ConsoleTime.short(until)) (\(signIn.failedLogins) failed attempts)", role: .warning))
            } else {
                let failures = signIn.failedLogins == 0 ? "" : " (\(signIn.failedLogins) failed attempts counted)"
                fields.append(DetailField("Sign-in", "not locked" + failures))
            }
            body = "Open sessions (\(signIn.sessions.count))\n\n"
            body += signIn.sessions.isEmpty ? "none" : signIn.sessions.enumerated().map { index, session in
                let mark = index == selectedSession ? "▸" : " "
                let client = session.client.padding(toLength: max(7, session.client.count), withPad: " ", startingAt: 0)
                return "\(mark) \(client)  since \(ConsoleTime.short(session.createdAt))  last used \(ConsoleTime.short(session.lastUsedAt))"
            }.joined(separator: "\n")
            body += "\n\n"
        } else {
            body = "Loading sign-in state…\n\n"
        }
        if let events {
            body += "Recent security events\n\n"
            body += events.isEmpty ? "none" : events.map { event in
                let details = event.details.keys.sorted().map { "\($0)=\(event.details[$0]!)" }.joined(separator: " ")
                return "\(ConsoleTime.short(event.createdAt))  \(event.event.rawValue)  \(event.client)  \(details)"
            }.joined(separator: "\n")
        } else {
            body += canReadEvents ? "Loading security events…" : "Security events need logs:read."
        }
        return DetailView(title: "User \(user.id)", fields: fields, body: TerminalSafe.text(body))
    }
}

/// The Users tab's `/` line, split: `role:admin` and `active:yes`/`active:no` become the
/// list's role and active filters (which the store answers from its columns), and the other
/// words stay the name-or-email text. A filter word with a value it cannot take is an
/// error, so `active:maybe` never quietly lists every account.
struct UserFilterWords: Equatable {
    var text: String?
    var role: String?
    var isActive: Bool?

    init(_ line: String?) throws {
        var rest: [Substring] = []
        for word in (line ?? "").split(separator: " ") {
            let lower = word.lowercased()
            if lower.hasPrefix("role:") {
                let name = word.dropFirst("role:".count)
                guard !name.isEmpty else { throw StewardError(.badInput, "role: takes a role name (role:admin)") }
                role = String(name)
            } else if lower.hasPrefix("active:") {
                switch lower.dropFirst("active:".count) {
                case "yes", "y", "true": isActive = true
                case "no", "n", "false": isActive = false
                default: throw StewardError(.badInput, "active: takes yes or no")
                }
            } else {
                rest.append(word)
            }
        }
        text = rest.isEmpty ? nil : rest.joined(separator: " ")
    }
}

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

/// Tab 1: accounts, by id, paged by key. Enter shows the account with its recent security
/// events (with `logs:read`); `a` activates or deactivates, `r` resets the password and
/// shows the one-time password once, `e` edits roles, `v` revokes every session — each
/// offered only when the account holds the permission.
public final class UsersScreen: ConsoleScreen {
    let environment: ConsoleEnvironment
    let cache = EntityCache<User>()
    private(set) var table: Table<UsersSource>
    private(set) var textFilter: String?
    private var filterLine: FilterLine?
    private(set) var detail: DetailView?
    private var detailID: Int64?
    private var rolesDialog: (dialog: CheckboxDialog, userID: Int64)?
    private var roleNames: [String] = BuiltinRoles.all.map(\.name)
    private var area = Rect(width: 80, height: 22)

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        table = Table(columns: UsersSource.columns, source: UsersSource(services: environment.services, caller: environment.caller, cache: cache))
        table.emptyMessage = "No users"
    }

    public var title: String { "Users" }
    public var capturesInput: Bool { filterLine != nil || rolesDialog != nil }
    private var canList: Bool { environment.can(.usersRead) }
    public var selectedUser: User? { table.selectedKey.flatMap { cache[$0] } }
    public var isShowingDetail: Bool { detail != nil }

    public var keyHints: KeyHintList {
        guard canList else { return [] }
        var hints = navigationHints(filter: "filter by name or email")
        var commands: [String] = [":open"]
        if environment.can(.usersUpdate) {
            hints.append(KeyHint(key: "a", action: "activate / deactivate", section: "Users", isProminent: true))
            hints.append(KeyHint(key: "v", action: "revoke sessions (asks first)", section: "Users"))
            commands += [":activate", ":deactivate", ":revoke-sessions"]
        }
        if environment.can(.usersResetPassword) {
            hints.append(KeyHint(key: "r", action: "reset password (asks first)", section: "Users", isProminent: true))
            commands.append(":reset-password")
        }
        if environment.can(.rolesAssign) {
            hints.append(KeyHint(key: "e", action: "edit roles", section: "Users", isProminent: true))
            commands.append(":roles R1,R2")
        }
        hints.append(KeyHint(key: commands.joined(separator: " "), action: "act on the selected user", section: "Commands"))
        return KeyHintList(hints)
    }

    private var tableArea: Rect { area.inset(top: 1) }

    public func update(_ event: ScreenEvent) -> ScreenEffect {
        switch event {
        case .layout(let area):
            self.area = area
            if canList { table.fit(to: tableArea) }
            return .redraw
        case .activated:
            guard canList else { return .redraw }
            table.fit(to: tableArea)
            table.reload()
            if environment.can(.rolesRead) {
                let services = environment.services, actor = environment.caller
                return .perform(ScreenWork(tag: "roleNames") { try await services.roles.list(actor).map(\.name) })
            }
            return .redraw
        case .tick:
            return .none
        case .command(let input):
            return command(input)
        case .finished(let result):
            return finished(result)
        case .input(let input):
            return canList || rolesDialog != nil ? handle(input) : .none
        }
    }

    private func handle(_ event: InputEvent) -> ScreenEffect {
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
        switch FilterLine.route(event, to: &filterLine) {
        case .notOpen: break
        case .consumed: return .redraw
        case .applied(let text):
            applyFilter(text)
            return .redraw
        }
        if var open = detail {
            switch event {
            case .escape, .left:
                detail = nil
                detailID = nil
                return .redraw
            case .char("a"), .char("r"), .char("e"), .char("v"):
                break
            default:
                guard open.handle(event, area: area) else { return .none }
                detail = open
                return .redraw
            }
        }
        switch event {
        case .enter: return open()
        case .char("/"):
            var line = FilterLine()
            line.prompt.reset(text: textFilter ?? "")
            filterLine = line
            return .redraw
        case .escape:
            guard textFilter != nil else { return .none }
            applyFilter(nil)
            return .status("Filter cleared", role: .muted)
        case .char("n"), .char("N"):
            guard textFilter != nil else { return .status("No filter: press / to filter", role: .muted) }
            table.moveSelection(by: event == .char("n") ? 1 : -1)
            return .redraw
        case .char("a"): return act("toggle-active")
        case .char("r"): return act("reset-password")
        case .char("e"): return act("roles")
        case .char("v"): return act("revoke-sessions")
        default:
            return table.handle(event, area: tableArea) ? .redraw : .none
        }
    }

    private func applyFilter(_ text: String?) {
        textFilter = text
        table.replaceSource(UsersSource(services: environment.services, caller: environment.caller, text: text, cache: cache))
        table.emptyMessage = text == nil ? "No users" : "No users match"
    }

    private func open() -> ScreenEffect {
        guard let user = selectedUser else { return .none }
        showDetail(user, events: nil)
        guard environment.can(.logsRead) else { return .redraw }
        let services = environment.services, actor = environment.caller, id = user.id
        return .perform(ScreenWork(tag: "events") { EventsOf(userID: id, events: try await services.users.recentEvents(actor, id: id, limit: 20)) })
    }

    struct EventsOf: Sendable {
        var userID: Int64
        var events: [SecurityEvent]
    }

    private func showDetail(_ user: User, events: [SecurityEvent]?) {
        var body: String
        if let events {
            body = "Recent security events\n\n"
            body += events.isEmpty ? "none" : events.map { event in
                let details = event.details.keys.sorted().map { "\($0)=\(event.details[$0]!)" }.joined(separator: " ")
                return "\(ConsoleTime.short(event.createdAt))  \(event.event.rawValue)  \(event.client)  \(details)"
            }.joined(separator: "\n")
        } else {
            body = environment.can(.logsRead) ? "Loading security events…" : "Security events need logs:read."
        }
        detail = DetailView(title: "User \(user.id)", fields: [
            DetailField("Email", TerminalSafe.line(user.email)),
            DetailField("Name", TerminalSafe.line(user.displayName)),
            DetailField("Roles", user.roles.joined(separator: ", ")),
            DetailField("Active", user.isActive ? "yes" : "no", role: user.isActive ? .success : .warning),
            DetailField("Created", ConsoleTime.short(user.createdAt)),
        ], body: TerminalSafe.text(body))
        detailID = user.id
    }

    private func command(_ input: CommandLineInput) -> ScreenEffect {
        switch input.name {
        case "activate", "deactivate", "reset-password", "revoke-sessions":
            return act(input.name)
        case "roles", "set-roles":
            guard let id = detailID ?? table.selectedKey else { return .error("No user selected") }
            let roles = input.rest.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            return setRoles(roles, userID: id)
        case "open", "events":
            return open()
        case "filter", "search":
            applyFilter(input.rest.isEmpty ? nil : input.rest)
            return .redraw
        default:
            return .unhandled
        }
    }

    private func setRoles(_ roles: [String], userID id: Int64) -> ScreenEffect {
        let services = environment.services, actor = environment.caller
        return .perform(actionWork("changed", "Changing roles of user \(id)…") {
            let user = try await services.users.setRoles(actor, id: id, roles: roles)
            return "Roles of \(user.email): \(user.roles.joined(separator: ", "))"
        })
    }

    private func act(_ action: String) -> ScreenEffect {
        guard let id = detailID ?? table.selectedKey else { return .error("No user selected") }
        let user = cache[id]
        let email = TerminalSafe.line(user?.email ?? "user \(id)")
        let services = environment.services, actor = environment.caller
        switch action {
        case "toggle-active":
            return act(user?.isActive == false ? "activate" : "deactivate")
        case "activate", "deactivate":
            let active = action == "activate"
            return .perform(actionWork("changed", active ? "Activating \(email)…" : "Deactivating \(email)…") {
                _ = try await services.users.update(actor, id: id, isActive: active)
                return active ? "Activated \(email)" : "Deactivated \(email); their sessions ended"
            })
        case "reset-password":
            let dialog = ConfirmDialog(title: "Reset password", message: "Give \(email) a new one-time password? Their current password and every session stop working.",
                                       confirmLabel: "Reset", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: ScreenWork(tag: "password", label: "Resetting the password of \(email)…") {
                OneTimePassword(email: email, password: try await services.users.resetPassword(actor, id: id))
            })
        case "revoke-sessions":
            let dialog = ConfirmDialog(title: "Revoke sessions", message: "Sign \(email) out everywhere?", confirmLabel: "Revoke", cancelLabel: "Cancel", isDestructive: true)
            return .confirm(dialog, then: actionWork("changed", "Revoking sessions of \(email)…") {
                try await services.users.revokeSessions(actor, id: id)
                return "Signed \(email) out everywhere"
            })
        case "roles":
            rolesDialog = (CheckboxDialog(title: "Roles of \(email)", items: roleNames, checked: Set(user?.roles ?? [])), id)
            return .redraw
        default:
            return .unhandled
        }
    }

    struct OneTimePassword: Sendable {
        var email: String
        var password: String
    }

    private func finished(_ result: WorkResult) -> ScreenEffect {
        switch result.tag {
        case "roleNames":
            if let names = result.value(as: [String].self), !names.isEmpty { roleNames = names }
            return .none
        case "events":
            guard let value = result.value(as: EventsOf.self), value.userID == detailID, let user = cache[value.userID] else {
                return result.errorMessage.map { .error($0) } ?? .none
            }
            showDetail(user, events: value.events)
            return .redraw
        default:
            if let message = result.errorMessage { return .error(message) }
            table.reload()
            if let id = detailID, let user = cache[id] { showDetail(user, events: nil) }
            if let reset = result.value(as: OneTimePassword.self) {
                return .batch([
                    .alert(title: "One-time password", message: "New password for \(reset.email):\n\n    \(reset.password)\n\nIt is shown only this once. Their sessions were ended."),
                    .status("Password of \(reset.email) reset"),
                ])
            }
            return .status(result.value(as: String.self) ?? "Done")
        }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard canList else {
            drawNotAllowed("Listing accounts needs the users:read permission, which your roles do not give.", into: &buffer, area: area, theme: theme)
            return
        }
        if let detail {
            detail.render(into: &buffer, area: area, theme: theme)
        } else {
            var filters: [String] = [textFilter.map { "filter: \($0)" } ?? "all accounts"]
            if let sort = table.sort { filters.append(sort.ascending ? "by id" : "by id, newest first") }
            drawTitleRow("Users", detail: filters.joined(separator: " · "), into: &buffer, area: area, theme: theme)
            if let filterLine { filterLine.prompt.render(into: &buffer, area: area.top(1), theme: theme) }
            table.render(into: &buffer, area: tableArea, theme: theme)
        }
        if let rolesDialog { rolesDialog.dialog.render(into: &buffer, area: area, theme: theme) }
    }
}

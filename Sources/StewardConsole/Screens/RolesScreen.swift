import Foundation
import StewardCore

/// Tab 2: the permission matrix, one row per permission and one column per role. With
/// `roles:update`, Space toggles the cell under the cursor, `w` saves every changed role
/// through the role service, and `u` undoes unsaved changes. Changed cells show a `*`.
public final class RolesScreen: ConsoleScreen {
    enum Message: ScreenMessage {
        case loaded([Role])
        /// The roles as stored after a save.
        case saved([Role])
        case loadFailed(StewardError)
        case failed(StewardError)
    }

    let environment: ConsoleEnvironment
    private(set) var roles: [Role] = []
    /// The matrix as edited, by role name.
    private(set) var edited: [String: Set<String>] = [:]
    private(set) var row = 0
    private(set) var column = 0
    private var scroll = 0
    private var loading = false
    private var loadError: String?
    private var area = Rect(width: 80, height: 22)
    private let permissions = Permission.all

    public init(environment: ConsoleEnvironment) {
        self.environment = environment
    }

    public var title: String { "Roles" }
    private var canRead: Bool { environment.can(.rolesRead) }
    private var canEdit: Bool { environment.can(.rolesUpdate) }

    /// Roles whose edited permissions differ from the stored ones.
    public var changedRoles: [String] {
        roles.filter { edited[$0.name] != Set($0.permissions) }.map(\.name)
    }

    public var unsavedWork: String? {
        let changed = changedRoles
        return changed.isEmpty ? nil : "unsaved changes to the \(changed.joined(separator: ", ")) role\(changed.count == 1 ? "" : "s")"
    }

    public var keyHints: KeyHintList {
        guard canRead else { return [] }
        var hints = [
            KeyHint(key: "j/k ↑/↓", action: "move between permissions", section: "Navigation"),
            KeyHint(key: "h/l ←/→", action: "move between roles", section: "Navigation"),
            KeyHint(key: "g/G", action: "first / last permission", section: "Navigation"),
        ]
        if canEdit {
            hints += [
                KeyHint(key: "Space", action: "grant / revoke", section: "Roles", isProminent: true),
                KeyHint(key: "w", action: "save changed roles", section: "Roles", isProminent: true, bar: "save"),
                KeyHint(key: "u", action: "undo unsaved changes", section: "Roles"),
                KeyHint(key: ":save :undo", action: "the same from the command line", section: "Commands"),
            ]
        }
        hints.append(KeyHint(key: "r", action: "reload", section: "Roles"))
        return KeyHintList(hints)
    }

    public var commandNames: [String] {
        guard canRead else { return [] }
        return canEdit ? ["save", "undo", "reload"] : ["reload"]
    }

    func update(_ event: ScreenEvent) -> ScreenEffect<Message> {
        switch event {
        case .layout(let area):
            self.area = area
            return .redraw
        case .activated:
            guard canRead, roles.isEmpty, !loading else { return .redraw }
            return load()
        case .tick, .show:
            return .none
        case .command(let input):
            switch input.name {
            case "save", "w": return save()
            case "undo": return undo()
            case "reload": return load()
            default: return .unhandled
            }
        case .input(let input):
            guard canRead else { return .none }
            return handle(input)
        }
    }

    private func load() -> ScreenEffect<Message> {
        loading = true
        let services = environment.services, actor = environment.caller
        return .perform(ScreenWork(label: "Loading roles…", failure: Message.loadFailed) { .loaded(try await services.roles.list(actor)) })
    }

    private func handle(_ event: InputEvent) -> ScreenEffect<Message> {
        switch event {
        case .char("j"), .down: row = min(permissions.count - 1, row + 1)
        case .char("k"), .up: row = max(0, row - 1)
        case .char("l"), .right, .tab: column = min(max(0, roles.count - 1), column + 1)
        case .char("h"), .left: column = max(0, column - 1)
        case .char("g"), .home: row = 0
        case .char("G"), .end: row = permissions.count - 1
        case .pageDown: row = min(permissions.count - 1, row + visibleRows)
        case .pageUp: row = max(0, row - visibleRows)
        case .char(" "), .enter:
            guard canEdit else { return .error("Editing roles needs roles:update") }
            toggle()
        case .char("w"): return save()
        case .char("u"): return undo()
        case .char("r"): return load()
        case .mouse(let mouse) where mouse.kind == .press:
            let index = scroll + mouse.y - matrixTop
            if permissions.indices.contains(index) { row = index }
            if let hit = columnIndex(atX: mouse.x) { column = hit }
        case .mouse(let mouse) where mouse.kind == .wheelDown: row = min(permissions.count - 1, row + 3)
        case .mouse(let mouse) where mouse.kind == .wheelUp: row = max(0, row - 3)
        default: return .none
        }
        keepInView()
        return .redraw
    }

    private func toggle() {
        guard roles.indices.contains(column) else { return }
        let name = roles[column].name, permission = permissions[row].name
        var set = edited[name] ?? []
        if set.contains(permission) { set.remove(permission) } else { set.insert(permission) }
        edited[name] = set
    }

    private func save() -> ScreenEffect<Message> {
        let changed = changedRoles
        guard !changed.isEmpty else { return .status("Nothing to save", role: .muted) }
        let services = environment.services, actor = environment.caller
        let wanted = changed.map { ($0, Array(edited[$0] ?? []).sorted()) }
        return .perform(ScreenWork(label: "Saving roles…") {
            for (role, permissions) in wanted {
                _ = try await services.roles.setPermissions(actor, role: role, permissions: permissions)
            }
            return .saved(try await services.roles.list(actor))
        })
    }

    private func undo() -> ScreenEffect<Message> {
        for role in roles { edited[role.name] = Set(role.permissions) }
        return .status("Unsaved changes undone", role: .muted)
    }

    func receive(_ message: Message) -> ScreenEffect<Message> {
        loading = false
        switch message {
        case .loadFailed(let error):
            loadError = ConsoleEnvironment.describe(error)
            return .error(ConsoleEnvironment.describe(error))
        case .failed(let error):
            return .error(ConsoleEnvironment.describe(error))
        case .loaded(let loaded):
            show(loaded)
            return .redraw
        case .saved(let loaded):
            show(loaded)
            return .status("Saved the role permissions")
        }
    }

    private func show(_ loaded: [Role]) {
        roles = loaded
        loadError = nil
        for role in loaded { edited[role.name] = Set(role.permissions) }
        column = min(column, max(0, roles.count - 1))
    }

    // MARK: View

    /// What the tab says to an account without `roles:read`: why the matrix is hidden, and
    /// what the account can do, which is the part of the matrix that concerns it.
    var notAllowedMessage: String {
        let roles = environment.principal.roles
        let own = Permission.all.map(\.name).filter(environment.principal.permissions.contains)
        let held = roles.isEmpty ? "your account has no role" : "your roles (\(roles.joined(separator: ", "))) do not give it"
        return "The permission matrix needs roles:read, and \(held). What your account can do: "
            + (own.isEmpty ? "nothing yet" : own.joined(separator: ", ")) + ". An admin can change your roles on the Users tab."
    }

    private var matrixTop: Int { area.y + 2 }
    private var visibleRows: Int { max(1, area.height - 2) }
    private let nameWidth = 22
    private let cellWidth = 11

    private func columnIndex(atX x: Int) -> Int? {
        let offset = x - (area.x + 1 + nameWidth)
        guard offset >= 0 else { return nil }
        let index = offset / cellWidth
        return roles.indices.contains(index) ? index : nil
    }

    private func keepInView() {
        if row < scroll { scroll = row }
        if row >= scroll + visibleRows { scroll = row - visibleRows + 1 }
    }

    public func view(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard canRead else {
            drawNotAllowed(notAllowedMessage, into: &buffer, area: area, theme: theme)
            return
        }
        let base = theme[.base]
        let changed = changedRoles
        let detail = changed.isEmpty ? (canEdit ? "Space grants or revokes · w saves" : "read only") : "unsaved: \(changed.joined(separator: ", ")) — w saves, u undoes"
        drawTitleRow("Permission matrix", detail: detail, into: &buffer, area: area, theme: theme)
        if let loadError, roles.isEmpty {
            buffer.put(loadError, x: area.x + 1, y: area.y + 2, style: theme[.error].on(base), maxWidth: area.width - 2)
            return
        }
        if roles.isEmpty {
            buffer.put("Loading…", x: area.x + 1, y: area.y + 2, style: theme[.muted].on(base))
            return
        }
        let header = theme[.tableHeader].on(base)
        let headerRow = Rect(x: area.x, y: area.y + 1, width: area.width, height: 1)
        buffer.fill(headerRow, style: header)
        buffer.put(" Permission", x: area.x, y: headerRow.y, style: header, maxWidth: nameWidth)
        let descriptionX = area.x + 1 + nameWidth + roles.count * cellWidth + 1
        for (index, role) in roles.enumerated() {
            let text = DisplayWidth.fit(role.name, toWidth: cellWidth - 1, alignment: .center)
            buffer.put(text, x: area.x + 1 + nameWidth + index * cellWidth, y: headerRow.y, style: header)
        }
        if descriptionX < area.maxX - 10 { buffer.put("What it allows", x: descriptionX, y: headerRow.y, style: header) }
        do {
            var first = scroll
            if row < first { first = row }
            if row >= first + visibleRows { first = row - visibleRows + 1 }
            for line in 0..<visibleRows {
                let index = first + line
                guard permissions.indices.contains(index) else { break }
                let y = matrixTop + line
                let permission = permissions[index]
                let isRow = index == row
                let rowStyle = isRow ? theme[.selection].on(base) : base
                buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
                buffer.put(" " + permission.name, x: area.x, y: y, style: rowStyle, maxWidth: nameWidth)
                for (roleIndex, role) in roles.enumerated() {
                    let granted = edited[role.name]?.contains(permission.name) ?? false
                    let stored = role.permissions.contains(permission.name)
                    let mark = (granted ? "[x]" : "[ ]") + (granted != stored ? "*" : " ")
                    let text = DisplayWidth.fit(mark, toWidth: cellWidth - 1, alignment: .center)
                    let isCursor = isRow && roleIndex == column
                    let style = isCursor ? theme[.cursor].on(base) : (granted != stored ? theme[.warning].on(rowStyle) : rowStyle)
                    buffer.put(text, x: area.x + 1 + nameWidth + roleIndex * cellWidth, y: y, style: style)
                }
                if descriptionX < area.maxX - 10 {
                    buffer.put(permission.description, x: descriptionX, y: y, style: isRow ? rowStyle : theme[.muted].on(base), maxWidth: area.maxX - descriptionX)
                }
            }
        }
    }
}

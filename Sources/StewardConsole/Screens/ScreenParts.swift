import StewardCore

/// The `/` filter line a screen opens over its title row: typing edits, Enter applies,
/// Esc (or Enter on an empty line) clears.
struct FilterLine {
    var prompt = CommandPrompt(prompt: "/")

    enum Outcome { case editing, apply(String?), cancel }

    mutating func handle(_ event: InputEvent) -> Outcome {
        switch prompt.handle(event) {
        case .editing: return .editing
        case .cancelled: return event == .enter ? .apply(nil) : .cancel
        case .submitted(let text): return .apply(text)
        }
    }
    /// What became of an event offered to a screen's filter line.
    enum Routed {
        /// No filter line is open: the screen handles the event itself.
        case notOpen
        /// The line took the event (editing, or Esc closed it).
        case consumed
        /// The line closed with a filter to apply; `nil` (or an empty line) clears it.
        case applied(String?)
    }

    /// Offers `event` to the open filter line, if any, and closes it once the user is done.
    /// Every screen with a `/` filter routes its input through here first.
    static func route(_ event: InputEvent, to line: inout FilterLine?) -> Routed {
        guard var open = line else { return .notOpen }
        switch open.handle(event) {
        case .editing:
            line = open
            return .consumed
        case .cancel:
            line = nil
            return .consumed
        case .apply(let text):
            line = nil
            return .applied(text.flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}

/// Draws a screen's title row: the name, then the filters in effect, in the header role.
func drawTitleRow(_ text: String, detail: String, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
    let row = area.top(1)
    let base = theme[.base]
    buffer.fill(row, style: base)
    let width = buffer.put(" " + text, x: row.x, y: row.y, style: theme[.title].on(base), maxWidth: row.width)
    buffer.put("  " + detail, x: row.x + width, y: row.y, style: theme[.muted].on(base), maxWidth: row.width - width)
}

/// The common navigation keys of a table screen, for the help overlay.
func navigationHints(filter: String) -> [KeyHint] {
    [
        KeyHint(key: "j/k ↑/↓", action: "move", section: "Navigation"),
        KeyHint(key: "g/G", action: "top / bottom", section: "Navigation"),
        KeyHint(key: "PgUp/PgDn", action: "page", section: "Navigation"),
        KeyHint(key: "Enter", action: "open", section: "Navigation", isProminent: true),
        KeyHint(key: "Esc", action: "back / clear filter", section: "Navigation"),
        KeyHint(key: "/", action: filter, section: "Navigation", isProminent: true),
        KeyHint(key: "n/N", action: "next / previous match", section: "Navigation"),
        KeyHint(key: "s", action: "change sort", section: "Navigation"),
        KeyHint(key: "click, wheel", action: "select, scroll", section: "Navigation"),
    ]
}

/// A work that calls a service action and answers with a sentence for the status bar.
func actionWork(_ tag: String, _ label: String, _ operation: @escaping @Sendable () async throws -> String) -> ScreenWork {
    ScreenWork(tag: tag, label: label) { try await operation() }
}

/// A notice in the screen's area for an account that may not see this tab's data.
func drawNotAllowed(_ message: String, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
    Notice(title: "Not available", message: message, role: .muted).render(into: &buffer, area: area, theme: theme)
}

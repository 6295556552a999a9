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

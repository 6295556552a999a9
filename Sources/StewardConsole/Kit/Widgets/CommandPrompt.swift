/// The `:` command line at the bottom of the screen, with editing and history. The same
/// widget serves the `/` filter prompt (set ``prompt`` to "/").
///
/// ```
/// :publish 42█
/// ```
///
/// Editing keys are those of ``TextField``. ↑/↓ walk the history (the text being typed is
/// kept and comes back after the newest entry). Enter submits; Esc cancels, and so do
/// Enter on an empty line and Backspace on an empty line, as in vi.
///
/// (Named `CommandPrompt` rather than `CommandLine`: that name belongs to the standard
/// library's process arguments, which the app still needs in the same module.)
public struct CommandPrompt: Equatable, Sendable {
    public var prompt: String
    public private(set) var field = TextField()
    /// Submitted lines, oldest first.
    public private(set) var history: [String]
    public var historyLimit: Int = 100
    /// Position while walking the history; nil while editing a new line.
    private var historyIndex: Int?
    private var draft = ""

    public enum Outcome: Equatable, Sendable {
        case editing
        case submitted(String)
        case cancelled
    }

    public init(prompt: String = ":", history: [String] = []) {
        self.prompt = prompt
        self.history = history
    }

    public var text: String { field.text }

    /// Empties the line for the next use; the history stays.
    public mutating func reset(text: String = "") {
        field.setText(text)
        historyIndex = nil
        draft = ""
    }

    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .escape:
            reset()
            return .cancelled
        case .enter:
            let line = field.text.trimmingSpaces()
            reset()
            guard !line.isEmpty else { return .cancelled }
            if history.last != line { history.append(line) }
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
            return .submitted(line)
        case .backspace where field.isEmpty:
            reset()
            return .cancelled
        case .up:
            guard !history.isEmpty else { break }
            if historyIndex == nil { draft = field.text }
            let index = max(0, (historyIndex ?? history.count) - 1)
            historyIndex = index
            field.setText(history[index])
        case .down:
            guard let index = historyIndex else { break }
            if index + 1 < history.count {
                historyIndex = index + 1
                field.setText(history[index + 1])
            } else {
                historyIndex = nil
                field.setText(draft)
            }
        default:
            _ = field.handle(event)
        }
        return .editing
    }

    /// Draws the prompt on the first row of `area`.
    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = area.top(1)
        let base = theme[.base]
        buffer.fill(row, style: base)
        let promptWidth = buffer.put(prompt, x: row.x, y: row.y, style: theme[.accent].on(base), maxWidth: row.width)
        field.render(
            into: &buffer,
            area: Rect(x: row.x + promptWidth, y: row.y, width: row.width - promptWidth, height: 1),
            style: base,
            cursorStyle: theme[.cursor].on(base),
            placeholderStyle: theme[.muted].on(base),
            showsCursor: true
        )
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var characters = Substring(self)
        while characters.first == " " { characters.removeFirst() }
        while characters.last == " " { characters.removeLast() }
        return String(characters)
    }
}

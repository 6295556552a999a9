/// One labelled input of a ``Form``.
public struct FormField: Equatable, Sendable {
    /// The name the owner reads the value by ("email"); not shown.
    public var id: String
    public var label: String
    public var editor: TextField
    /// A validation message shown under the field, or nil.
    public var error: String?

    public init(id: String, label: String, value: String = "", isSecure: Bool = false, placeholder: String = "", maxLength: Int = 1_000) {
        self.id = id
        self.label = label
        editor = TextField(text: value, isSecure: isSecure, placeholder: placeholder, maxLength: maxLength)
    }

    public var value: String { editor.text }
}

/// A dialog of labelled text fields: sign-in, the first admin, a new user.
///
/// ```
/// ┌ Sign in ───────────────────────────────────┐
/// │                                            │
/// │ Email      alice@example.com               │
/// │                                            │
/// │ Password   ••••••••                        │
/// │            must contain a digit            │
/// │                                            │
/// │ Enter submit · Tab next field · Esc cancel │
/// └────────────────────────────────────────────┘
/// ```
///
/// Typing edits the focused field (grapheme-aware, see ``TextField``). Tab/↓ and
/// Shift-Tab/↑ move between fields, Enter submits from any field, Esc cancels. The form
/// does not validate: its owner reads ``values`` on `.submitted`, and reports problems
/// with ``setError(_:for:)`` (all failing fields at once) and ``message``.
public struct Form: Equatable, Sendable {
    public var title: String
    public var fields: [FormField]
    public private(set) var focusedIndex: Int = 0
    /// A message about the whole form ("Sign-in failed"), shown above the key hints in the
    /// error role.
    public var message: String?
    /// The key hint line at the bottom.
    public var hint: String = "Enter submit · Tab next field · Esc cancel"

    public enum Outcome: Equatable, Sendable {
        /// The form is still open (a key was typed, or focus moved).
        case editing
        /// Enter was pressed: read ``values``.
        case submitted
        /// Esc was pressed: close the form.
        case cancelled
    }

    public init(title: String, fields: [FormField]) {
        self.title = title
        self.fields = fields
    }

    /// Field values by id.
    public var values: [String: String] {
        Dictionary(fields.map { ($0.id, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The value of the field with `id`, or "" if there is none.
    public func value(of id: String) -> String {
        fields.first { $0.id == id }?.value ?? ""
    }

    /// Shows `message` under the field with `id` (nil clears it).
    public mutating func setError(_ message: String?, for id: String) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].error = message
    }

    /// Clears every field error and the form message.
    public mutating func clearErrors() {
        for index in fields.indices { fields[index].error = nil }
        message = nil
    }

    /// Moves focus to the first field with an error, so the user lands where to fix.
    public mutating func focusFirstError() {
        if let index = fields.firstIndex(where: { $0.error != nil }) { focusedIndex = index }
    }

    /// Moves focus to the field with `id`.
    public mutating func focus(_ id: String) {
        if let index = fields.firstIndex(where: { $0.id == id }) { focusedIndex = index }
    }

    /// Sets the value of the field with `id` (clearing a password after a failed sign-in).
    public mutating func setValue(_ value: String, for id: String) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].editor.setText(value)
    }

    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .enter:
            return .submitted
        case .escape:
            return .cancelled
        case .tab, .down:
            if !fields.isEmpty { focusedIndex = (focusedIndex + 1) % fields.count }
        case .backTab, .up:
            if !fields.isEmpty { focusedIndex = (focusedIndex + fields.count - 1) % fields.count }
        default:
            if fields.indices.contains(focusedIndex) {
                _ = fields[focusedIndex].editor.handle(event)
            }
        }
        return .editing
    }

    private var labelWidth: Int { (fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 3 }

    /// The size the form would like: wide enough for its labels and a comfortable field
    /// and for its messages, tall enough for every field with its error line. ``render``
    /// shrinks it to the area it gets.
    public var preferredSize: (width: Int, height: Int) {
        let longestError = fields.map { DisplayWidth.of($0.error ?? "") }.max() ?? 0
        let longestMessage = DisplayWidth.of(message ?? "")
        let width = max(44, labelWidth + 34, labelWidth + longestError + 4, longestMessage + 4, DisplayWidth.of(hint) + 4, DisplayWidth.of(title) + 8)
        return (width, 2 + 1 + fields.count * 2 + 1 + 1)
    }

    /// Draws the form as a dialog centred in `area`.
    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let size = preferredSize
        let box = area.centered(width: min(size.width, area.width - 2), height: min(size.height, area.height))
        let inner = Frame.dialog(title: title).render(into: &buffer, area: box, theme: theme)
        guard !inner.isEmpty else { return }
        let surface = theme[.dialog]
        let content = inner.inset(left: 1, right: 1)
        let fieldX = content.x + labelWidth
        let fieldWidth = max(1, content.maxX - fieldX)
        var y = content.y + 1
        for (index, field) in fields.enumerated() {
            guard y < content.maxY else { break }
            let focused = index == focusedIndex
            let labelStyle = (focused ? theme[.accent] : theme[.muted]).on(surface)
            buffer.put(DisplayWidth.truncate(field.label, toWidth: labelWidth - 1), x: content.x, y: y, style: labelStyle)
            field.editor.render(
                into: &buffer,
                area: Rect(x: fieldX, y: y, width: fieldWidth, height: 1),
                style: theme[focused ? .inputFocused : .input].on(surface),
                cursorStyle: theme[.cursor].on(surface),
                placeholderStyle: theme[.muted].on(theme[.input].on(surface)),
                showsCursor: focused
            )
            if let error = field.error, y + 1 < content.maxY {
                buffer.put(DisplayWidth.truncate(error, toWidth: fieldWidth), x: fieldX, y: y + 1, style: theme[.inputError].on(surface))
            }
            y += 2
        }
        if let message, content.height >= 2 {
            buffer.put(DisplayWidth.truncate(message, toWidth: content.width), x: content.x, y: content.maxY - 2, style: theme[.error].on(surface))
        }
        buffer.put(DisplayWidth.truncate(hint, toWidth: content.width), x: content.x, y: content.maxY - 1, style: theme[.muted].on(surface))
    }
}

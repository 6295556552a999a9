/// A yes/no question in a centred box: "Delete post 'Hello'? This cannot be undone."
///
/// `y` confirms, `n` and Esc cancel, Enter presses the focused button, and ←/→/Tab/`h`/`l`
/// move focus between the buttons. A destructive dialog starts with focus on the cancel
/// button, so a reflexive Enter does no harm, and draws its confirm button in the error
/// role.
public struct ConfirmDialog: Equatable, Sendable {
    public var title: String
    public var message: String
    public var confirmLabel: String
    public var cancelLabel: String
    public var isDestructive: Bool
    /// Whether Enter would confirm.
    public private(set) var confirmIsFocused: Bool

    public enum Answer: Equatable, Sendable {
        case confirmed
        case cancelled
    }

    public init(title: String, message: String, confirmLabel: String = "Yes", cancelLabel: String = "No", isDestructive: Bool = false) {
        self.title = title
        self.message = message
        self.confirmLabel = confirmLabel
        self.cancelLabel = cancelLabel
        self.isDestructive = isDestructive
        confirmIsFocused = !isDestructive
    }

    /// The answer, once there is one; nil while the dialog stays open. The dialog is modal:
    /// it takes every key.
    public mutating func handle(_ event: InputEvent) -> Answer? {
        switch event {
        case .char("y"), .char("Y"): return .confirmed
        case .char("n"), .char("N"), .escape: return .cancelled
        case .enter: return confirmIsFocused ? .confirmed : .cancelled
        case .left, .right, .tab, .backTab, .char("h"), .char("l"):
            confirmIsFocused.toggle()
        default:
            break
        }
        return nil
    }

    private var buttons: (confirm: String, cancel: String) { ("[ \(confirmLabel) ]", "[ \(cancelLabel) ]") }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let (confirm, cancel) = buttons
        let buttonsWidth = DisplayWidth.of(confirm) + 3 + DisplayWidth.of(cancel)
        let width = min(area.width - 2, max(40, buttonsWidth + 6, min(64, DisplayWidth.of(message) + 6)))
        let textWidth = max(1, width - 6)
        let lines = TextWrap.lines(message, width: textWidth)
        let height = min(area.height, lines.count + 6)
        let box = area.centered(width: width, height: height)
        let inner = Frame.dialog(title: title).render(into: &buffer, area: box, theme: theme)
        guard !inner.isEmpty else { return }
        let surface = theme[.dialog]
        for (offset, line) in lines.enumerated() where inner.y + 1 + offset < inner.maxY - 2 {
            buffer.put(line, x: inner.x + 2, y: inner.y + 1 + offset, style: surface, maxWidth: textWidth)
        }
        let y = inner.maxY - 2
        guard y > inner.y else { return }
        var x = inner.x + max(0, (inner.width - buttonsWidth) / 2)
        let confirmRole: ThemeRole = confirmIsFocused ? .buttonFocused : (isDestructive ? .error : .button)
        x += buffer.put(confirm, x: x, y: y, style: theme[confirmRole].on(surface))
        x += 3
        buffer.put(cancel, x: x, y: y, style: theme[confirmIsFocused ? .button : .buttonFocused].on(surface))
    }
}

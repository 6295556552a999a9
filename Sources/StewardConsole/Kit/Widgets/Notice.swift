/// A centred message that takes over an area: the too-small-terminal notice, or "nothing
/// to show here" for a screen.
public struct Notice: Equatable, Sendable {
    public var title: String?
    public var message: String
    public var role: ThemeRole

    public init(title: String? = nil, message: String, role: ThemeRole = .base) {
        self.title = title
        self.message = message
        self.role = role
    }

    /// The notice shown instead of the console when the terminal is smaller than the
    /// layout needs: "Steward needs at least 80×24; this terminal is 60×20".
    public static func terminalTooSmall(width: Int, height: Int, minimumWidth: Int = 80, minimumHeight: Int = 24) -> Notice {
        Notice(message: "Steward needs at least \(minimumWidth)×\(minimumHeight); this terminal is \(width)×\(height). Enlarge the window or press q to quit.", role: .warning)
    }

    /// Fills `area` and draws the message wrapped and centred in it.
    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let base = theme[.base]
        buffer.fill(area, style: base)
        let width = max(1, min(area.width - 2, 60))
        var lines: [(text: String, style: Style)] = []
        if let title {
            lines += TextWrap.lines(title, width: width).map { ($0, theme[.title].on(base)) }
            lines.append(("", base))
        }
        lines += TextWrap.lines(message, width: width).map { ($0, theme[role].on(base)) }
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < area.maxY {
            let x = area.x + max(0, (area.width - DisplayWidth.of(line.text)) / 2)
            buffer.put(line.text, x: x, y: top + offset, style: line.style, maxWidth: area.maxX - x)
        }
    }
}

/// A notice in the screen's area for an account that may not see this tab's data.
func drawNotAllowed(_ message: String, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
    Notice(title: "Not available", message: message, role: .muted).render(into: &buffer, area: area, theme: theme)
}

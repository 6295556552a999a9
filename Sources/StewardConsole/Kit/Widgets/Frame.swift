/// A box drawn with light box-drawing lines, with an optional title set into the top
/// border and a footer set into the bottom one:
///
/// ```
/// ┌ Users ─────────────────────┐
/// │                            │
/// └─────────────────── 1–20 ──┘
/// ```
///
/// Screens wrap tables and detail panes in frames; dialogs use one with the dialog roles.
public struct Frame: Equatable, Sendable {
    public var title: String?
    /// Short text on the right of the bottom border, such as a scroll position.
    public var footer: String?
    public var borderRole: ThemeRole
    public var titleRole: ThemeRole
    /// The style the inside is filled with.
    public var surfaceRole: ThemeRole

    public init(
        title: String? = nil,
        footer: String? = nil,
        borderRole: ThemeRole = .border,
        titleRole: ThemeRole = .title,
        surfaceRole: ThemeRole = .base
    ) {
        self.title = title
        self.footer = footer
        self.borderRole = borderRole
        self.titleRole = titleRole
        self.surfaceRole = surfaceRole
    }

    /// The frame for dialogs: dialog surface and border.
    public static func dialog(title: String?) -> Frame {
        Frame(title: title, borderRole: .dialogBorder, surfaceRole: .dialog)
    }

    /// The inside of a frame drawn in `area`.
    public static func inner(of area: Rect) -> Rect { area.inset(by: 1) }

    /// Draws the frame, fills its inside, and returns the inside.
    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) -> Rect {
        guard area.width >= 2 && area.height >= 2 else {
            buffer.fill(area, style: theme[surfaceRole])
            return Rect(x: area.x, y: area.y, width: 0, height: 0)
        }
        let surface = theme[surfaceRole]
        let border = theme[borderRole].on(surface)
        buffer.fill(area.inset(by: 1), style: surface)
        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        buffer.put("┌", x: left, y: top, style: border)
        buffer.put("┐", x: right, y: top, style: border)
        buffer.put("└", x: left, y: bottom, style: border)
        buffer.put("┘", x: right, y: bottom, style: border)
        buffer.fill(Rect(x: left + 1, y: top, width: area.width - 2, height: 1), with: "─", style: border)
        buffer.fill(Rect(x: left + 1, y: bottom, width: area.width - 2, height: 1), with: "─", style: border)
        buffer.fill(Rect(x: left, y: top + 1, width: 1, height: area.height - 2), with: "│", style: border)
        buffer.fill(Rect(x: right, y: top + 1, width: 1, height: area.height - 2), with: "│", style: border)
        if let title, !title.isEmpty, area.width >= 6 {
            let text = " " + DisplayWidth.truncate(title, toWidth: area.width - 6) + " "
            buffer.put(text, x: left + 1, y: top, style: theme[titleRole].on(surface))
        }
        if let footer, !footer.isEmpty, area.width >= 8 {
            let text = " " + DisplayWidth.truncate(footer, toWidth: area.width - 8) + " "
            buffer.put(text, x: right - 1 - DisplayWidth.of(text), y: bottom, style: border)
        }
        return area.inset(by: 1)
    }
}

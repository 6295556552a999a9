/// The `?` overlay: every key of the current screen, grouped by section, in a scrollable
/// box. Built from the same ``KeyHintList`` the status bar draws from.
///
/// j/k/↓/↑ and PgDn/PgUp scroll, `g`/`G` jump; Esc, `?` and `q` close it.
public struct HelpOverlay: Equatable, Sendable {
    public var title: String
    public var hints: KeyHintList
    public private(set) var scrollOffset: Int = 0

    public enum Outcome: Equatable, Sendable {
        case open
        case dismissed
    }

    public init(hints: KeyHintList, title: String = "Keys") {
        self.hints = hints
        self.title = title
    }

    private enum Line: Equatable {
        case section(String)
        case hint(key: String, action: String)
        case blank
    }

    private var lines: [Line] {
        var lines: [Line] = []
        for (index, section) in hints.sections.enumerated() {
            if index > 0 { lines.append(.blank) }
            lines.append(.section(section.title))
            lines += section.hints.map { .hint(key: $0.key, action: $0.action) }
        }
        return lines
    }

    private var keyWidth: Int { min(16, hints.hints.map { DisplayWidth.of($0.key) }.max() ?? 0) }

    /// Where the box goes inside `area`.
    public func box(in area: Rect) -> Rect {
        let actionWidth = hints.hints.map { DisplayWidth.of($0.action) }.max() ?? 0
        let sectionWidth = hints.sections.map { DisplayWidth.of($0.title) }.max() ?? 0
        let width = min(area.width - 4, max(36, keyWidth + 3 + actionWidth + 6, sectionWidth + 6))
        let height = min(area.height - 2, lines.count + 4)
        return area.centered(width: width, height: height)
    }

    public mutating func handle(_ event: InputEvent, area: Rect) -> Outcome {
        let visible = max(1, box(in: area).height - 4)
        let maxOffset = max(0, lines.count - visible)
        switch event {
        case .escape, .char("?"), .char("q"): return .dismissed
        case .char("j"), .down: scrollOffset += 1
        case .char("k"), .up: scrollOffset -= 1
        case .pageDown, .char(" "): scrollOffset += visible
        case .pageUp: scrollOffset -= visible
        case .char("g"), .home: scrollOffset = 0
        case .char("G"), .end: scrollOffset = maxOffset
        case .mouse(let mouse) where mouse.kind == .wheelDown: scrollOffset += 3
        case .mouse(let mouse) where mouse.kind == .wheelUp: scrollOffset -= 3
        default: break
        }
        scrollOffset = min(max(0, scrollOffset), maxOffset)
        return .open
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let box = box(in: area)
        let all = lines
        let visible = max(0, box.height - 4)
        var footer: String?
        if all.count > visible {
            footer = "\(scrollOffset + 1)–\(min(all.count, scrollOffset + visible)) of \(all.count)"
        }
        var frame = Frame.dialog(title: title)
        frame.footer = footer
        let inner = frame.render(into: &buffer, area: box, theme: theme)
        guard inner.height >= 2 else { return }
        let surface = theme[.dialog]
        let content = inner.inset(top: 1, left: 2, bottom: 1, right: 2)
        for row in 0..<content.height {
            let index = scrollOffset + row
            guard all.indices.contains(index) else { break }
            let y = content.y + row
            switch all[index] {
            case .section(let title):
                buffer.put(title, x: content.x, y: y, style: theme[.header].on(surface), maxWidth: content.width)
            case .hint(let key, let action):
                let keyText = DisplayWidth.fit(key, toWidth: keyWidth)
                buffer.put("  " + keyText, x: content.x, y: y, style: theme[.accent].on(surface), maxWidth: content.width)
                let actionX = content.x + 2 + keyWidth + 2
                buffer.put(action, x: actionX, y: y, style: surface, maxWidth: content.maxX - actionX)
            case .blank:
                break
            }
        }
    }
}

/// A labelled value at the top of a ``DetailView``: "Email  alice@example.com".
public struct DetailField: Equatable, Sendable {
    public var label: String
    public var value: String
    /// A role for the value (a status in its status colour); nil for ordinary text.
    public var role: ThemeRole?

    public init(_ label: String, _ value: String, role: ThemeRole? = nil) {
        self.label = label
        self.value = value
        self.role = role
    }
}

/// A framed, scrollable page: key/value rows, a rule, then a body of text wrapped to the
/// width (a post's content, a log line's details, a comment thread).
///
/// Wrapping follows display width, so CJK and emoji wrap where they should, and newlines
/// in the body start new lines. Occurrences of ``highlight`` (case-insensitive) are drawn
/// in the `match` role. Keys: `j`/`k`/↓/↑ scroll a line, PgDn/PgUp/Space a page, `g`/`G`
/// the ends, the wheel three lines; everything else is left to the screen (Esc to go back).
public struct DetailView: Equatable, Sendable {
    public var title: String
    public var fields: [DetailField]
    public var body: String
    /// Text to pick out in the body, such as the current filter.
    public var highlight: String?
    /// The first content line shown.
    public private(set) var scrollOffset: Int = 0

    public init(title: String, fields: [DetailField] = [], body: String = "", highlight: String? = nil) {
        self.title = title
        self.fields = fields
        self.body = body
        self.highlight = highlight
    }

    private enum LineKind: Equatable { case field(label: String, role: ThemeRole?), rule, body }

    /// All content lines for a given inner width, before scrolling.
    private func contentLines(width: Int) -> [(text: String, kind: LineKind)] {
        guard width > 0 else { return [] }
        var lines: [(text: String, kind: LineKind)] = []
        let labelWidth = min(fields.map { DisplayWidth.of($0.label) }.max() ?? 0, max(0, width / 3))
        let valueWidth = max(1, width - labelWidth - 2)
        for field in fields {
            let wrapped = TextWrap.lines(field.value, width: valueWidth)
            for (index, line) in wrapped.enumerated() {
                lines.append((line, .field(label: index == 0 ? field.label : "", role: field.role)))
            }
        }
        if !fields.isEmpty && !body.isEmpty {
            lines.append(("", .rule))
        }
        if !body.isEmpty {
            lines += TextWrap.lines(body, width: width).map { ($0, .body) }
        }
        return lines
    }

    private static func inner(of area: Rect) -> Rect { area.inset(top: 1, left: 2, bottom: 1, right: 2) }

    /// How many content lines there are when drawn in `area` (for scroll limits).
    public func lineCount(in area: Rect) -> Int {
        contentLines(width: DetailView.inner(of: area).width).count
    }

    /// Scrolls by `delta` lines, stopping at the top and at the last page.
    public mutating func scroll(by delta: Int, area: Rect) {
        let inner = DetailView.inner(of: area)
        let maxOffset = max(0, lineCount(in: area) - inner.height)
        scrollOffset = min(max(0, scrollOffset + delta), maxOffset)
    }

    /// Scrolls to the top.
    public mutating func scrollToTop() { scrollOffset = 0 }

    public mutating func handle(_ event: InputEvent, area: Rect) -> Bool {
        let page = max(1, DetailView.inner(of: area).height - 1)
        switch event {
        case .char("j"), .down: scroll(by: 1, area: area)
        case .char("k"), .up: scroll(by: -1, area: area)
        case .pageDown, .char(" "), .ctrl("f"): scroll(by: page, area: area)
        case .pageUp, .ctrl("b"): scroll(by: -page, area: area)
        case .char("g"), .home: scrollOffset = 0
        case .char("G"), .end: scroll(by: Int.max / 2, area: area)
        case .mouse(let mouse) where area.contains(x: mouse.x, y: mouse.y):
            switch mouse.kind {
            case .wheelDown: scroll(by: 3, area: area)
            case .wheelUp: scroll(by: -3, area: area)
            default: return false
            }
        default:
            return false
        }
        return true
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let inner = DetailView.inner(of: area)
        let lines = contentLines(width: inner.width)
        let maxOffset = max(0, lines.count - inner.height)
        let offset = min(scrollOffset, maxOffset)
        var footer: String?
        if lines.count > inner.height && inner.height > 0 {
            footer = "\(offset + 1)–\(min(lines.count, offset + inner.height)) of \(lines.count)"
        }
        Frame(title: title, footer: footer).render(into: &buffer, area: area, theme: theme)
        guard !inner.isEmpty else { return }
        let base = theme[.base]
        let labelWidth = min(fields.map { DisplayWidth.of($0.label) }.max() ?? 0, max(0, inner.width / 3))
        for row in 0..<inner.height {
            let index = offset + row
            guard lines.indices.contains(index) else { break }
            let line = lines[index]
            let y = inner.y + row
            switch line.kind {
            case .field(let label, let role):
                buffer.put(DisplayWidth.truncate(label, toWidth: labelWidth), x: inner.x, y: y, style: theme[.muted].on(base))
                let valueX = inner.x + labelWidth + 2
                buffer.put(line.text, x: valueX, y: y, style: role.map { theme[$0].on(base) } ?? base, maxWidth: inner.maxX - valueX)
            case .rule:
                buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: "─", style: theme[.border].on(base))
            case .body:
                buffer.put(line.text, x: inner.x, y: y, style: base, maxWidth: inner.width)
                highlightMatches(in: line.text, x: inner.x, y: y, width: inner.width, buffer: &buffer, style: theme[.match].on(base))
            }
        }
    }

    /// Restyles the cells under each case-insensitive occurrence of ``highlight``.
    private func highlightMatches(in line: String, x: Int, y: Int, width: Int, buffer: inout CellBuffer, style: Style) {
        guard let highlight, !highlight.isEmpty else { return }
        let needle = highlight.map { $0.lowercased().first ?? $0 }
        let haystack = Array(line)
        let lowered = haystack.map { $0.lowercased().first ?? $0 }
        guard needle.count <= lowered.count else { return }
        var columns: [Int] = []
        var column = 0
        for character in haystack {
            columns.append(column)
            column += DisplayWidth.of(character)
        }
        columns.append(column)
        var start = 0
        while start + needle.count <= lowered.count {
            if Array(lowered[start..<(start + needle.count)]) == needle {
                let from = columns[start], to = columns[start + needle.count]
                buffer.restyle(Rect(x: x + from, y: y, width: min(to, width) - from, height: 1), style: style)
                start += needle.count
            } else {
                start += 1
            }
        }
    }
}

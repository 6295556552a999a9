/// A row of numbered tabs, `1 Users  2 Roles  3 Posts …`, with the active one highlighted.
///
/// Digits `1`–`9` pick a tab, Tab and Shift-Tab cycle, and a click on a title selects it.
/// An optional ``label`` (the product name) sits at the left in the header role.
public struct TabBar: Equatable, Sendable {
    public var titles: [String]
    public private(set) var activeIndex: Int
    /// Text before the tabs, such as " Steward ".
    public var label: String
    /// Text right-aligned after the tabs, such as the signed-in user.
    public var trailing: String

    public init(titles: [String], activeIndex: Int = 0, label: String = "", trailing: String = "") {
        self.titles = titles
        self.activeIndex = titles.isEmpty ? 0 : min(max(0, activeIndex), titles.count - 1)
        self.label = label
        self.trailing = trailing
    }

    /// Makes tab `index` active; out-of-range indices are ignored.
    public mutating func select(_ index: Int) {
        guard titles.indices.contains(index) else { return }
        activeIndex = index
    }

    /// Handles tab switching keys and clicks for a bar drawn in `area`. Returns false for
    /// events that do not switch tabs.
    public mutating func handle(_ event: InputEvent, area: Rect) -> Bool {
        guard !titles.isEmpty else { return false }
        switch event {
        case .char(let character):
            guard let digit = character.wholeNumberValue, character.isASCII, digit >= 1, digit <= titles.count else { return false }
            activeIndex = digit - 1
        case .tab:
            activeIndex = (activeIndex + 1) % titles.count
        case .backTab:
            activeIndex = (activeIndex + titles.count - 1) % titles.count
        case .mouse(let mouse) where mouse.kind == .press:
            guard mouse.y >= area.y && mouse.y < area.maxY, let index = tabIndex(atColumn: mouse.x, in: area) else { return false }
            activeIndex = index
        default:
            return false
        }
        return true
    }

    /// The tab whose title covers column `x` when the bar is drawn in `area`.
    public func tabIndex(atColumn x: Int, in area: Rect) -> Int? {
        tabSpans(in: area).first { x >= $0.x && x < $0.x + $0.width }?.index
    }

    /// Where each tab's title is drawn: " 1 Users " spans, two columns apart.
    private func tabSpans(in area: Rect) -> [(index: Int, x: Int, width: Int, text: String)] {
        var spans: [(index: Int, x: Int, width: Int, text: String)] = []
        var x = area.x + DisplayWidth.of(label)
        for (index, title) in titles.enumerated() {
            let text = index < 9 ? " \(index + 1) \(title) " : " \(title) "
            let width = DisplayWidth.of(text)
            guard x + width <= area.maxX else { break }
            spans.append((index, x, width, text))
            x += width + 1
        }
        return spans
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let header = theme[.header]
        let row = area.top(1)
        buffer.fill(row, style: header)
        buffer.put(label, x: row.x, y: row.y, style: theme[.title].on(header), maxWidth: row.width)
        var end = row.x + DisplayWidth.of(label)
        for span in tabSpans(in: row) {
            let role: ThemeRole = span.index == activeIndex ? .tabActive : .tabInactive
            buffer.put(span.text, x: span.x, y: row.y, style: theme[role].on(header))
            end = span.x + span.width
        }
        let trailingWidth = DisplayWidth.of(trailing)
        if !trailing.isEmpty && end + 2 + min(trailingWidth, 8) <= row.maxX {
            let room = row.maxX - end - 2
            let text = DisplayWidth.truncate(trailing, toWidth: room)
            buffer.put(text, x: row.maxX - DisplayWidth.of(text) - 1, y: row.y, style: theme[.muted].on(header))
        }
    }
}

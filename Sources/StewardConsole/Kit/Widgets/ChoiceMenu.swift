/// A short menu of choices in a centred box, each with its own key: the go-to menu of
/// drill-down (`>`: "a  author Ada Lovelace", "t  the comment thread").
///
/// A choice's key picks it at once; `j`/`k` (↓/↑) and Enter pick one by moving; Esc and
/// `q` close the menu. It is modal: it takes every key while open.
public struct ChoiceMenu<Value: Equatable>: Equatable {
    public struct Choice: Equatable {
        public var key: Character
        public var label: String
        public var value: Value
        public init(key: Character, label: String, value: Value) {
            self.key = key
            self.label = label
            self.value = value
        }
    }

    public var title: String
    public var choices: [Choice]
    public private(set) var cursor = 0

    public enum Outcome: Equatable {
        case open
        case chosen(Value)
        case closed
    }

    public init(title: String, choices: [Choice]) {
        self.title = title
        self.choices = choices
    }

    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .escape, .char("q"), .left:
            return .closed
        case .down, .char("j"):
            cursor = min(choices.count - 1, cursor + 1)
        case .up, .char("k"):
            cursor = max(0, cursor - 1)
        case .enter, .right:
            return choices.indices.contains(cursor) ? .chosen(choices[cursor].value) : .closed
        case .char(let key):
            if let choice = choices.first(where: { $0.key == key }) { return .chosen(choice.value) }
        default:
            break
        }
        return .open
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let widest = choices.map { DisplayWidth.of($0.label) }.max() ?? 0
        let box = area.centered(width: min(area.width - 2, max(36, widest + 10)), height: min(area.height, choices.count + 4))
        let inner = Frame.dialog(title: title).render(into: &buffer, area: box, theme: theme)
        guard !inner.isEmpty else { return }
        let surface = theme[.dialog]
        for (index, choice) in choices.enumerated() where inner.y + index < inner.maxY - 1 {
            let y = inner.y + index
            let style = index == cursor ? theme[.selection].on(surface) : surface
            buffer.fill(Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), style: style)
            buffer.put(String(choice.key), x: inner.x + 2, y: y, style: (index == cursor ? theme[.selection] : theme[.accent]).on(surface))
            buffer.put(choice.label, x: inner.x + 5, y: y, style: style, maxWidth: inner.width - 6)
        }
        buffer.put("key or Enter go · Esc close", x: inner.x + 1, y: inner.maxY - 1, style: theme[.muted].on(surface), maxWidth: inner.width - 2)
    }
}

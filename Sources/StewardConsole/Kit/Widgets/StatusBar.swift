/// One piece of the status bar's left side: "alice (admin)", "data/steward.sqlite",
/// "HTTP 127.0.0.1:8080 · 12 req/s".
public struct StatusSegment: Equatable, Sendable {
    /// Which end of a segment gives way when it is shortened.
    public enum Truncation: Equatable, Sendable {
        /// "Margit Halv…": the start says the most (a name, "HTTP failed: …").
        case tail
        /// "…/data/steward.sqlite": the end says the most (a path ends in the file name).
        case head
    }

    public var text: String
    public var role: ThemeRole
    public var truncation: Truncation
    /// The width it may be shortened to while other parts of the bar need room; nil: it
    /// keeps its full width (it is shortened only when nothing else is left to give).
    public var minimumWidth: Int?
    /// Whether it steps aside for a ``StatusBar/message`` that would not fit beside it
    /// (the account's name does; the database and the listener do not).
    public var yieldsToMessage: Bool

    public init(_ text: String, role: ThemeRole = .statusBar, truncation: Truncation = .tail, minimumWidth: Int? = nil,
                yieldsToMessage: Bool = false) {
        self.text = text
        self.role = role
        self.truncation = truncation
        self.minimumWidth = minimumWidth
        self.yieldsToMessage = yieldsToMessage
    }

    var width: Int { DisplayWidth.of(text) }

    /// The text in at most `width` columns, shortened at its ``truncation`` end with "…".
    func text(fittingWidth width: Int) -> String {
        switch truncation {
        case .tail:
            return DisplayWidth.truncate(text, toWidth: width)
        case .head:
            guard self.width > width else { return text }
            guard width > 1 else { return width == 1 ? "…" : "" }
            // The longest end of the text that fits after the ellipsis, found from the end.
            var kept = ""
            for character in text.reversed() {
                let candidate = String(character) + kept
                guard DisplayWidth.of(candidate) <= width - 1 else { break }
                kept = candidate
            }
            return "…" + kept
        }
    }
}

/// The bottom line: who and where on the left, the current context's key hints on the right.
///
/// The left side never pushes the hints off entirely: it gives way first, each segment
/// down to its ``StatusSegment/minimumWidth`` (the account name before the database file,
/// which keeps its file name), so at 80 columns the most useful hint and ``trailingHint``
/// (`? help`) still show. The hints are taken in order, most useful first, as long as
/// whole hints fit — never half a hint — and ``trailingHint`` always ends the row: it
/// is where every hint that did not fit can be read.
///
/// A ``message`` (the result of an action, or an error) takes the place of the hints, not
/// of the segments: the database and the listener stay in view. Segments that
/// ``StatusSegment/yieldsToMessage`` step aside when the message would not fit beside them.
public struct StatusBar: Equatable, Sendable {
    public var segments: [StatusSegment]
    public var hints: [KeyHint]
    /// The hint that ends the row whatever else fits (`? help`), if any.
    public var trailingHint: KeyHint?
    public var message: StatusSegment?

    public init(segments: [StatusSegment] = [], hints: [KeyHint] = [], trailingHint: KeyHint? = nil, message: StatusSegment? = nil) {
        self.segments = segments
        self.hints = hints
        self.trailingHint = trailingHint
        self.message = message
    }

    private static let separator = " │ "
    /// The columns between the left side and the hints or message.
    private static let gap = 2
    /// The least room a message is given before the segments are shortened for it.
    private static let messageRoom = 40

    private static func width(of hint: KeyHint) -> Int {
        DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.action)
    }

    /// The room the right side may ask the segments to leave, most wanted first: a
    /// message's width (up to ``messageRoom``); or the first two hints and the trailing
    /// one (at 80 columns the account's name gives way for a second hint: what a key does
    /// matters more there), else the first hint and the trailing one, else the trailing one.
    private var wantedRightWidths: [Int] {
        if let message { return [min(Self.messageRoom, DisplayWidth.of(message.text))] }
        let trailing = trailingHint.map(Self.width) ?? 0
        return [2, 1, 0].map { count in
            hints.prefix(count).reduce(trailing) { wanted, hint in wanted + Self.width(of: hint) + (wanted > 0 ? 2 : 0) }
        }
    }

    /// The width each segment is drawn at, so that the left side fits in `room`: the
    /// segments give way in order, first each to its minimum, then (if that is still too
    /// wide) down to nothing, the last ones first.
    func segmentWidths(room: Int) -> [Int] {
        var widths = segments.map(\.width)
        let separators = max(0, segments.count - 1) * DisplayWidth.of(Self.separator)
        var excess = widths.reduce(separators, +) - room
        for index in segments.indices where excess > 0 {
            let floor = min(widths[index], segments[index].minimumWidth ?? widths[index])
            let given = min(excess, widths[index] - floor)
            widths[index] -= given
            excess -= given
        }
        let separatorWidth = DisplayWidth.of(Self.separator)
        for index in segments.indices.reversed() where excess > 0 {
            // A segment dropped whole takes its separator with it.
            let whole = widths[index] + (index > 0 ? separatorWidth : 0)
            if whole <= excess {
                widths[index] = 0
                excess -= whole
            } else {
                widths[index] -= min(excess, widths[index])
                excess = 0
            }
        }
        return widths
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        if let message, segments.contains(where: \.yieldsToMessage) {
            let left = segments.reduce(max(0, segments.count - 1) * DisplayWidth.of(Self.separator)) { $0 + $1.width }
            if left + Self.gap + DisplayWidth.of(message.text) > area.width - 2 {
                var cleared = self
                cleared.segments.removeAll(where: \.yieldsToMessage)
                cleared.render(into: &buffer, area: area, theme: theme)
                return
            }
        }
        let bar = theme[.statusBar]
        let row = area.top(1)
        buffer.fill(row, style: bar)

        // Left: the segments, shortened to leave the right side the room it wants.
        let inner = row.width - 2
        // Segments without a minimum are not shortened for the right side's sake.
        let floors = segments.map { min($0.width, $0.minimumWidth ?? $0.width) }
        let floorWidth = floors.reduce(max(0, segments.count - 1) * DisplayWidth.of(Self.separator), +)
        // The most the right side wants that the segments can make room for; the hints
        // that would not fit however short the segments are not worth shortening them for.
        let choices = wantedRightWidths
        let wanted = message != nil ? choices[0] : choices.first { floorWidth + Self.gap + $0 <= inner } ?? choices.last ?? 0
        let widths = segmentWidths(room: max(0, max(min(floorWidth, inner), wanted > 0 ? inner - Self.gap - wanted : inner)))
        var x = row.x + 1
        for (index, segment) in segments.enumerated() where widths[index] > 0 {
            if x > row.x + 1 { x += buffer.put(StatusBar.separator, x: x, y: row.y, style: theme[.muted].on(bar)) }
            x += buffer.put(segment.text(fittingWidth: widths[index]), x: x, y: row.y, style: theme[segment.role].on(bar))
        }
        let leftEnd = x

        // Right: the message, or as many whole hints as fit, then the trailing hint.
        let rightEdge = row.maxX - 1
        let room = rightEdge - leftEnd - Self.gap
        guard room > 0 else { return }
        if let message {
            let text = DisplayWidth.truncate(message.text, toWidth: room)
            buffer.put(text, x: rightEdge - DisplayWidth.of(text), y: row.y, style: theme[message.role].on(bar))
            return
        }
        var shown: [KeyHint] = []
        var width = 0
        let trailing = trailingHint.flatMap { Self.width(of: $0) <= room ? $0 : nil }
        let reserved = trailing.map { Self.width(of: $0) + 2 } ?? 0
        for hint in hints {
            let added = (shown.isEmpty ? 0 : 2) + Self.width(of: hint)
            guard width + added + reserved <= room else { break }
            shown.append(hint)
            width += added
        }
        if let trailing {
            shown.append(trailing)
            width += (shown.count > 1 ? 2 : 0) + Self.width(of: trailing)
        }
        var hintX = rightEdge - width
        for (index, hint) in shown.enumerated() {
            if index > 0 { hintX += 2 }
            hintX += buffer.put(hint.key, x: hintX, y: row.y, style: theme[.statusKey].on(bar))
            hintX += buffer.put(" " + hint.action, x: hintX, y: row.y, style: bar)
        }
    }
}

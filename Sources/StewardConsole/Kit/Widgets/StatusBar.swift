/// One piece of the status bar's left side: "alice (admin)", "data/steward.sqlite",
/// "HTTP 127.0.0.1:8080 · 12 req/s".
public struct StatusSegment: Equatable, Sendable {
    public var text: String
    public var role: ThemeRole

    public init(_ text: String, role: ThemeRole = .statusBar) {
        self.text = text
        self.role = role
    }
}

/// The bottom line: who and where on the left, the current screen's key hints on the right.
///
/// When space runs short the hints go first, whole hints from the end, never half a hint;
/// then the last segments are shortened with "…". A ``message`` (the result of an action,
/// or an error) replaces the hints until the screen clears it.
public struct StatusBar: Equatable, Sendable {
    public var segments: [StatusSegment]
    public var hints: [KeyHint]
    public var message: StatusSegment?

    public init(segments: [StatusSegment] = [], hints: [KeyHint] = [], message: StatusSegment? = nil) {
        self.segments = segments
        self.hints = hints
        self.message = message
    }

    private static let separator = " │ "

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let bar = theme[.statusBar]
        let row = area.top(1)
        buffer.fill(row, style: bar)

        // Left: segments, shortened from the last one when they do not fit.
        let leftRoom = row.width - 2
        var x = row.x + 1
        for (index, segment) in segments.enumerated() {
            let prefix = index == 0 ? "" : StatusBar.separator
            let remaining = row.x + 1 + leftRoom - x
            guard remaining > DisplayWidth.of(prefix) else { break }
            x += buffer.put(prefix, x: x, y: row.y, style: theme[.muted].on(bar))
            let text = DisplayWidth.truncate(segment.text, toWidth: row.x + 1 + leftRoom - x)
            x += buffer.put(text, x: x, y: row.y, style: theme[segment.role].on(bar))
        }
        let leftEnd = x

        // Right: the message, or as many whole hints as fit after a gap of two.
        let rightEdge = row.maxX - 1
        if let message {
            let room = rightEdge - leftEnd - 2
            guard room > 0 else { return }
            let text = DisplayWidth.truncate(message.text, toWidth: room)
            buffer.put(text, x: rightEdge - DisplayWidth.of(text), y: row.y, style: theme[message.role].on(bar))
            return
        }
        var pieces: [(key: String, action: String)] = []
        var width = 0
        for hint in hints {
            let hintWidth = DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.action)
            let added = (pieces.isEmpty ? 0 : 2) + hintWidth
            guard leftEnd + 2 + width + added <= rightEdge else { break }
            pieces.append((hint.key, hint.action))
            width += added
        }
        var hintX = rightEdge - width
        for (index, piece) in pieces.enumerated() {
            if index > 0 { hintX += 2 }
            hintX += buffer.put(piece.key, x: hintX, y: row.y, style: theme[.statusKey].on(bar))
            hintX += buffer.put(" " + piece.action, x: hintX, y: row.y, style: bar)
        }
    }
}

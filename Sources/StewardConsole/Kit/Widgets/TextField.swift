import StewardCore

/// A one-line text editor that works in grapheme clusters, the characters a reader sees.
///
/// The cursor sits between clusters, so Backspace after "é" (written `e` + U+0301), a
/// flag or a family emoji removes the whole thing, and arrow keys never land inside one.
/// Keys follow readline: ←/→, Home/End or Ctrl-A/Ctrl-E, Backspace, Delete, Ctrl-U (to the
/// start), Ctrl-K (to the end), Ctrl-W (the word before the cursor).
///
/// Secure fields draw one `•` per cluster; the text itself is kept as typed.
/// ``Form`` and ``CommandPrompt`` are built on this.
public struct TextField: Equatable, Sendable {
    /// The characters, one element per grapheme cluster.
    private var characters: [Character]
    /// Cursor position in clusters, 0...characters.count.
    public private(set) var cursor: Int
    /// Draw `•` instead of the characters (passwords).
    public var isSecure: Bool
    /// Shown in the muted role while the field is empty.
    public var placeholder: String
    /// The most clusters the field accepts; typing beyond it is ignored.
    public var maxLength: Int

    public init(text: String = "", isSecure: Bool = false, placeholder: String = "", maxLength: Int = 1_000) {
        characters = Array(text)
        cursor = characters.count
        self.isSecure = isSecure
        self.placeholder = placeholder
        self.maxLength = maxLength
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Replaces the text and puts the cursor at its end.
    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Applies an editing key. Returns false for keys a text field does not use (Enter,
    /// Tab, Escape, up/down…), which the owner then handles.
    public mutating func handle(_ event: InputEvent) -> Bool {
        switch event {
        case .char(let character):
            insert(character)
        case .left, .ctrl("b"):
            cursor = max(0, cursor - 1)
        case .right, .ctrl("f"):
            cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"):
            cursor = 0
        case .end, .ctrl("e"):
            cursor = characters.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .ctrl("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .ctrl("k"):
            characters.removeLast(characters.count - cursor)
        case .ctrl("w"):
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Inserts typed text at the cursor. Control characters are refused (a field holds one
    /// line of text). A combining mark typed on its own joins the cluster before it, and
    /// the cursor stays after that cluster.
    private mutating func insert(_ character: Character) {
        guard !character.unicodeScalars.contains(where: { TerminalSafe.replacement(for: $0) != nil }) else { return }
        guard characters.count < maxLength else { return }
        let before = String(characters[..<cursor]) + String(character)
        let after = characters[cursor...]
        let merged = Array(before)
        characters = merged + after
        // Re-splitting keeps one element per cluster if the new character combined.
        let rebuilt = Array(String(characters))
        if rebuilt.count != characters.count {
            characters = rebuilt
        }
        cursor = min(merged.count, characters.count)
    }

    /// Draws the field on one row of `area`: the text (or placeholder) in `style`, padded to
    /// the full width so the field's extent shows, scrolled sideways to keep the cursor in
    /// view, with the cursor cell in `cursorStyle` when `showsCursor`.
    public func render(into buffer: inout CellBuffer, area: Rect, style: Style, cursorStyle: Style, placeholderStyle: Style, showsCursor: Bool) {
        guard area.width > 0 && area.height > 0 else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: style)
        if characters.isEmpty && !placeholder.isEmpty {
            buffer.put(placeholder, x: row.x, y: row.y, style: placeholderStyle, maxWidth: row.width)
        }
        let shown: [String] = isSecure ? Array(repeating: "•", count: characters.count) : characters.map { String($0) }
        let widths = shown.map { DisplayWidth.of($0) }
        // The first visible cluster: as far left as possible with the cursor cell in view.
        var first = 0
        var widthToCursor = widths[..<cursor].reduce(0, +)
        let cursorCellWidth = cursor < widths.count ? max(1, widths[cursor]) : 1
        while first < cursor && widthToCursor + cursorCellWidth > row.width {
            widthToCursor -= widths[first]
            first += 1
        }
        var column = row.x
        for index in first..<shown.count {
            if column + widths[index] > row.maxX { break }
            let cellStyle = showsCursor && index == cursor ? cursorStyle : style
            column += buffer.put(shown[index], x: column, y: row.y, style: cellStyle, maxWidth: row.maxX - column)
        }
        if showsCursor && cursor == shown.count && column < row.maxX {
            if shown.isEmpty && !placeholder.isEmpty {
                // Keep the placeholder readable: the cursor highlights its first cell.
                buffer.restyle(Rect(x: column, y: row.y, width: 1, height: 1), style: cursorStyle)
            } else {
                buffer.put(" ", x: column, y: row.y, style: cursorStyle)
            }
        }
    }
}

import StewardCore

/// One terminal cell: the character drawn there and how it looks.
public struct Cell: Equatable, Sendable {
    /// One grapheme cluster, `" "` for an empty cell, or `""` for the right half of a wide
    /// character that starts in the cell to the left.
    public var text: String
    public var style: Style

    public init(text: String, style: Style) {
        self.text = text
        self.style = style
    }

    /// An empty cell in the terminal's own colours.
    public static let blank = Cell(text: " ", style: .plain)

    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { text.isEmpty }

    /// The scalars a terminal should receive for this cell: the first scalar that takes a
    /// column, followed by the zero-width marks after it (combining accents, ZWNJ), at most
    /// `limit` in all (ncurses keeps five per cell).
    ///
    /// Clusters like flags or joined emoji families hold several scalars that each take
    /// columns of their own on a `wcwidth` terminal; ``put(_:x:y:style:maxWidth:)`` gives
    /// each of those symbols its own cell (see `DisplayWidth.symbols(of:)`), so a cell
    /// holds one. Should a cell be given a whole cluster anyway, only its first symbol and
    /// marks are sent, which keeps the row aligned. The joiner U+200D and the
    /// variation selectors U+FE0E/U+FE0F are left out as well: some terminals (tmux among
    /// them) glue whatever follows a joiner into the same cell, or widen a character
    /// after U+FE0F, and either would shift the rest of the row.
    public func drawableScalars(limit: Int = 5) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if result.isEmpty {
                if DisplayWidth.of(scalar: scalar) > 0 { result.append(scalar) }
            } else if DisplayWidth.isZeroWidth(scalar) {
                if Cell.layoutChangingMarks.contains(scalar) { continue }
                result.append(scalar)
            } else {
                break
            }
            if result.count == limit { break }
        }
        return result
    }

    /// Zero-width scalars that terminals treat as more than a mark (see ``drawableScalars(limit:)``).
    private static let layoutChangingMarks: Set<Unicode.Scalar> = ["\u{200D}", "\u{FE0E}", "\u{FE0F}"]
}

/// A width×height grid of cells that a frame is drawn into before it goes to the terminal.
///
/// Everything on screen passes through here: widgets render into a buffer, the terminal
/// backend compares it with the previous frame (``diff(from:)``) and sends only what
/// changed. The buffer enforces the rules that keep the screen sound whatever the data:
/// - text is clipped to the buffer and to the caller's width;
/// - a wide character never straddles an edge or another character: where it would not fit,
///   a space goes in its place, and overwriting half of a wide character blanks the other
///   half;
/// - every control character is replaced by a visible, inert symbol (``TerminalSafe``), so
///   stored data can never reach the terminal as an escape sequence.
///
/// ``text()`` renders the grid as plain lines, which is what snapshot tests compare.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A buffer of blank cells in `style`.
    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(text: " ", style: style), count: self.width * self.height)
    }

    /// The whole buffer as a rectangle, the starting point of every layout.
    public var area: Rect { Rect(width: width, height: height) }

    /// The cell at column `x`, row `y`; both must be inside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x),\(y)) is outside \(width)×\(height)")
        return cells[y * width + x]
    }

    // MARK: - Writing

    /// Writes `text` starting at column `x` of row `y`, in `style`, and returns how many
    /// columns it advanced.
    ///
    /// The text is clipped to the buffer's right edge and to `maxWidth` columns from `x`.
    /// A wide character that would cross that limit becomes a space instead. Control
    /// characters are drawn as visible symbols. Zero-width clusters that stand alone (a
    /// lone combining mark at the start) take no column and are left out: there is nothing
    /// in this text for them to combine with. Text starting left of the buffer (negative
    /// `x`) is clipped on that side too.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil) -> Int {
        guard y >= 0 && y < height && x < width else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        if x >= 0, let advanced = putPrintableASCII(text, x: x, y: y, limit: limit, style: style) {
            return advanced
        }
        var column = x
        for character in TerminalSafe.line(text) {
            let characterWidth = DisplayWidth.of(character)
            if characterWidth == 0 { continue }
            if column + characterWidth > limit {
                // A wide character or a cluster of several symbols at the edge: pad, never
                // split (half a flag or a third of a family would say something else).
                while column < limit {
                    if column >= 0 { write(" ", at: column, y: y, wide: false, style: style) }
                    column += 1
                }
                break
            }
            for symbol in DisplayWidth.symbols(of: character) {
                if column < 0 {
                    // Left of the buffer; a wide symbol straddling the edge leaves a space.
                    if column + symbol.width > 0 {
                        write(" ", at: 0, y: y, wide: false, style: style)
                    }
                    column += symbol.width
                    continue
                }
                write(symbol.text, at: column, y: y, wide: symbol.width == 2, style: style)
                column += symbol.width
            }
        }
        return max(0, column - max(x, 0))
    }

    /// Copies the columns of `source` starting at `sourceX` (and its rows from the top)
    /// into `area` of this buffer: how a view wider than the screen is scrolled sideways.
    /// A wide character cut by either edge of the slice becomes a space, so nothing drawn
    /// is ever half a character.
    public mutating func copy(from source: CellBuffer, sourceX: Int, into area: Rect) {
        let target = area.intersection(self.area)
        guard !target.isEmpty else { return }
        for row in 0..<target.height {
            let sourceY = target.y - area.y + row
            guard sourceY < source.height else { break }
            for column in 0..<target.width {
                let sourceColumn = sourceX + target.x - area.x + column
                var cell = sourceColumn >= 0 && sourceColumn < source.width ? source[sourceColumn, sourceY] : Cell.blank
                let isLastColumn = column == target.width - 1
                if (column == 0 && cell.isContinuation) || (isLastColumn && DisplayWidth.of(cell.text) == 2) {
                    cell.text = " "
                }
                cells[(target.y + row) * width + target.x + column] = cell
            }
        }
    }

    /// The fast path of ``put(_:x:y:style:maxWidth:)`` for text that is printable ASCII
    /// only (most of it): one byte is one cell, so no grapheme breaking, width lookup or
    /// sanitizing is needed. Returns nil, having written nothing, for any other text.
    private mutating func putPrintableASCII(_ text: String, x: Int, y: Int, limit: Int, style: Style) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            let count = min(bytes.count, max(0, limit - x))
            guard count > 0 else { return 0 }
            let rowStart = y * width
            breakWideCharacter(at: rowStart + x, column: x)
            breakWideCharacter(at: rowStart + x + count - 1, column: x + count - 1)
            cells.withUnsafeMutableBufferPointer { storage in
                for offset in 0..<count {
                    storage[rowStart + x + offset] = Cell(text: String(UnicodeScalar(bytes[offset])), style: style)
                }
            }
            return count
        }
    }

    /// Fills `rect` (clipped to the buffer) with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        fill(rect, with: " ", style: style)
    }

    /// Fills `rect` (clipped to the buffer) with a one-column character in `style`, such as
    /// `─` for a rule. A wide or zero-width character is replaced by a space.
    public mutating func fill(_ rect: Rect, with character: Character, style: Style) {
        let area = rect.intersection(self.area)
        guard !area.isEmpty else { return }
        let safe = TerminalSafe.line(String(character))
        let cell = Cell(text: DisplayWidth.of(safe) == 1 && safe.count == 1 ? safe : " ", style: style)
        for row in area.y..<area.maxY {
            let rowStart = row * width
            // Only wide characters crossing the rectangle's edges need breaking up; every
            // cell in between is overwritten whole.
            breakWideCharacter(at: rowStart + area.x, column: area.x)
            breakWideCharacter(at: rowStart + area.maxX - 1, column: area.maxX - 1)
            cells.withUnsafeMutableBufferPointer { storage in
                for column in area.x..<area.maxX {
                    storage[rowStart + column] = cell
                }
            }
        }
    }

    /// Gives every cell in `rect` a new style, keeping the characters (used to highlight a
    /// match inside text that is already drawn).
    public mutating func restyle(_ rect: Rect, style: Style) {
        let area = rect.intersection(self.area)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX {
                cells[row * width + column].style = style
            }
        }
    }

    /// Writes one cluster into one cell (two for a wide one), first breaking up any wide
    /// character that the write would cut in half.
    private mutating func write(_ text: String, at x: Int, y: Int, wide: Bool, style: Style) {
        let index = y * width + x
        breakWideCharacter(at: index, column: x)
        if wide { breakWideCharacter(at: index + 1, column: x + 1) }
        cells[index] = Cell(text: text, style: style)
        if wide { cells[index + 1] = Cell(text: "", style: style) }
    }

    /// If the cell at `index` is one half of a wide character, blanks the other half so no
    /// orphaned half is left behind when this cell is overwritten.
    private mutating func breakWideCharacter(at index: Int, column: Int) {
        if cells[index].isContinuation && column > 0 {
            cells[index - 1].text = " "
        }
        if column + 1 < width && cells[index + 1].isContinuation {
            cells[index + 1].text = " "
        }
    }

    // MARK: - Reading

    /// The rows as plain strings, trailing spaces trimmed.
    public func lines() -> [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                line += cells[row * width + column].text
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole buffer as text, one line per row (trailing spaces trimmed), for snapshots.
    public func text() -> String {
        lines().joined(separator: "\n")
    }

    // MARK: - Diffing

    /// A horizontal stretch of cells that changed between two frames.
    public struct Run: Equatable, Sendable {
        /// Column of the first cell.
        public var x: Int
        public var y: Int
        /// The new cells, left to right; a wide character's continuation cell is included
        /// right after its head.
        public var cells: [Cell]
    }

    /// The runs of cells that differ from `previous`, row by row, left to right. Drawing
    /// them over `previous` produces this buffer.
    ///
    /// A run never starts on the right half of a wide character or ends on its left half,
    /// so a backend can draw each run on its own. When the sizes differ, every row is one
    /// whole run (the terminal was resized, and everything must be drawn again).
    public func diff(from previous: CellBuffer) -> [Run] {
        guard previous.width == width && previous.height == height else {
            return (0..<height).map { row in
                Run(x: 0, y: row, cells: Array(cells[(row * width)..<((row + 1) * width)]))
            }
        }
        var runs: [Run] = []
        for row in 0..<height {
            let rowStart = row * width
            var column = 0
            while column < width {
                guard cells[rowStart + column] != previous.cells[rowStart + column] else {
                    column += 1
                    continue
                }
                var start = column
                if cells[rowStart + start].isContinuation && start > 0 { start -= 1 }
                var end = column + 1
                while end < width && cells[rowStart + end] != previous.cells[rowStart + end] {
                    end += 1
                }
                if end < width && cells[rowStart + end].isContinuation { end += 1 }
                if let last = runs.last, last.y == row, last.x + last.cells.count >= start {
                    // Touches the run before (only possible after widening): extend it.
                    let from = last.x + last.cells.count
                    runs[runs.count - 1].cells += cells[(rowStart + from)..<(rowStart + max(from, end))]
                } else {
                    runs.append(Run(x: start, y: row, cells: Array(cells[(rowStart + start)..<(rowStart + end)])))
                }
                column = end
            }
        }
        return runs
    }
}

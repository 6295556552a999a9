/// Makes untrusted text safe to print on a terminal (docs/security.md: user content and log lines must
/// not move the cursor, change colours, set the window title or fake a log line).
///
/// Terminals act on control characters: ESC starts escape sequences (`ESC [ 2 J` clears the
/// screen, `ESC ] 0 ; title BEL` renames the window), CR returns to the start of the line
/// so later text overwrites what came before, BS moves back, and the C1 controls
/// (U+0080–U+009F) are single-character versions of escape sequences that some terminals
/// obey (U+009B is CSI). Unicode bidi embedding, override and isolate characters are no
/// commands to the terminal, but they reorder what the reader sees, so a log line can be
/// made to display as something it is not.
///
/// Instead of deleting these characters, which would hide that anything was there, each one
/// is replaced by a visible character that no terminal interprets:
///
/// | input                                  | shown as                                   |
/// |----------------------------------------|--------------------------------------------|
/// | C0 control U+0000–U+001F (ESC, CR, LF) | its Control Picture, U+2400 + code (␛ ␍ ␊) |
/// | DEL U+007F                             | ␡ (U+2421)                                 |
/// | C1 control U+0080–U+009F               | U+FFFD �                                   |
/// | line/paragraph separator U+2028–U+2029 | U+FFFD �                                   |
/// | bidi U+202A–U+202E, U+2066–U+2069      | U+FFFD �                                   |
///
/// The separators break a line wherever Unicode line breaking is followed, so like CR and
/// LF they could start a forged line.
///
/// This is the one table: the console's cell buffer draws every string through
/// ``replacement(for:)`` and the log writer escapes the same characters (`JSONText`'s
/// `.terminalControls`).
///
/// Everything else, including CJK, emoji, combining marks and the plain left-to-right and
/// right-to-left marks (U+200E, U+200F, which cannot hide text), passes through unchanged.
public enum TerminalSafe {
    /// One line for a table cell or status bar: every control character, line breaks and
    /// tabs included, every line or paragraph separator and every bidi embedding, override
    /// or isolate character becomes a visible inert character (see the table above).
    /// Nothing else changes.
    public static func line(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { replacement(for: $0) != nil }) else { return s }
        var safe: [UInt8] = []
        safe.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            safe.append(contentsOf: (replacement(for: scalar) ?? scalar).utf8)
        }
        return String(decoding: safe, as: UTF8.self)
    }

    /// Multi-line text for a detail view: like `line(_:)`, but line breaks are kept and a
    /// tab becomes four spaces.
    ///
    /// A line break is "\n" or "\r\n" (written as "\n"); a CR on its own is still replaced,
    /// because it would let the rest of a line overwrite its beginning. Tabs are expanded
    /// to a fixed width rather than to the next tab stop because the column a tab starts at
    /// depends on the display width of the text before it (wide CJK, zero-width marks),
    /// which is the terminal's business, not this function's.
    public static func text(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { replacement(for: $0) != nil }) else { return s }
        var safe: [UInt8] = []
        safe.reserveCapacity(s.utf8.count + 16)
        var scalars = s.unicodeScalars.makeIterator()
        var lookahead = scalars.next()
        while let scalar = lookahead {
            lookahead = scalars.next()
            switch scalar {
            case "\n":
                safe.append(UInt8(ascii: "\n"))
            case "\r" where lookahead == "\n":
                safe.append(UInt8(ascii: "\n"))
                lookahead = scalars.next()
            case "\t":
                safe.append(contentsOf: "    ".utf8)
            default:
                safe.append(contentsOf: (replacement(for: scalar) ?? scalar).utf8)
            }
        }
        return String(decoding: safe, as: UTF8.self)
    }

    /// The visible, inert stand-in for `scalar`, or nil when a terminal may show it as is.
    public static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value)
        case 0x7F: "\u{2421}"
        case 0x80...0x9F, 0x2028...0x202E, 0x2066...0x2069: "\u{FFFD}"
        default: nil
        }
    }
}

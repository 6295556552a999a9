/// Makes text safe to put on a terminal by turning everything a terminal would *act on*
/// into a visible, inert symbol.
///
/// Stored data and log lines are untrusted: a user name containing `ESC ] 0 ; … BEL` would
/// retitle the window, `ESC [ 2 J` would clear the screen, a carriage return could draw a
/// fake log line over a real one, and bidi overrides can make text read differently from
/// what it is. ``CellBuffer`` runs every string through ``sanitize(_:)``, so nothing that
/// came from data can reach the terminal as a control sequence, whatever the widget above
/// it forgot to check.
///
/// Replacements keep the text inspectable: C0 controls become the Control Pictures block
/// (ESC → ␛, newline → ␊, tab → ␉), DEL becomes ␡, and C1 controls (U+0080–U+009F),
/// bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the line and
/// paragraph separators (U+2028, U+2029) become �.
public enum InertText {
    /// The visible stand-in for `scalar`, or nil when the scalar is safe to draw as is.
    public static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0x00...0x1F: return Unicode.Scalar(0x2400 + value)
        case 0x7F: return "\u{2421}"
        case 0x80...0x9F, 0x2028...0x202E, 0x2066...0x2069: return "\u{FFFD}"
        default: return nil
        }
    }

    /// `text` with every control character replaced by its visible stand-in. Returns the
    /// string itself, without copying, when there is nothing to replace (the usual case).
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { replacement(for: $0) != nil }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(replacement(for: scalar) ?? scalar)
        }
        return String(scalars)
    }
}

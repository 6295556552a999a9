import Foundation

/// The one way Steward tidies and measures plain text: names, titles, tags.
///
/// Plain text is cleaned once, on the way in, and stored as the user meant it. Cleaning
/// removes only what no reader can see or what could hijack a terminal or reorder text on
/// screen; it never escapes or rewrites visible characters. Escaping is the job of each
/// output (HTML, JSON, the console), so stored text is never mangled by one output's rules.
public enum PlainText {
    /// Returns `s` trimmed, in Unicode Normalization Form C, and without control characters.
    ///
    /// Removed anywhere in the text:
    /// - C0 and C1 control characters (general category Cc), which include tab, newline,
    ///   carriage return and ESC, the start of every terminal escape sequence;
    /// - the bidirectional embeddings, overrides and isolates U+202A–U+202E and
    ///   U+2066–U+2069, which can make text display in an order other than the one stored
    ///   (the "Trojan Source" trick);
    /// - the line and paragraph separators U+2028 and U+2029, which some renderers treat as
    ///   a line break, so a one-line field could otherwise show a fake second line.
    ///
    /// Kept on purpose: the zero-width non-joiner U+200C and the zero-width joiner U+200D.
    /// Persian, Hindi and other scripts need them to spell words correctly, and emoji
    /// sequences such as a family are joined with U+200D.
    ///
    /// Control characters are removed before normalizing, so that a base letter and a
    /// combining mark that were split by one still compose (e + BEL + U+0301 becomes é).
    /// Leading and trailing white space and line breaks are trimmed last.
    public static func clean(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: s.unicodeScalars.filter { !isRemoved($0) })
        return String(scalars)
            .precomposedStringWithCanonicalMapping
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The length of `s` as a reader counts it: extended grapheme clusters.
    ///
    /// "é" is one character whether it is stored as U+00E9 or as e followed by U+0301,
    /// and an emoji family joined with zero-width joiners is one character too. This is
    /// Swift's `Character` count, and it is what every length limit in Steward measures.
    public static func length(_ s: String) -> Int {
        s.count
    }

    /// A key for comparing text without regard to case: the Unicode lower case of the
    /// NFC form of `s`.
    ///
    /// Two titles are "the same title" when their folded keys are equal, so "Café" and
    /// "CAFÉ" collide whichever way the é was typed. Pass text that is already
    /// `clean(_:)`ed, so that the key matches what is stored. The lower-casing is the
    /// locale-independent Unicode mapping, so the key is the same on every machine.
    public static func foldedKey(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// Whether `clean(_:)` drops this scalar wherever it appears.
    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidi embeddings, overrides, isolates
        case 0x2028, 0x2029: return true  // line and paragraph separators
        default: return scalar.properties.generalCategory == .control
        }
    }
}

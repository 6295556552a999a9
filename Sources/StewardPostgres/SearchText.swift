import Foundation

/// Text as the full-text index sees it on PostgreSQL: lower case, without diacritics, split
/// into words wherever a character is neither a letter nor a digit — the way SQLite's
/// `unicode61 remove_diacritics 2` tokenizer reads it, so that a search finds the same rows
/// on both backends. Folding here rather than with the `unaccent` extension keeps the
/// schema free of extensions (no superuser needed to set it up) and gives one definition
/// of a word for documents and queries alike.
enum SearchText {
    static func words(_ text: String) -> [Substring] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// The words of `text`, separated by spaces: what `to_tsvector('simple', …)` is given.
    static func document(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// A `tsquery` that cannot be a syntax error: every word the user typed must match, as a
    /// prefix (its last piece), and a word that folds into several pieces (`don't`) must
    /// match them in order, as SQLite's quoted phrase does. `nil` when nothing is left.
    static func query(_ text: String) -> String? {
        let terms: [String] = text.split(whereSeparator: { $0.isWhitespace }).compactMap { typed in
            let pieces = words(String(typed))
            guard !pieces.isEmpty else { return nil }
            let phrase = pieces.enumerated().map { index, piece in
                index == pieces.count - 1 ? "\(piece):*" : String(piece)
            }
            return pieces.count == 1 ? phrase[0] : "(" + phrase.joined(separator: " <-> ") + ")"
        }
        return terms.isEmpty ? nil : terms.joined(separator: " & ")
    }
}

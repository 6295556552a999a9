import Foundation

/// The list of passwords too common to allow (docs/security.md).
///
/// The list Steward ships is compiled into the binary (``builtIn``), so the password rule
/// is the same wherever the binary runs from; the file is
/// `Sources/StewardCore/Resources/common-passwords.txt` (linked as `data/common-passwords.txt`).
/// It has one password per line; empty lines and lines starting with `#` are skipped.
/// Entries are kept lower-cased, and lookups lower-case the candidate too, so "P@ssw0rd" is
/// refused because "p@ssw0rd" is listed: changing the case of a known password is the first
/// thing a guessing attacker tries.
public struct CommonPasswords: Sendable {
    private let entries: Set<String>

    /// A list holding `words`, lower-cased. Empty words are ignored.
    public init(_ words: some Sequence<String>) {
        var entries = Set<String>()
        for word in words where !word.isEmpty {
            entries.insert(word.lowercased())
        }
        self.entries = entries
    }

    /// Parses a list in the format above; `source` names it in errors.
    ///
    /// A list that holds no entry at all is an error: starting with an empty list would
    /// silently switch the check off.
    public init(text: String, source: String) throws(StewardError) {
        let words = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !words.isEmpty else {
            throw StewardError.internalError("the common-password list \(source) has no entries")
        }
        self.init(words)
    }

    /// The list compiled into the binary, parsed once per process on first use.
    ///
    /// It throws only if the embedded file were empty, which `CommonPasswordsTests` rules
    /// out; the error is kept rather than trapping so a broken build reports instead of crashing.
    public static var builtIn: CommonPasswords {
        get throws { try parsedBuiltIn.get() }
    }

    private static let parsedBuiltIn = Result { () throws(StewardError) -> CommonPasswords in
        try CommonPasswords(text: String(decoding: PackageResources.common_passwords_txt, as: UTF8.self),
                            source: "common-passwords.txt compiled into steward")
    }

    /// Whether `password` is on the list, ignoring case.
    public func contains(_ password: String) -> Bool {
        entries.contains(password.lowercased())
    }

    /// How many distinct entries the list has.
    public var count: Int { entries.count }
}

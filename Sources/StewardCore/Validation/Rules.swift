import Foundation

// The rule book of docs/security.md, as rules a `Validator` can check.
//
// Text rules measure the text they are given; they do not clean it. Callers clean plain
// text with `PlainText.clean(_:)`, e-mail addresses with `Email.normalize(_:)` and tags
// with `Tags.normalize(_:)` first, check the cleaned value, and store that same value, so
// what was measured is exactly what is kept.

extension Rule where Value == String {
    /// A practical e-mail address: the dot-atom form of RFC 5321/5322 that mail providers
    /// actually hand out.
    ///
    /// Expects `Email.normalize(_:)`'s output. See `Email.isValid(_:)` for the grammar.
    public static var email: Rule<String> {
        Rule { address in
            if address.isEmpty { return "is required" }
            if address.utf8.count > Email.maximumLength {
                return "must be at most \(Email.maximumLength) characters"
            }
            return Email.isValid(address) ? nil : "is not a valid email address"
        }
    }

    /// A password Steward accepts (docs/security.md): 8 to 128 characters with a lower-case letter,
    /// an upper-case letter, a digit and a special character, and not on `list`.
    ///
    /// The password is measured as given, never trimmed or normalized: it is a secret,
    /// and what the user typed is what must work next time. The first unmet requirement
    /// is reported, in the order listed above, so the user fixes one thing at a time.
    public static func password(_ list: CommonPasswords) -> Rule<String> {
        Rule { password in
            PasswordRequirements.firstProblem(with: password, commonPasswords: list)
        }
    }

    /// A first or last name (docs/security.md): 2 to 50 characters of letters and combining marks
    /// of any script, spaces, apostrophes (' and ’), hyphens (- and U+2010), the middle
    /// dot · and the zero-width non-joiner, with at least one letter.
    ///
    /// Letters and marks of every script are welcome (Zoë, Ёлка, محمد, देवनागरी, 山田), so
    /// names are judged by Unicode general category rather than by a list of alphabets.
    /// Digits, symbols, emoji and markup characters such as `<` are refused.
    public static var personName: Rule<String> {
        Rule { name in
            let length = PlainText.length(name)
            // Also at most 50 code points: combining marks and joiners do not add to what a
            // reader counts, but without this cap "Al" plus a thousand of them would pass,
            // and the OpenAPI document (whose lengths count code points) could not state
            // the rule truthfully.
            if !PersonNameCharacters.allowedLength.contains(length) || name.unicodeScalars.count > PersonNameCharacters.allowedLength.upperBound {
                return "must be \(describe(PersonNameCharacters.allowedLength)) characters"
            }
            if !name.unicodeScalars.allSatisfy(PersonNameCharacters.isAllowed) {
                return "may contain only letters, spaces, apostrophes, hyphens and middle dots"
            }
            if !name.unicodeScalars.contains(where: { $0.properties.generalCategory.isLetter }) {
                return "must contain a letter"
            }
            return nil
        }
    }

    /// A length limit in characters as a reader counts them (grapheme clusters), whose
    /// upper bound also holds for Unicode code points: a character built of a thousand
    /// combining marks is one to a reader but a thousand to a parser, and the OpenAPI
    /// document, whose `maxLength` counts code points, can then state the limit exactly.
    public static func length(_ range: ClosedRange<Int>) -> Rule<String> {
        Rule { text in
            range.contains(PlainText.length(text)) && text.unicodeScalars.count <= range.upperBound
                ? nil : "must be \(describe(range)) characters"
        }
    }

    /// One of a fixed set of words, compared exactly (statuses, formats, sort orders).
    public static func oneOf(_ options: [String]) -> Rule<String> {
        Rule { value in
            options.contains(value) ? nil : "must be one of \(options.joined(separator: ", "))"
        }
    }
}

extension Rule where Value == [String] {
    /// A post's tags (docs/security.md): at most 10, each 2 to 30 characters once cleaned.
    ///
    /// Check `Tags.normalize(_:)`'s output, so that duplicates that differ only in case
    /// count once. A bad tag is named by its position, not its text, so nothing the
    /// client sent is echoed back.
    public static var tags: Rule<[String]> {
        Rule { tags in
            if tags.count > Tags.maximumCount {
                return "must have at most \(Tags.maximumCount) tags"
            }
            for (index, tag) in tags.enumerated()
            where !Tags.allowedLength.contains(PlainText.length(PlainText.clean(tag))) {
                return "tag \(index + 1) must be \(describe(Tags.allowedLength)) characters"
            }
            return nil
        }
    }
}

extension Rule where Value == Int {
    /// A number within `range`, such as a list's `limit` of 1 to 100.
    public static func range(_ range: ClosedRange<Int>) -> Rule<Int> {
        Rule { number in
            if range.contains(number) { return nil }
            // Numbers can be negative, so "at most" would mislead: always give both ends.
            return range.lowerBound == range.upperBound
                ? "must be \(grouped(range.lowerBound))"
                : "must be \(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
        }
    }
}

/// E-mail addresses as Steward stores and compares them.
public enum Email {
    /// The longest address that fits in an SMTP forward path (RFC 5321 §4.5.3.1.3).
    public static let maximumLength = 254

    /// The form an address is stored, compared and validated in: trimmed and lower-cased.
    ///
    /// Lower-casing the local part is not what RFC 5321 promises, but every provider
    /// people use treats it case-insensitively, and one account per mailbox matters more
    /// than the rare server that does not.
    public static func normalize(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether `address` is a dot-atom address with a host name domain.
    ///
    /// - the local part is 1 to 64 characters of RFC 5322 `atext` (letters, digits and
    ///   ``!#$%&'*+-/=?^_`{|}~``) in dot-separated runs: no leading, trailing or double dot;
    ///   so plus-addressing (`ana+news@…`) is fine;
    /// - exactly one `@`;
    /// - the domain has at least two labels of letters, digits and hyphens, each 1 to 63
    ///   long and neither starting nor ending with a hyphen; the last label, the top-level
    ///   domain, is at least two letters;
    /// - the whole address is at most 254 bytes.
    ///
    /// Left out on purpose, because real sign-up forms never see them and each widens the
    /// attack surface of everything that later handles the address: quoted local parts,
    /// comments, IP-literal domains, and internationalized (non-ASCII) addresses.
    public static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        let halves = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard halves.count == 2 else { return false }
        return isValidLocalPart(halves[0]) && isValidDomain(halves[1])
    }

    private static func isValidLocalPart(_ local: ArraySlice<UInt8>) -> Bool {
        guard (1...64).contains(local.count) else { return false }
        // Splitting on dots and keeping empty pieces turns every leading, trailing or
        // doubled dot into an empty atom.
        let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in !atom.isEmpty && atom.allSatisfy(isAtext) }
    }

    private static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let topLevel = labels.last else { return false }
        for label in labels {
            guard (1...63).contains(label.count),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                  label.allSatisfy({ isASCIILetterOrDigit($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return topLevel.count >= 2 && topLevel.allSatisfy(isASCIILetter)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 `atext`: what a local part may hold between dots.
    private static func isAtext(_ byte: UInt8) -> Bool {
        isASCIILetterOrDigit(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }
}

/// Post tags as Steward stores them.
public enum Tags {
    /// The most tags one post may carry.
    public static let maximumCount = 10
    /// How long one tag may be, in characters as a reader counts them.
    public static let allowedLength = 2...30

    /// The tags to check and store: each cleaned as plain text and lower-cased, blank ones
    /// dropped, and later duplicates dropped so the first spelling's position is kept.
    ///
    /// "Swift", " swift " and "SWIFT" are one tag, `swift`.
    public static func normalize(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tag in tags {
            let normalized = PlainText.clean(tag).lowercased()
            if !normalized.isEmpty, seen.insert(normalized).inserted {
                result.append(normalized)
            }
        }
        return result
    }
}

/// The requirements of Steward's password policy, checked in the order they are reported.
private enum PasswordRequirements {
    static let allowedLength = 8...128

    static func firstProblem(with password: String, commonPasswords: CommonPasswords) -> String? {
        if !allowedLength.contains(PlainText.length(password)) {
            return "must be \(describe(allowedLength)) characters"
        }
        // Classes are judged per character as a reader sees it, by its first scalar, so
        // an accented letter typed as e + U+0301 is one lower-case letter, not a letter
        // plus a "special" combining mark.
        let categories = password.compactMap { $0.unicodeScalars.first?.properties.generalCategory }
        if !categories.contains(.lowercaseLetter) {
            return "must contain a lower-case letter"
        }
        if !categories.contains(where: { $0 == .uppercaseLetter || $0 == .titlecaseLetter }) {
            return "must contain an upper-case letter"
        }
        if !categories.contains(.decimalNumber) {
            return "must contain a digit"
        }
        if !categories.contains(where: { !$0.isLetter && $0 != .decimalNumber }) {
            return "must contain a special character such as a space or punctuation"
        }
        if commonPasswords.contains(password) {
            return "is too common; choose one that is harder to guess"
        }
        return nil
    }
}

/// The characters docs/security.md allows in a first or last name.
private enum PersonNameCharacters {
    static let allowedLength = 2...50

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "'", "\u{2019}",  // space; apostrophe and right single quotation mark ’
             "-", "\u{2010}",  // hyphen-minus and hyphen
             "\u{00B7}",  // middle dot, as in Catalan "Gal·la"
             "\u{200C}":  // zero-width non-joiner, needed to spell Persian and Indic names
            return true
        default:
            let category = scalar.properties.generalCategory
            return category.isLetter || category.isMark
        }
    }
}

extension Unicode.GeneralCategory {
    /// Letters of any script and case (L*).
    fileprivate var isLetter: Bool {
        switch self {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// Combining marks (M*): accents, vowel signs, and the like.
    fileprivate var isMark: Bool {
        switch self {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}

/// A count limit as docs/security.md writes it: "8 to 128", "at most 30" or "exactly 6", with
/// thousands grouped ("10 to 10,000"). Locale-independent, so messages read the same on
/// every machine.
private func describe(_ range: ClosedRange<Int>) -> String {
    if range.lowerBound == range.upperBound { return "exactly \(grouped(range.lowerBound))" }
    if range.lowerBound <= 0 { return "at most \(grouped(range.upperBound))" }
    return "\(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
}

private func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return number < 0 ? "-" + result : result
}

/// Character references (`&amp;`, `&#106;`, `&#x6A;`) as the WHATWG HTML tokenizer decodes
/// them.
///
/// A sanitizer has to decode exactly like a browser does: if it decoded less, an attacker
/// could write `jav&#x61;script:` and the filter would see something harmless while the
/// browser sees `javascript:`. The rules here follow the standard's "character reference
/// state" and its sub-states, including the awkward parts (references without a semicolon,
/// the Windows-1252 remapping of C1 numbers, the attribute-value exception).
enum HTMLEntities {
    /// The longest name in the table, counting its semicolon
    /// (`CounterClockwiseContourIntegral;`). No match can be longer, so the tokenizer never
    /// looks further ahead than this.
    static let longestNameLength = 32

    /// The named references, keyed by name exactly as written after the `&` (with the
    /// semicolon where the name has one), parsed once from `namedReferenceTableSource`.
    static let namedReferences: [String: String] = {
        var table: [String: String] = [:]
        table.reserveCapacity(2_300)
        // Split as bytes: splitting a String goes through grapheme breaking, which makes
        // this one-time setup many times slower.
        let source = Array(namedReferenceTableSource.utf8)
        let entries = source.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }
        for entry in entries {
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
            var expansion = ""
            for hex in entry[(equals + 1)...].split(separator: UInt8(ascii: ",")) {
                if let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16),
                   let scalar = Unicode.Scalar(value) {
                    expansion.unicodeScalars.append(scalar)
                }
            }
            table[String(decoding: entry[..<equals], as: UTF8.self)] = expansion
        }
        return table
    }()

    /// Finds the longest named reference at the start of `candidate`, the way the standard's
    /// "named character reference state" does.
    ///
    /// - Parameter candidate: the input after the `&`: a run of ASCII alphanumerics (at most
    ///   `longestNameLength - 1` of them), followed by the `;` that came after the run, if
    ///   one did. Only a name that uses the whole run can take that semicolon, since `;` is
    ///   not alphanumeric.
    /// - Returns: how many bytes of the input the match covers (including the `;` when it
    ///   is part of the name) and the text it stands for; `nil` when no name matches.
    static func longestNamedReference(
        atStartOf candidate: ArraySlice<UInt8>
    ) -> (length: Int, expansion: String, endsWithSemicolon: Bool)? {
        if candidate.last == UInt8(ascii: ";"),
           let expansion = namedReferences[String(decoding: candidate, as: UTF8.self)] {
            return (candidate.count, expansion, true)
        }
        // Without a semicolon only the legacy names match, and a shorter prefix can match
        // when the whole run does not: "&notit;" is "¬" followed by "it;".
        var length = candidate.last == UInt8(ascii: ";") ? candidate.count - 1 : candidate.count
        while length > 0 {
            let name = candidate.prefix(length)
            if let expansion = namedReferences[String(decoding: name, as: UTF8.self)] {
                return (length, expansion, false)
            }
            length -= 1
        }
        return nil
    }

    /// The character a numeric reference (`&#...;` or `&#x...;`) stands for, after the
    /// standard's "numeric character reference end state" corrections.
    ///
    /// - Parameter number: the parsed value, already clamped by the caller to at most
    ///   0x110000 so that a long run of digits cannot overflow.
    static func scalarForNumericReference(_ number: UInt32) -> Unicode.Scalar {
        // NUL, values beyond Unicode and lone surrogates cannot be represented; the standard
        // turns them into the replacement character rather than dropping them silently.
        if number == 0 || number > 0x10FFFF || (0xD800...0xDFFF).contains(number) {
            return replacementCharacter
        }
        // Documents written for Windows-1252 use these C1 numbers to mean the printable
        // characters that code page puts there (&#150; is an en dash, &#128; the euro sign);
        // browsers honour that, so we do too.
        if let remapped = windows1252Remapping[number] {
            return remapped
        }
        return Unicode.Scalar(number) ?? replacementCharacter
    }

    static let replacementCharacter: Unicode.Scalar = "\u{FFFD}"

    /// The standard's table for numeric references in 0x80–0x9F. The five C1 numbers that
    /// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are not remapped.
    private static let windows1252Remapping: [UInt32: Unicode.Scalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}",
        0x85: "\u{2026}", 0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{02C6}",
        0x89: "\u{2030}", 0x8A: "\u{0160}", 0x8B: "\u{2039}", 0x8C: "\u{0152}",
        0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}",
        0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}",
        0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}",
        0x9C: "\u{0153}", 0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]
}

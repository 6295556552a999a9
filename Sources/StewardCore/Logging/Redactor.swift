import Foundation

/// Keeps secrets out of every log line (docs/security.md: no event, log line or error ever holds a
/// password, a token, a cookie or an Authorization header).
///
/// The pipeline runs every entry through a redactor before the ring or any sink sees it,
/// so a careless log call anywhere in the binary cannot leak. Two kinds of rule apply:
///
/// - **Secret keys.** A metadata value whose key contains, ignoring case, one of the
///   secret key fragments (`password`, `passwd`, `secret`, `token`, `authorization`,
///   `cookie`, `apikey`, `api_key`, `api-key`, `csrf`, `session`) is replaced whole by
///   `[REDACTED]`, whatever it holds.
/// - **Secret shapes in text.** The message and every other metadata value are scanned for
///   - `Bearer <token>` → `Bearer [REDACTED]`;
///   - JWT-shaped strings (`eyJ….….…`, the base64url of a JSON header) → `[REDACTED]`;
///   - `name=value` pairs whose name is a secret key, as in query strings, form bodies and
///     cookies (`?access_token=…&`, `password=…`) → `name=[REDACTED]`;
///   - JSON members whose name is a secret key (`"password":"…"`, `"refreshToken": "…"`),
///     also when the JSON is itself escaped inside a string (`\"password\":\"…\"`), as
///     happens when a request body or a validation input is echoed into a message;
///   - header lines of the secret headers (`Authorization:`, `Proxy-Authorization:`,
///     `Cookie:`, `Set-Cookie:`, `X-CSRF-Token:`, `X-API-Key:`, `X-Auth-Token:`): the rest
///     of the line.
///
/// `name: value` prose is deliberately not a rule for ordinary secret words: "Invalid
/// password: too short" is a common, harmless message, and masking its second half would
/// hide the one thing an operator needs. Values that are secrets get there through one of
/// the shapes above or a secret key.
///
/// Every rule needs one of a few words to be present (a secret key fragment, `bearer` or
/// `eyJ`), so text is first checked for those with one cheap case-insensitive pass; text
/// holding none of them — almost every log line — is returned as it is, without copying.
public struct Redactor: Sendable {
    /// What a secret is replaced by.
    public static let mask = "[REDACTED]"

    /// Lower-case fragments that make a key (metadata key, JSON member, `name=` pair) secret.
    public static let defaultSecretKeyFragments = [
        "password", "passwd", "secret", "token", "authorization", "cookie",
        "apikey", "api_key", "api-key", "csrf", "session",
    ]

    /// Header names whose `Name: value` line is masked to the end of the line.
    static let secretHeaderNames: Set<[UInt8]> = Set([
        "authorization", "proxy-authorization", "cookie", "set-cookie",
        "x-csrf-token", "x-api-key", "x-auth-token",
    ].map { Array($0.utf8) })

    private static let maskBytes = Array(mask.utf8)

    /// Lower-cased secret key fragments as bytes.
    private let secretKeyFragments: [[UInt8]]
    /// Words one of which must occur for any rule to apply.
    private let triggers: [[UInt8]]
    /// For each lower-cased byte, whether some trigger starts with it.
    private let triggerStarts: [Bool]
    /// For each lower-cased byte, whether some secret key fragment starts with it.
    private let fragmentStarts: [Bool]

    public init(secretKeyFragments: [String] = Redactor.defaultSecretKeyFragments) {
        let fragments = secretKeyFragments.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        self.secretKeyFragments = fragments
        self.triggers = fragments + [Array("bearer".utf8), Array("eyj".utf8)]
        var starts = [Bool](repeating: false, count: 256)
        for trigger in triggers { starts[Int(trigger[0])] = true }
        self.triggerStarts = starts
        var keyStarts = [Bool](repeating: false, count: 256)
        for fragment in fragments { keyStarts[Int(fragment[0])] = true }
        self.fragmentStarts = keyStarts
    }

    /// True when a value under `key` is a secret as a whole.
    public func isSecretKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { containsFragment($0[...]) }
    }

    /// The entry with every secret in its message and metadata masked.
    public func redact(_ entry: LogEntry) -> LogEntry {
        var result = entry
        if let masked = redactedIfNeeded(entry.message) { result.message = masked }
        for (key, value) in entry.metadata {
            if isSecretKey(key) {
                if value != Redactor.mask { result.metadata[key] = Redactor.mask }
            } else if let masked = redactedIfNeeded(value) {
                result.metadata[key] = masked
            }
        }
        return result
    }

    /// `text` with every secret shape masked.
    public func redact(text: String) -> String {
        redactedIfNeeded(text) ?? text
    }

    /// The masked text, or `nil` when nothing in `text` needed masking.
    func redactedIfNeeded(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard mightHoldSecret(bytes) else { return nil }
            guard let masked = mask(bytes) else { return nil }
            return String(decoding: masked, as: UTF8.self)
        }
    }

    // MARK: Fast path

    /// One pass looking for any trigger word, ignoring ASCII case.
    private func mightHoldSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let lowered = Redactor.lowercase(bytes[index])
            if triggerStarts[Int(lowered)] {
                for trigger in triggers where trigger[0] == lowered {
                    if Redactor.matchesIgnoringCase(bytes, at: index, trigger) { return true }
                }
            }
            index += 1
        }
        return false
    }

    // MARK: Masking

    /// Copies `bytes`, replacing every secret the rules find; `nil` if none was found.
    private func mask(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = bytes.count
        var output: [UInt8] = []
        output.reserveCapacity(count + 16)
        var changed = false
        var index = 0
        while index < count {
            let byte = bytes[index]
            var replaced: (keep: Int, resume: Int)?
            switch byte {
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                replaced = bearerToken(bytes, at: index)
            case UInt8(ascii: "e"):
                if let end = jwtEnd(bytes, at: index) { replaced = (index, end) }
            case UInt8(ascii: "="):
                if let end = secretPairValueEnd(bytes, equalsAt: index) { replaced = (index + 1, end) }
            case UInt8(ascii: "\""):
                replaced = secretJSONMember(bytes, quoteAt: index)
            case UInt8(ascii: ":"):
                replaced = secretHeaderValue(bytes, colonAt: index)
            default:
                break
            }
            if let replaced {
                // Keep what names the secret (`Bearer `, `password=`, `"token":"`), mask the rest.
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<replaced.keep]))
                output.append(contentsOf: Redactor.maskBytes)
                index = replaced.resume
                changed = true
            } else {
                output.append(byte)
                index += 1
            }
        }
        return changed ? output : nil
    }

    /// `Bearer <token>`: returns where the token starts and ends.
    private func bearerToken(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (keep: Int, resume: Int)? {
        let count = bytes.count
        guard index == 0 || !Redactor.isWordByte(bytes[index - 1]),
              Redactor.matchesIgnoringCase(bytes, at: index, Array("bearer".utf8))
        else { return nil }
        var tokenStart = index + 6
        guard tokenStart < count, bytes[tokenStart] == 0x20 || bytes[tokenStart] == 0x09 else { return nil }
        while tokenStart < count, bytes[tokenStart] == 0x20 || bytes[tokenStart] == 0x09 { tokenStart += 1 }
        var tokenEnd = tokenStart
        while tokenEnd < count, !Redactor.endsBearerToken(bytes[tokenEnd]) { tokenEnd += 1 }
        guard tokenEnd > tokenStart else { return nil }
        return (tokenStart, tokenEnd)
    }

    /// A JWT: `eyJ` + base64url, `.`, base64url, `.`, optional base64url signature
    /// (empty for the `none` algorithm, which must not leak either). Returns its end.
    private func jwtEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let count = bytes.count
        guard index + 3 < count,
              index == 0 || !Redactor.isBase64URLByte(bytes[index - 1]),
              bytes[index + 1] == UInt8(ascii: "y"), bytes[index + 2] == UInt8(ascii: "J")
        else { return nil }
        var position = index
        while position < count, Redactor.isBase64URLByte(bytes[position]) { position += 1 }
        guard position - index >= 4, position < count, bytes[position] == UInt8(ascii: ".") else { return nil }
        position += 1
        let payloadStart = position
        while position < count, Redactor.isBase64URLByte(bytes[position]) { position += 1 }
        guard position > payloadStart, position < count, bytes[position] == UInt8(ascii: ".") else { return nil }
        position += 1
        while position < count, Redactor.isBase64URLByte(bytes[position]) { position += 1 }
        return position
    }

    /// `name=value` with a secret name: returns where the value ends.
    private func secretPairValueEnd(_ bytes: UnsafeBufferPointer<UInt8>, equalsAt index: Int) -> Int? {
        var nameStart = index
        while nameStart > 0, Redactor.isPairNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < index, containsFragment(bytes[nameStart..<index]) else { return nil }
        var valueEnd = index + 1
        while valueEnd < bytes.count, !Redactor.endsPairValue(bytes[valueEnd]) { valueEnd += 1 }
        return valueEnd > index + 1 ? valueEnd : nil
    }

    /// `"name": value` with a secret name, in plain JSON or in JSON escaped inside a
    /// string (`\"name\": \"value\"`). Returns where the value's content starts and ends,
    /// so that the quotes around it stay and the result is still well-formed.
    private func secretJSONMember(_ bytes: UnsafeBufferPointer<UInt8>, quoteAt index: Int) -> (keep: Int, resume: Int)? {
        let count = bytes.count
        let escaped = index > 0 && bytes[index - 1] == UInt8(ascii: "\\")
        var position = index + 1
        while position < count, Redactor.isJSONNameByte(bytes[position]) { position += 1 }
        let nameEnd = position
        guard nameEnd > index + 1, nameEnd - index <= 128 else { return nil }
        if escaped {
            guard position + 1 < count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "\"") else { return nil }
            position += 2
        } else {
            guard position < count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            position += 1
        }
        guard containsFragment(bytes[(index + 1)..<nameEnd]) else { return nil }
        while position < count, Redactor.isSpace(bytes[position]) { position += 1 }
        guard position < count, bytes[position] == UInt8(ascii: ":") else { return nil }
        position += 1
        while position < count, Redactor.isSpace(bytes[position]) { position += 1 }
        guard position < count else { return nil }

        let opensString = escaped
            ? position + 1 < count && bytes[position] == UInt8(ascii: "\\") && bytes[position + 1] == UInt8(ascii: "\"")
            : bytes[position] == UInt8(ascii: "\"")
        if opensString {
            let contentStart = position + (escaped ? 2 : 1)
            let contentEnd = Redactor.endOfStringContent(bytes, from: contentStart, escaped: escaped)
            return contentEnd > contentStart ? (contentStart, contentEnd) : nil
        }
        // An object or array is left for the scan to look into; a number or literal goes.
        guard bytes[position] != UInt8(ascii: "{"), bytes[position] != UInt8(ascii: "[") else { return nil }
        var valueEnd = position
        while valueEnd < count {
            let byte = bytes[valueEnd]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || Redactor.isSpace(byte)
                || (escaped && byte == UInt8(ascii: "\\")) { break }
            valueEnd += 1
        }
        return valueEnd > position ? (position, valueEnd) : nil
    }

    /// Where a JSON string's content ends: at its closing quote (plain JSON), or at the
    /// backslash of its closing `\"` (escaped JSON). In escaped JSON a quote inside the
    /// value is `\\\"` (three backslashes), so the closing quote is the one preceded by a
    /// run of backslashes of length 1 modulo 4. An unterminated string runs to the end.
    private static func endOfStringContent(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, escaped: Bool) -> Int {
        var position = start
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "\"") {
                var backslashes = 0
                while position - backslashes - 1 >= start, bytes[position - backslashes - 1] == UInt8(ascii: "\\") {
                    backslashes += 1
                }
                if escaped {
                    if backslashes % 4 == 1 { return position - 1 }
                    if backslashes % 2 == 0 { return position }
                } else if backslashes % 2 == 0 {
                    return position
                }
            }
            position += 1
        }
        return bytes.count
    }

    /// `Authorization: …`, `Cookie: …` and the other secret headers: returns where the
    /// value starts and the end of its line.
    private func secretHeaderValue(_ bytes: UnsafeBufferPointer<UInt8>, colonAt index: Int) -> (keep: Int, resume: Int)? {
        var nameStart = index
        while nameStart > 0, Redactor.isHeaderNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < index, index - nameStart <= 32 else { return nil }
        let name = bytes[nameStart..<index].map(Redactor.lowercase)
        guard Redactor.secretHeaderNames.contains(name) else { return nil }
        var valueStart = index + 1
        while valueStart < bytes.count, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        var valueEnd = valueStart
        while valueEnd < bytes.count, bytes[valueEnd] != 0x0A, bytes[valueEnd] != 0x0D { valueEnd += 1 }
        return valueEnd > valueStart ? (valueStart, valueEnd) : nil
    }

    // MARK: Byte classes

    /// Whether a name holds a secret key fragment: one pass, trying fragments only where
    /// the byte could start one.
    private func containsFragment(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let base = UnsafeBufferPointer(rebasing: name)
        for start in 0..<base.count {
            let lowered = Redactor.lowercase(base[start])
            guard fragmentStarts[Int(lowered)] else { continue }
            for fragment in secretKeyFragments where fragment[0] == lowered {
                if Redactor.matchesIgnoringCase(base, at: start, fragment) { return true }
            }
        }
        return false
    }

    /// Compares `bytes` at `index` with a lower-case ASCII `word`, ignoring ASCII case.
    @inline(__always)
    private static func matchesIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ word: [UInt8]) -> Bool {
        guard index + word.count <= bytes.count else { return false }
        for offset in 0..<word.count where lowercase(bytes[index + offset]) != word[offset] {
            return false
        }
        return true
    }

    @inline(__always)
    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        let lowered = byte | 0x20
        return (lowered >= UInt8(ascii: "a") && lowered <= UInt8(ascii: "z")) || JSONText.isDigit(byte)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }

    private static func isBase64URLByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// Names in query strings and forms: `access_token`, `user.password`, `user[password]`.
    private static func isPairNameByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }

    private static func isJSONNameByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isHeaderNameByte(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == UInt8(ascii: "-") }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// A pair's value runs to whitespace, the next pair (`&`, `;`) or a closing quote. A
    /// comma does not end it: passwords hold commas, and over-masking is the safe error.
    private static func endsPairValue(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "&") || byte == UInt8(ascii: ";")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// A bearer token (RFC 6750 `b64token`) holds none of these.
    private static func endsBearerToken(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
    }
}

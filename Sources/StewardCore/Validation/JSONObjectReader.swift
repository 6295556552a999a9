/// A JSON value, kept only as far as its readers need: strings and integers by value,
/// arrays element by element, and the rest by kind (a log line takes the raw text of
/// anything that is not a string from ``JSONObjectReader/forEachMember(_:_:_:)``).
enum JSONValue: Equatable {
    case string(String)
    /// A number written as an integer (no fraction, no exponent) that fits in `Int`.
    case integer(Int)
    /// Any other number: with a fraction or exponent, or too large for `Int`.
    case otherNumber
    case bool(Bool)
    case null
    case array([JSONValue])
    /// A nested object; read in full to check it is well-formed, then dropped, since no
    /// claim, header parameter or log field Steward reads is an object.
    case object
}

/// The top-level members of a JSON object, in order, with distinct keys.
///
/// A JWT header or claim set has about ten members, so two parallel arrays searched from
/// the front beat a dictionary (no hashing, no resizing); ``JSONObjectReader`` caps the
/// count at ``maximumCount`` so the linear duplicate check stays cheap even for a hostile
/// header.
struct JSONObjectMembers {
    static let maximumCount = 64

    private(set) var keys: [String] = []
    private(set) var values: [JSONValue] = []

    mutating func reserveCapacity(_ capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { keys.count }

    subscript(key: String) -> JSONValue? {
        for index in keys.indices where keys[index] == key {
            return values[index]
        }
        return nil
    }

    /// Adds a member, answering `false` (and adding nothing) when the key is already there.
    mutating func insert(_ key: String, _ value: JSONValue) -> Bool {
        for existing in keys where existing == key {
            return false
        }
        keys.append(key)
        values.append(value)
        return true
    }
}

/// Reads one JSON object (RFC 8259) from UTF-8 bytes: Steward's one JSON reader, for JWT
/// headers and claims and for log lines.
///
/// Why not `JSONSerialization` or `JSONDecoder`: both silently keep one of two duplicated
/// keys, and a duplicated `alg` or `exp` is a classic way to make two JWT libraries
/// disagree about one token; they are also two to three times slower than this reader on
/// a Steward claim set, and far slower on a log file of a million lines.
///
/// Input that is not exactly one well-formed object (trailing bytes, a byte-order mark,
/// control characters in strings, nesting deeper than 16) is refused. The two readers
/// differ only in ``Rules``: a token is refused for text that is not Unicode, and for a
/// key given twice (compared after unescaping, so `"\u0061lg"` is a second `alg`) or more
/// than 64 members; a log line a foreign hand wrote is read as far as it can be.
struct JSONObjectReader {
    enum Failure: Error, Equatable {
        case malformed
        case duplicateKey
    }

    /// Nesting beyond this is refused, so a hostile header cannot exhaust the stack.
    static let maximumDepth = 16

    /// What a reader forgives.
    struct Rules {
        /// Invalid UTF-8 and a `\u` escape of half a surrogate pair become U+FFFD instead
        /// of being refused.
        var replacesInvalidText: Bool
    }

    /// A token: nothing forgiven.
    static let token = Rules(replacesInvalidText: false)
    /// A log line: read what a foreign hand wrote as far as it can be read.
    static let logLine = Rules(replacesInvalidText: true)

    private let bytes: UnsafeBufferPointer<UInt8>
    private let rules: Rules
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, rules: Rules) {
        self.bytes = bytes
        self.rules = rules
    }

    /// The members of the object that `bytes` holds, with distinct keys, at most
    /// ``JSONObjectMembers/maximumCount`` of them; nothing forgiven.
    static func readObject(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONObjectMembers {
        var members = JSONObjectMembers()
        members.reserveCapacity(12)
        try forEachMember(bytes, token) { (key, value, _) throws(Failure) in
            guard members.count < JSONObjectMembers.maximumCount else { throw .malformed }
            guard members.insert(key, value) else { throw .duplicateKey }
        }
        return members
    }

    /// Hands `member` each top-level member of the object that `bytes` holds, in order,
    /// with the raw text of its value; a key given twice is handed over twice.
    static func forEachMember(
        _ bytes: UnsafeBufferPointer<UInt8>, _ rules: Rules,
        _ member: (String, JSONValue, UnsafeBufferPointer<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        var reader = JSONObjectReader(bytes, rules: rules)
        reader.skipWhitespace()
        try reader.readObject(depth: 1, member: member)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw .malformed }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard index < bytes.count, bytes[index] == byte else { throw .malformed }
        index += 1
    }

    private mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
        guard let first = peek() else { throw .malformed }
        switch first {
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw .malformed }
            try readObject(depth: depth + 1) { (_, _, _) throws(Failure) in }
            return .object
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw .malformed }
            return .array(try readArray(depth: depth + 1))
        case UInt8(ascii: "t"):
            try readLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        default:
            throw .malformed
        }
    }

    /// Reads `{ … }` from its opening brace, handing over each member.
    private mutating func readObject(
        depth: Int, member: (String, JSONValue, UnsafeBufferPointer<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .malformed }
            let key = try readString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let start = index
            let value = try readValue(depth: depth)
            try member(key, value, UnsafeBufferPointer(rebasing: bytes[start..<index]))
            skipWhitespace()
            guard index < bytes.count else { throw .malformed }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw .malformed
            }
        }
    }

    private mutating func readArray(depth: Int) throws(Failure) -> [JSONValue] {
        try expect(UInt8(ascii: "["))
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw .malformed }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return elements
            default: throw .malformed
            }
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw .malformed }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw .malformed
        }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, with the integer value
    /// accumulated while scanning (negatively, so `Int.min` fits too).
    private mutating func readNumber() throws(Failure) -> JSONValue {
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var accumulated = 0
        var fitsInInt = true
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            let start = index
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                if fitsInInt {
                    let (shifted, overflowed) = accumulated.multipliedReportingOverflow(by: 10)
                    let (next, underflowed) = shifted.subtractingReportingOverflow(Int(digit))
                    if overflowed || underflowed { fitsInInt = false } else { accumulated = next }
                }
                index += 1
            }
            guard index > start else { throw .malformed }
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw .malformed }
            isInteger = false
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw .malformed }
            isInteger = false
        }
        guard isInteger, fitsInInt else { return .otherNumber }
        if negative { return .integer(accumulated) }
        let (positive, overflowed) = (0).subtractingReportingOverflow(accumulated)
        return overflowed ? .otherNumber : .integer(positive)
    }

    /// Skips ASCII digits, answering how many there were.
    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index - start
    }

    /// Reads a string from its opening quote. The common case, ASCII without escapes, is
    /// turned into a `String` in one step; other UTF-8 is validated, and escapes are
    /// decoded into a scratch buffer.
    private mutating func readString() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if isASCII { return String(decoding: content, as: UTF8.self) }
                return try text(content)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw .malformed }
            isASCII = isASCII && byte < 0x80
            index += 1
        }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try decoded.withUnsafeBufferPointer { bytes throws(Failure) in try text(bytes) }
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { throw .malformed }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try readUnicodeEscape()
                    UTF8.encode(scalar) { decoded.append($0) }
                default: throw .malformed
                }
            case 0..<0x20:
                throw .malformed
            default:
                decoded.append(byte)
            }
        }
        throw .malformed
    }

    /// UTF-8 as a `String`: refused when invalid, or repaired where the rules allow.
    private func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        if rules.replacesInvalidText { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        return text
    }

    /// The scalar of a `\uXXXX` escape whose `\u` was just read, joining a UTF-16
    /// surrogate pair written as two escapes; a lone surrogate is refused, or becomes
    /// U+FFFD where the rules allow (and an escape after a lone high half is read again
    /// on its own).
    private mutating func readUnicodeEscape() throws(Failure) -> Unicode.Scalar {
        let first = try readHexQuad()
        switch first {
        case 0xD800...0xDBFF:
            let afterFirst = index
            if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let second = try readHexQuad()
                if (0xDC00...0xDFFF).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
                }
            }
            guard rules.replacesInvalidText else { throw .malformed }
            index = afterFirst
            return "\u{FFFD}"
        case 0xDC00...0xDFFF:
            guard rules.replacesInvalidText else { throw .malformed }
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(first)!
        }
    }

    private mutating func readHexQuad() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw .malformed }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformed
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

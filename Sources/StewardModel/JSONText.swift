import Foundation

// MARK: - JSON text

/// Steward's one JSON string escaper, and the number rule of the log format (see
/// `LogLineEncoder`).
///
/// Every JSON Steward writes by hand goes through ``escape(_:_:write:)``: log lines, the
/// API's answers, JWT claims, exports and the console's pretty view. They differ only in
/// which characters, beyond what JSON itself requires, must not appear raw where the text
/// lands, and that is the ``Escaping`` a caller passes.
public enum JSONText {
    /// What a JSON string escapes beyond the quote, the backslash and U+0000–U+001F, which
    /// RFC 8259 requires in every case.
    public struct Escaping: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Line feed, carriage return and tab as `\n`, `\r`, `\t` (for people to read)
        /// instead of `\u000a`, `\u000d`, `\u0009`.
        public static let shortForms = Escaping(rawValue: 1 << 0)
        /// DEL, the C1 controls U+0080–U+009F, U+2028–U+202E and U+2066–U+2069: the
        /// characters `TerminalSafe` makes inert, so the JSON holds no byte that could drive
        /// a terminal, break a line or reorder what the reader sees.
        public static let terminalControls = Escaping(rawValue: 1 << 1)
        /// `<`, `>`, `&`, U+2028 and U+2029, so that JSON pasted into HTML or a script
        /// cannot close a tag or end a JavaScript line.
        public static let markup = Escaping(rawValue: 1 << 2)

        /// The log file: every escape as `\uXXXX`, terminal controls included.
        public static let logLine: Escaping = [.terminalControls]
        /// The API's answers.
        public static let api: Escaping = [.shortForms, .markup]
    }

    /// Appends `text` as a quoted JSON string, escaped as the log file escapes it.
    public static func appendString(_ text: String, to buffer: inout [UInt8], escaping: Escaping = .logLine) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer, escaping: escaping) }
        buffer.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string.
    public static func string(_ text: String, escaping: Escaping = .logLine) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &buffer, escaping: escaping)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends a metadata value: a bare number when `isPlainNumber` allows, else a string.
    public static func appendValue(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            if isPlainNumber(bytes) {
                buffer.append(contentsOf: bytes)
            } else {
                buffer.append(UInt8(ascii: "\""))
                appendEscaped(bytes, to: &buffer)
                buffer.append(UInt8(ascii: "\""))
            }
        }
    }

    /// Appends a compile-time constant without going through `String`.
    @inline(__always)
    public static func appendLiteral(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the escaped content of a JSON string (no quotes) to `buffer`.
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8], escaping: Escaping = .logLine) {
        escape(bytes, escaping) { buffer.append(contentsOf: $0) }
    }

    /// Hands `write` the escaped content of a JSON string (no quotes), piece by piece, for
    /// any kind of output buffer.
    ///
    /// Runs of ordinary bytes go out in one piece: almost every byte of a log line or an
    /// answer is printable ASCII, and one range check clears it.
    public static func escape(_ bytes: UnsafeBufferPointer<UInt8>, _ escaping: Escaping,
                              write: (UnsafeBufferPointer<UInt8>) -> Void) {
        let shortForms = escaping.contains(.shortForms)
        let terminalControls = escaping.contains(.terminalControls)
        let markup = escaping.contains(.markup)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { sequence in
            /// Writes `\` and `second`, then `\uXXXX` digits if `scalar` is given.
            func writeEscape(_ second: UInt8, scalar: UInt32? = nil) {
                sequence[0] = UInt8(ascii: "\\")
                sequence[1] = second
                guard let scalar else {
                    write(UnsafeBufferPointer(rebasing: sequence[0..<2]))
                    return
                }
                sequence[2] = hexDigits[Int(scalar >> 12 & 0xF)]
                sequence[3] = hexDigits[Int(scalar >> 8 & 0xF)]
                sequence[4] = hexDigits[Int(scalar >> 4 & 0xF)]
                sequence[5] = hexDigits[Int(scalar & 0xF)]
                write(UnsafeBufferPointer(rebasing: sequence[0..<6]))
            }

            let count = bytes.count
            var runStart = 0
            var index = 0
            while index < count {
                let byte = bytes[index]
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C
                    && !(markup && (byte == 0x3C || byte == 0x3E || byte == 0x26)) {
                    index += 1
                    continue
                }
                var escapedScalar: UInt32?
                var length = 1
                if byte == 0x22 || byte == 0x5C {
                    escapedScalar = nil
                } else if shortForms && (byte == 0x0A || byte == 0x0D || byte == 0x09) {
                    escapedScalar = nil
                } else if byte < 0x20 || byte == 0x3C || byte == 0x3E || byte == 0x26 {
                    escapedScalar = UInt32(byte)
                } else if byte == 0x7F && terminalControls {
                    escapedScalar = 0x7F
                } else if byte == 0xC2, terminalControls, index + 1 < count, (0x80...0x9F).contains(bytes[index + 1]) {
                    escapedScalar = UInt32(bytes[index + 1])
                    length = 2
                } else if byte == 0xE2, terminalControls || markup, index + 2 < count {
                    let second = bytes[index + 1], third = bytes[index + 2]
                    let scalar = 0x2000 | (UInt32(second & 0x3F) << 6) | UInt32(third & 0x3F)
                    let escaped = terminalControls
                        ? (0x2028...0x202E).contains(scalar) || (0x2066...0x2069).contains(scalar)
                        : scalar == 0x2028 || scalar == 0x2029
                    guard escaped else {
                        index += 1
                        continue
                    }
                    escapedScalar = scalar
                    length = 3
                } else {
                    // DEL where terminals are not the concern, or any other byte of an
                    // ordinary character.
                    index += 1
                    continue
                }
                if runStart < index {
                    write(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                if let escapedScalar {
                    writeEscape(UInt8(ascii: "u"), scalar: escapedScalar)
                } else {
                    switch byte {
                    case 0x0A: writeEscape(UInt8(ascii: "n"))
                    case 0x0D: writeEscape(UInt8(ascii: "r"))
                    case 0x09: writeEscape(UInt8(ascii: "t"))
                    default: writeEscape(byte)
                    }
                }
                index += length
                runStart = index
            }
            if runStart < count {
                write(UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// True for `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 digits: a value every JSON
    /// reader turns into the same number and back.
    public static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count > 0, count <= 17 else { return false }
        var index = bytes[0] == UInt8(ascii: "-") ? 1 : 0
        let integerStart = index
        while index < count, isDigit(bytes[index]) { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0 else { return false }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") { return false }
        var fractionDigits = 0
        if index < count {
            guard bytes[index] == UInt8(ascii: ".") else { return false }
            index += 1
            let fractionStart = index
            while index < count, isDigit(bytes[index]) { index += 1 }
            fractionDigits = index - fractionStart
            guard fractionDigits > 0, index == count else { return false }
        }
        return integerDigits + fractionDigits <= 15
    }

    @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}


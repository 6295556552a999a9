import Foundation

// MARK: - JSON text

/// The string and number rules of the log format (see `LogLineEncoder`).
public enum JSONText {
    /// Appends `text` as a quoted JSON string with every control character escaped.
    public static func appendString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer) }
        buffer.append(UInt8(ascii: "\""))
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

    /// Copies runs of ordinary bytes in one go and escapes only what must be: the quote,
    /// the backslash, and the characters listed on `LogLineEncoder`.
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        let count = bytes.count
        var runStart = 0
        var index = 0
        while index < count {
            let byte = bytes[index]
            // Almost every byte of a log line is printable ASCII: one range check clears it.
            if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                index += 1
                continue
            }
            var escapedScalar: UInt32?
            var length = 1
            if byte < 0x20 || byte == 0x7F {
                escapedScalar = UInt32(byte)
            } else if byte == 0x22 || byte == 0x5C {
                escapedScalar = nil
            } else if byte == 0xC2, index + 1 < count, (0x80...0x9F).contains(bytes[index + 1]) {
                escapedScalar = UInt32(bytes[index + 1])
                length = 2
            } else if byte == 0xE2, index + 2 < count {
                let second = bytes[index + 1], third = bytes[index + 2]
                let scalar = 0x2000 | (UInt32(second & 0x3F) << 6) | UInt32(third & 0x3F)
                if (0x2028...0x202E).contains(scalar) || (0x2066...0x2069).contains(scalar) {
                    escapedScalar = scalar
                    length = 3
                } else {
                    index += 1
                    continue
                }
            } else {
                // Any other non-ASCII byte is part of an ordinary character.
                index += 1
                continue
            }
            if runStart < index {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
            if let escapedScalar {
                appendUnicodeEscape(escapedScalar, to: &buffer)
            } else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(byte)
            }
            index += length
            runStart = index
        }
        if runStart < count {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendUnicodeEscape(_ scalar: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "u"))
        buffer.append(hexDigits[Int(scalar >> 12 & 0xF)])
        buffer.append(hexDigits[Int(scalar >> 8 & 0xF)])
        buffer.append(hexDigits[Int(scalar >> 4 & 0xF)])
        buffer.append(hexDigits[Int(scalar & 0xF)])
    }

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


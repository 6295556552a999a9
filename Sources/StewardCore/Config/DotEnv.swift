/// Reads the `.env` file format: one `KEY=VALUE` assignment a line.
///
/// What is accepted, line by line:
/// - blank lines, and comment lines whose first non-blank character is `#`;
/// - an optional `export ` before the key, so the same file can be `source`d by a shell;
/// - a key of ASCII letters, digits and underscores, not starting with a digit, then `=`
///   (spaces around the `=` are allowed);
/// - an unquoted value, trimmed, which ends at a `#` that follows a space or tab (a `#`
///   inside a word, as in `pa#ss`, stays part of the value);
/// - a single-quoted value, taken literally up to the closing `'`;
/// - a double-quoted value, in which `\n` is a line break, `\"` a quote and `\\` a backslash;
///   any other backslash sequence is refused rather than guessed at.
///
/// After a closing quote only spaces and a `#` comment may follow. Values are never expanded:
/// `$HOME` stays `$HOME`. A later assignment of the same key replaces an earlier one, as it
/// would in a shell. Lines may end in `\n` or `\r\n`, and a leading byte-order mark is ignored.
///
/// Anything else is an error naming the file and the line, because a half-understood
/// configuration file is worse than one that stops start-up and says where to look.
public enum DotEnv {
    /// The assignments in `text`, keyed by variable name.
    ///
    /// - Parameter fileName: how the file is named in error messages.
    public static func parse(_ text: String, fileName: String = ".env") throws(ConfigError) -> [String: String] {
        var assignments: [String: String] = [:]
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.first == "\u{FEFF}" {
            lines[0] = first.dropFirst()
        }
        for (index, rawLine) in lines.enumerated() {
            var line = Array(rawLine)
            if line.last == "\r" { line.removeLast() }
            var parser = LineParser(scalars: line, lineNumber: index + 1, fileName: fileName)
            if let (key, value) = try parser.parseAssignment() {
                assignments[key] = value
            }
        }
        return assignments
    }

    /// Walks one line of the file, scalar by scalar.
    private struct LineParser {
        let scalars: [Unicode.Scalar]
        let lineNumber: Int
        let fileName: String
        var position = 0

        init(scalars: [Unicode.Scalar], lineNumber: Int, fileName: String) {
            self.scalars = scalars
            self.lineNumber = lineNumber
            self.fileName = fileName
        }

        private var atEnd: Bool { position >= scalars.count }
        private var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

        private static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || scalar == "_"
        }
        private static func isKeyPart(_ scalar: Unicode.Scalar) -> Bool {
            isKeyStart(scalar) || ("0"..."9").contains(scalar)
        }

        private func malformed(_ problem: String) -> ConfigError {
            ConfigError(variable: fileName, message: "line \(lineNumber): \(problem)")
        }

        private mutating func skipBlanks() {
            while let scalar = current, Self.isBlank(scalar) { position += 1 }
        }

        /// The key and value on this line, or `nil` for a blank or comment line.
        mutating func parseAssignment() throws(ConfigError) -> (String, String)? {
            skipBlanks()
            guard let first = current, first != "#" else { return nil }

            if hasExportPrefix() {
                position += "export".unicodeScalars.count
                skipBlanks()
            }

            let keyStart = position
            guard let keyFirst = current, Self.isKeyStart(keyFirst) else {
                throw malformed("expected KEY=VALUE, with a key of letters, digits and underscores")
            }
            while let scalar = current, Self.isKeyPart(scalar) { position += 1 }
            let key = String(String.UnicodeScalarView(scalars[keyStart..<position]))

            skipBlanks()
            guard current == "=" else {
                throw malformed("expected = after \(key)")
            }
            position += 1
            let valueStart = position
            skipBlanks()

            let value: String
            switch current {
            case "'":
                value = try parseSingleQuoted(key: key)
                try expectOnlyCommentAfterQuote(key: key)
            case "\"":
                value = try parseDoubleQuoted(key: key)
                try expectOnlyCommentAfterQuote(key: key)
            default:
                value = parseUnquoted(from: valueStart)
            }
            return (key, value)
        }

        /// `export` followed by a blank starts the line; `export=1` is a key named export.
        private func hasExportPrefix() -> Bool {
            let word = Array("export".unicodeScalars)
            guard position + word.count < scalars.count else { return false }
            return Array(scalars[position..<position + word.count]) == word
                && Self.isBlank(scalars[position + word.count])
        }

        private mutating func parseSingleQuoted(key: String) throws(ConfigError) -> String {
            position += 1
            var value = String.UnicodeScalarView()
            while let scalar = current {
                position += 1
                if scalar == "'" { return String(value) }
                value.append(scalar)
            }
            throw malformed("the single-quoted value of \(key) has no closing '")
        }

        private mutating func parseDoubleQuoted(key: String) throws(ConfigError) -> String {
            position += 1
            var value = String.UnicodeScalarView()
            while let scalar = current {
                position += 1
                switch scalar {
                case "\"":
                    return String(value)
                case "\\":
                    guard let escaped = current else {
                        throw malformed("the double-quoted value of \(key) has no closing \"")
                    }
                    position += 1
                    switch escaped {
                    case "n": value.append("\n")
                    case "\"": value.append("\"")
                    case "\\": value.append("\\")
                    default:
                        throw malformed("unknown escape \\\(escaped) in the value of \(key); expected \\n, \\\" or \\\\")
                    }
                default:
                    value.append(scalar)
                }
            }
            throw malformed("the double-quoted value of \(key) has no closing \"")
        }

        private mutating func expectOnlyCommentAfterQuote(key: String) throws(ConfigError) {
            skipBlanks()
            if let scalar = current, scalar != "#" {
                throw malformed("unexpected text after the quoted value of \(key); only a # comment may follow")
            }
        }

        /// The rest of the line, cut at a `#` that follows a blank, and trimmed.
        ///
        /// `start` is just after the `=`, so `KEY=#x` keeps `#x` while `KEY= #x` is empty.
        private func parseUnquoted(from start: Int) -> String {
            var end = scalars.count
            var index = start
            while index < scalars.count {
                if scalars[index] == "#", index > start, Self.isBlank(scalars[index - 1]) {
                    end = index
                    break
                }
                index += 1
            }
            var slice = scalars[start..<end]
            while let first = slice.first, Self.isBlank(first) { slice = slice.dropFirst() }
            while let last = slice.last, Self.isBlank(last) { slice = slice.dropLast() }
            return String(String.UnicodeScalarView(slice))
        }
    }
}

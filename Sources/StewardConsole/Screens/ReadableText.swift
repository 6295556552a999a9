import Foundation
import StewardCore

/// Turns the sanitized HTML of a post or comment into text a terminal can show: tags go,
/// paragraphs and headings become blank-line separated blocks, list items get bullets
/// (`•`, or `1.` in ordered lists), block quotes a `│ ` bar, `<br>` a newline, and entities
/// are decoded. Links keep their text followed by the address in angle brackets.
///
/// The input is already cleaned by the allowlist, so this is a reader, not a sanitizer; the
/// cell buffer still makes any control character inert when the text is drawn.
public enum ReadableText {
    public static func from(html: String) -> String {
        var output = ""
        var index = html.startIndex
        var listStack: [(ordered: Bool, counter: Int)] = []
        var quoteDepth = 0
        var pendingHref: String?
        var inPre = false

        func newline(_ count: Int = 1) {
            var trailing = 0
            for character in output.reversed() { if character == "\n" { trailing += 1 } else { break } }
            if output.isEmpty { return }
            if trailing < count { output += String(repeating: "\n", count: count - trailing) }
        }
        func linePrefix() {
            if quoteDepth > 0 && (output.isEmpty || output.hasSuffix("\n")) {
                output += String(repeating: "│ ", count: quoteDepth)
            }
        }

        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<close]
                index = html.index(after: close)
                let isClosing = tag.hasPrefix("/")
                let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                switch name {
                case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol":
                    if listStack.isEmpty || !isClosing { newline(listStack.isEmpty ? 2 : 1) }
                    if name == "blockquote" { quoteDepth = max(0, quoteDepth + (isClosing ? -1 : 1)) }
                    if name == "pre" { inPre = !isClosing }
                    if name == "ul" || name == "ol" {
                        if isClosing { _ = listStack.popLast() } else { listStack.append((name == "ol", 0)) }
                        if isClosing && listStack.isEmpty { newline(2) }
                    }
                case "li":
                    if !isClosing {
                        newline()
                        linePrefix()
                        let depth = max(0, listStack.count - 1)
                        output += String(repeating: "  ", count: depth)
                        if var top = listStack.popLast() {
                            top.counter += 1
                            output += top.ordered ? "\(top.counter). " : "• "
                            listStack.append(top)
                        } else {
                            output += "• "
                        }
                    }
                case "br":
                    output += "\n"
                    linePrefix()
                case "a":
                    if isClosing {
                        if let href = pendingHref { output += " <\(href)>" }
                        pendingHref = nil
                    } else {
                        pendingHref = attribute("href", in: String(tag))
                    }
                default:
                    break
                }
                continue
            }
            if character == "&", let semicolon = html[index...].prefix(12).firstIndex(of: ";") {
                let entity = String(html[html.index(after: index)..<semicolon])
                if let decoded = decode(entity: entity) {
                    linePrefix()
                    output.append(decoded)
                    index = html.index(after: semicolon)
                    continue
                }
            }
            if character == "\n" || character == "\r\n" {
                if inPre { output += "\n"; linePrefix() } else if !output.hasSuffix(" ") && !output.hasSuffix("\n") { output += " " }
            } else {
                linePrefix()
                output.append(character)
            }
            index = html.index(after: index)
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first line of `html` as readable text, for a table cell.
    public static func summary(html: String) -> String {
        from(html: html).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: name + "=\"") else { return nil }
        let rest = tag[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return rest[..<end].replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func decode(entity: String) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39", "#x27": return "'"
        case "nbsp": return " "
        default:
            if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let value = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) {
                return String(Character(scalar))
            }
            if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(value) {
                return String(Character(scalar))
            }
            return nil
        }
    }
}

/// Short, stable renderings of times for tables: `2026-11-25 13:05` in UTC.
public enum ConsoleTime {
    public static func short(_ date: Date) -> String {
        String(Timestamp.string(date).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

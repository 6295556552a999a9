/// Word wrapping by display width.
///
/// Lines break at spaces; a word wider than the line (a URL, or CJK text, which has no
/// spaces) breaks between grapheme clusters instead, and a wide character never straddles
/// the edge. Newlines in the text start new lines (CR LF counts as one newline), tabs
/// become spaces up to the next multiple of four columns, and other control characters are
/// left for ``CellBuffer`` to show as symbols.
public enum TextWrap {
    /// The lines of `text` wrapped to `width` columns (at least one line, possibly empty).
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        let normalized = text.replacingNewlines()
        for paragraph in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            result += wrapParagraph(expandTabs(String(paragraph)), width: width)
        }
        return result
    }

    /// Tabs replaced by spaces to the next multiple of four columns.
    public static func expandTabs(_ line: String) -> String {
        guard line.contains("\t") else { return line }
        var expanded = ""
        var column = 0
        for character in line {
            if character == "\t" {
                let spaces = 4 - column % 4
                expanded += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                expanded.append(character)
                column += DisplayWidth.of(character)
            }
        }
        return expanded
    }

    private static func wrapParagraph(_ paragraph: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for token in tokens(of: paragraph) {
            let tokenWidth = DisplayWidth.of(token.text)
            if token.isSpace {
                // Spaces at the start of a wrapped line are dropped; leading indentation of
                // the paragraph is kept.
                if lineWidth == 0 && !lines.isEmpty { continue }
                if lineWidth + tokenWidth <= width {
                    line += token.text
                    lineWidth += tokenWidth
                } else {
                    lines.append(trimmingTrailingSpaces(line))
                    line = ""
                    lineWidth = 0
                }
                continue
            }
            if lineWidth + tokenWidth <= width {
                line += token.text
                lineWidth += tokenWidth
                continue
            }
            if lineWidth > 0 && tokenWidth <= width {
                lines.append(trimmingTrailingSpaces(line))
                line = token.text
                lineWidth = tokenWidth
                continue
            }
            // The word is wider than a line: fill the current line, then break by cluster.
            for character in token.text {
                let characterWidth = DisplayWidth.of(character)
                if lineWidth + characterWidth > width {
                    lines.append(trimmingTrailingSpaces(line))
                    line = ""
                    lineWidth = 0
                }
                line.append(character)
                lineWidth += characterWidth
            }
        }
        lines.append(trimmingTrailingSpaces(line))
        return lines
    }

    private static func tokens(of text: String) -> [(text: String, isSpace: Bool)] {
        var tokens: [(text: String, isSpace: Bool)] = []
        for character in text {
            let isSpace = character == " "
            if let last = tokens.last, last.isSpace == isSpace {
                tokens[tokens.count - 1].text.append(character)
            } else {
                tokens.append((String(character), isSpace))
            }
        }
        return tokens
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var trimmed = line
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed
    }
}

private extension String {
    /// CR LF (one grapheme cluster in Swift) as a plain newline, so paragraphs split on it.
    func replacingNewlines() -> String {
        guard contains("\r\n") else { return self }
        var result = ""
        for character in self {
            if character == "\r\n" { result.append("\n") } else { result.append(character) }
        }
        return result
    }
}

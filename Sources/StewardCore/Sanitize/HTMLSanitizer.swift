/// Rich text after cleaning: the HTML to store and the text a reader will see in it.
public struct CleanedHTML: Sendable, Equatable {
    /// Well-formed HTML containing only allowed elements and attributes, every element
    /// closed, all text escaped. Cleaning it again returns it unchanged.
    public var html: String
    /// The text content of `html` as a reader sees it: character references decoded, tags
    /// removed, block boundaries and line breaks counted as spaces, every run of white space
    /// collapsed to one space and the ends trimmed. Validation measures this to refuse
    /// content that cleans down to (almost) nothing.
    public var visibleText: String

    public init(html: String, visibleText: String) {
        self.html = html
        self.visibleText = visibleText
    }
}

/// The allowlist cleaner for rich text (post and comment content), docs/security.md.
///
/// The input is tokenized exactly as a browser tokenizes it (`HTMLTokenizer`), and a new
/// document is written from the tokens, keeping only what is on the allowlist:
///
/// - Elements `p br strong em b i u s a ul ol li blockquote code pre h1`–`h6`, in lower
///   case, with no attributes except `href` and `title` on `a`. An `href` survives only as
///   an absolute http, https or mailto URL (`LinkPolicy`); every `a` gets
///   `rel="noopener noreferrer nofollow"`.
/// - Any other element disappears but its text stays, except for the elements in
///   `HTMLDisallowed.elementsDroppedWithContents` (script, style, svg, ...), which go
///   with everything inside them.
/// - Comments, DOCTYPEs and processing instructions disappear.
///
/// Because the output is written from scratch instead of being patched, nothing from the
/// input reaches it unescaped: text is escaped, attribute values are escaped and always
/// double-quoted, and tags are only ever ones the cleaner wrote itself. Markup split or
/// encoded to slip past a filter ("<scr<script>ipt>", "jav&#x09;ascript:") is read the way
/// the browser would read it and then either dropped or escaped.
///
/// Elements are nested the way a browser would nest them, so the stored HTML means the same
/// thing to every reader: a block element closes an open paragraph, a new list item closes
/// the previous one, a new link closes an open link, an end tag closes everything opened
/// inside its element, a stray end tag is ignored, and whatever is still open at the end
/// is closed in order.
///
/// The whole input is read once and every piece of output is appended, so the time is
/// linear in the input length; the nesting rules look up open elements by kind in constant
/// time rather than by walking the stack.
public enum HTMLSanitizer {
    public static func clean(_ input: String) -> CleanedHTML {
        var tokenizer = HTMLTokenizer(input)
        var document = SanitizedDocument()
        // Set while inside an element that is removed together with its contents.
        var droppedElement: DroppedElement?

        while let token = tokenizer.next() {
            if var dropped = droppedElement {
                switch token {
                case .startTag(let tag):
                    // Nested elements of the same name must not end the drop early:
                    // "<svg><svg></svg>hidden</svg>".
                    if tag.name == dropped.name, !(dropped.isForeign && tag.isSelfClosing) {
                        dropped.depth += 1
                    }
                    if !dropped.isForeign, let model = HTMLContentModel.forStartTag(tag.name) {
                        tokenizer.switchContentModel(model, closedBy: tag.name)
                    }
                case .endTag(let name) where name == dropped.name:
                    dropped.depth -= 1
                default:
                    break
                }
                droppedElement = dropped.depth > 0 ? dropped : nil
                continue
            }

            switch token {
            case .text(let text):
                document.appendText(text)

            case .startTag(let tag):
                if let element = AllowedElement(tagName: tag.name) {
                    document.open(element, from: tag)
                } else if tag.name == "br" {
                    document.appendLineBreak()
                } else if HTMLDisallowed.elementsDroppedWithContents.contains(tag.name) {
                    let isForeign = HTMLDisallowed.isForeignRoot(tag.name)
                    // "<svg/>" is complete in itself; "<script/>" is not (HTML ignores the
                    // slash), so its contents still follow and are still dropped.
                    if !(isForeign && tag.isSelfClosing) {
                        droppedElement = DroppedElement(name: tag.name, isForeign: isForeign)
                    }
                    if !isForeign, let model = HTMLContentModel.forStartTag(tag.name) {
                        tokenizer.switchContentModel(model, closedBy: tag.name)
                    }
                } else if let model = HTMLContentModel.forStartTag(tag.name) {
                    // Only `plaintext` gets here: the rest of the input is shown as text.
                    tokenizer.switchContentModel(model, closedBy: tag.name)
                }

            case .endTag(let name):
                if let element = AllowedElement(tagName: name) {
                    document.close(element)
                } else if name == "br" {
                    // Browsers read "</br>" as "<br>".
                    document.appendLineBreak()
                }

            case .comment, .doctype:
                break
            }
        }
        return document.finish()
    }
}

/// An element being removed together with its contents, and how many elements of the same
/// name are open inside it.
private struct DroppedElement {
    let name: String
    let isForeign: Bool
    var depth = 1
}

/// The output under construction: the HTML text, the visible text, and the stack of allowed
/// elements that are open.
private struct SanitizedDocument {
    // Both texts are built as UTF-8 bytes: appending to an array is amortized constant
    // time, while appending to a String's scalar view is many times slower per character.
    private var html: [UInt8] = []
    private var visibleText: [UInt8] = []
    /// Set after white space or a block boundary; becomes one space before the next visible
    /// character, so runs collapse and nothing trails at the end.
    private var visibleTextNeedsSpace = false

    private var openElements: [AllowedElement] = []
    // Positions in `openElements`, one stack per question the nesting rules ask, so that
    // "is there an open X, and where is the innermost one?" is a constant-time look at the
    // last entry. Each position is pushed and popped with its element.
    private var positionsByElement: [[Int]] = Array(repeating: [], count: AllowedElement.allCases.count)
    private var headingPositions: [Int] = []
    private var listPositions: [Int] = []
    private var listItemShieldPositions: [Int] = []

    // MARK: Text

    /// Control characters have no place in stored rich text, typed or written as a
    /// character reference (`&#1;`, `&#127;`): every C0 control but tab and line feed,
    /// DEL, and the C1 controls (one of which, U+009B, is a terminal's escape introducer)
    /// are dropped. Most text has none, and comes back unchanged without a copy.
    static func droppingControls(_ text: String) -> String {
        func isDropped(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            return (value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value)
        }
        guard text.unicodeScalars.contains(where: isDropped) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !isDropped($0) })
        return String(kept)
    }

    mutating func appendText(_ text: String) {
        var text = Self.droppingControls(text)
        text.withUTF8 { bytes in
            appendEscaped(bytes, insideAttribute: false)
            appendVisible(bytes)
        }
    }

    mutating func appendLineBreak() {
        write("<br>")
        visibleTextNeedsSpace = true
    }

    /// Adds text to the visible text, collapsing white space. Works on runs of UTF-8 bytes
    /// between white space rather than character by character, because this runs over
    /// every character of the input.
    private mutating func appendVisible(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            let isWhitespace: Bool
            if byte < 0x80 {
                length = 1
                // ASCII White_Space: tab, LF, VT, FF, CR and space. NUL is not shown at all.
                isWhitespace = (0x09...0x0D).contains(byte) || byte == 0x20
                if byte == 0 {
                    appendVisibleRun(bytes[runStart..<index])
                    runStart = index + 1
                }
            } else {
                length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                isWhitespace = Self.isNonASCIIWhitespace(bytes, at: index)
            }
            if isWhitespace {
                appendVisibleRun(bytes[runStart..<index])
                visibleTextNeedsSpace = true
                runStart = index + length
            }
            index += length
        }
        appendVisibleRun(bytes[runStart..<bytes.count])
    }

    private mutating func appendVisibleRun(_ run: Slice<UnsafeBufferPointer<UInt8>>) {
        guard !run.isEmpty else { return }
        if visibleTextNeedsSpace && !visibleText.isEmpty {
            visibleText.append(UInt8(ascii: " "))
        }
        visibleTextNeedsSpace = false
        visibleText.append(contentsOf: run)
    }

    /// Whether the multi-byte UTF-8 sequence at `index` is a white space character, such
    /// as the no-break space or the ideographic space. All of them start with one of four
    /// lead bytes, so every other character is waved through without being decoded.
    private static func isNonASCIIWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = bytes[index]
        let scalarValue: UInt32
        switch lead {
        case 0xC2 where index + 1 < bytes.count:
            scalarValue = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 0xE1...0xE3 where index + 2 < bytes.count:
            scalarValue = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                | UInt32(bytes[index + 2] & 0x3F)
        default:
            return false
        }
        return Unicode.Scalar(scalarValue)?.properties.isWhitespace ?? false
    }

    // MARK: Elements

    mutating func open(_ element: AllowedElement, from tag: HTMLTag) {
        switch element {
        case .li:
            // Close the previous item unless a nested list or block stands in between.
            if let item = positionsByElement[AllowedElement.li.index].last,
               item == listItemShieldPositions.last {
                closeElements(downTo: item)
            }
        case .a:
            // Links cannot nest; a browser ends the open one first.
            if let link = positionsByElement[AllowedElement.a.index].last {
                closeElements(downTo: link)
            }
        default:
            break
        }
        if element.isBlock, let paragraph = positionsByElement[AllowedElement.p.index].last {
            closeElements(downTo: paragraph)
        }
        if element.isHeading, let current = openElements.last, current.isHeading {
            closeElements(downTo: openElements.count - 1)
        }

        write("<")
        write(element.tagName)
        if element == .a {
            if let href = tag.value(of: "href"), let url = LinkPolicy.safeHref(href) {
                writeAttribute("href", url)
            }
            if let title = tag.value(of: "title") {
                writeAttribute("title", title)
            }
            write(#" rel="noopener noreferrer nofollow""#)
        }
        write(">")

        let position = openElements.count
        openElements.append(element)
        positionsByElement[element.index].append(position)
        if element.isHeading { headingPositions.append(position) }
        if element.isList { listPositions.append(position) }
        if element.shieldsOuterListItem { listItemShieldPositions.append(position) }
        if element.isBlock { visibleTextNeedsSpace = true }
    }

    /// Handles an end tag for an allowed element: closes the innermost open element it
    /// names and everything opened inside it, or does nothing when none is open.
    mutating func close(_ element: AllowedElement) {
        let target: Int?
        if element == .li {
            // "</li>" only reaches an item of the current list, never one outside it.
            let item = positionsByElement[element.index].last
            target = item.flatMap { $0 > (listPositions.last ?? -1) ? $0 : nil }
        } else if element.isHeading {
            // Any heading end tag closes the open heading: "<h1>x</h2>" ends the h1.
            target = headingPositions.last
        } else {
            target = positionsByElement[element.index].last
        }
        if let target { closeElements(downTo: target) }
    }

    /// Writes the end tags of the open elements from the innermost one down to and
    /// including the one at `position`.
    private mutating func closeElements(downTo position: Int) {
        while openElements.count > position {
            let element = openElements.removeLast()
            positionsByElement[element.index].removeLast()
            if element.isHeading { headingPositions.removeLast() }
            if element.isList { listPositions.removeLast() }
            if element.shieldsOuterListItem { listItemShieldPositions.removeLast() }
            write("</")
            write(element.tagName)
            write(">")
            if element.isBlock { visibleTextNeedsSpace = true }
        }
    }

    mutating func finish() -> CleanedHTML {
        closeElements(downTo: 0)
        return CleanedHTML(
            html: String(decoding: html, as: UTF8.self),
            visibleText: String(decoding: visibleText, as: UTF8.self))
    }

    // MARK: Writing

    /// Appends fixed markup. `StaticString` hands over its UTF-8 bytes directly, which is
    /// far cheaper than appending a `String`'s UTF-8 view.
    private mutating func write(_ markup: StaticString) {
        markup.withUTF8Buffer { html.append(contentsOf: $0) }
    }

    /// Writes ` name="value"` with the value escaped so that it cannot end the quotes or
    /// the tag, and so that reading it back yields exactly `value`.
    private mutating func writeAttribute(_ name: StaticString, _ value: String) {
        write(" ")
        write(name)
        write("=\"")
        var value = Self.droppingControls(value)
        value.withUTF8 { appendEscaped($0, insideAttribute: true) }
        write("\"")
    }

    /// Appends text to the HTML with `&`, `<` and `>` (and inside an attribute value `"`)
    /// replaced by references. NUL is left out: browsers drop it from body text, and the
    /// tokenizer has already replaced it everywhere else. A CR becomes `&#13;` because a
    /// raw one would turn into LF when the output is read again; written as a reference it
    /// stays what it was (it can only come from a reference in the first place), and
    /// cleaning stays idempotent. Unchanged bytes are copied in runs.
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, insideAttribute: Bool) {
        var runStart = 0
        for index in bytes.indices {
            let replacement: StaticString
            switch bytes[index] {
            case 0x00: replacement = ""
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\r"): replacement = "&#13;"
            case UInt8(ascii: "\"") where insideAttribute: replacement = "&quot;"
            default: continue
            }
            if runStart < index { html.append(contentsOf: bytes[runStart..<index]) }
            write(replacement)
            runStart = index + 1
        }
        html.append(contentsOf: bytes[runStart..<bytes.count])
    }
}

private extension AllowedElement {
    var index: Int { Int(rawValue) }
}

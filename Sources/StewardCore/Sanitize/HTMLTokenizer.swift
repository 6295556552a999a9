/// One unit of HTML as the tokenizer reads it.
///
/// Runs of characters arrive as a single `.text` token with character references already
/// decoded, the way the tree builder of a browser sees them after merging character tokens.
enum HTMLToken: Equatable, Sendable {
    case text(String)
    case startTag(HTMLTag)
    case endTag(name: String)
    /// A comment, including the "bogus comments" the standard makes out of `<?...>`,
    /// `</3...>`, `<!...>` and `<![CDATA[...>` in HTML content.
    case comment(String)
    /// A `<!DOCTYPE ...>` declaration. Its contents never matter to a fragment, so they are
    /// not kept.
    case doctype
}

/// A start tag: lower-cased name, attributes in source order, and whether it ended in `/>`.
struct HTMLTag: Equatable, Sendable {
    var name: String
    /// Attribute names are lower-cased and unique: as in browsers, a repeated attribute is
    /// dropped and the first one wins (`<a href=ok href=evil>` links to `ok`).
    var attributes: [HTMLAttribute]
    /// HTML ignores `/>` on ordinary elements (`<p/>` opens a paragraph); only void and
    /// foreign (SVG, MathML) elements pay attention to it.
    var isSelfClosing: Bool

    func value(of attributeName: String) -> String? {
        attributes.first { $0.name == attributeName }?.value
    }
}

struct HTMLAttribute: Equatable, Sendable {
    var name: String
    var value: String
}

/// How the contents of an element are tokenized, for the elements whose contents are not
/// markup. The tree-construction stage picks one after seeing the start tag
/// (`HTMLContentModel.forStartTag(_:)`) and tells the tokenizer with
/// `HTMLTokenizer.switchContentModel(_:closedBy:)`.
enum HTMLContentModel: Equatable, Sendable {
    /// RAWTEXT (`style`, `iframe`, ...): everything up to `</name` is text, no references.
    case rawText
    /// RCDATA (`textarea`, `title`): like raw text, but character references are decoded.
    case rcData
    /// PLAINTEXT (`plaintext`): the rest of the document is text; nothing ends it.
    case plainText

    /// The content model a browser's tree builder switches to after this start tag in HTML
    /// content, or `nil` for elements whose contents are ordinary markup.
    ///
    /// `script` really gets the "script data" states, which differ from RAWTEXT only for
    /// `<!--<script>` nesting tricks inside the script. Every caller here throws script
    /// contents away, and treating `</script` as the end in all cases can only make less of
    /// the input count as script, never hide markup from the sanitizer, so RAWTEXT is used.
    /// `noscript` is RAWTEXT because browsers run with scripting enabled.
    static func forStartTag(_ name: String) -> HTMLContentModel? {
        switch name {
        case "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript": .rawText
        case "textarea", "title": .rcData
        case "plaintext": .plainText
        default: nil
        }
    }
}

/// A tokenizer for HTML fragments, written as the state machine of the WHATWG HTML standard
/// ("13.2.5 Tokenization") so that it splits input into tags, text and comments exactly
/// where a browser would. That is the whole point: a sanitizer that reads markup
/// differently from the browser can be walked around, which is why this is not done with
/// regular expressions.
///
/// It reads the UTF-8 bytes of the input once, front to back; every state consumes or hands
/// over the current byte, so the work is linear in the input length. Every byte that
/// matters to HTML syntax is ASCII, and the bytes of a multi-byte character never are, so
/// those always travel together into whatever is being built (text, name, value), and
/// every buffer stays valid UTF-8.
///
/// Deliberate simplifications, none of which changes where a tag, comment or text run
/// begins or ends:
/// - Parse errors are not reported; the standard's error recovery is simply followed.
/// - The "comment less-than sign" states are folded into the comment state: they exist
///   only to report `<!--` nested in a comment, and comment text is never used.
/// - A DOCTYPE is skipped up to the next `>`; every DOCTYPE sub-state ends there too.
/// - Character references are decoded by looking ahead in the input instead of through
///   the standard's sub-states; the result is the same, including the longest-match rule
///   for named references.
struct HTMLTokenizer {
    private enum State {
        case data
        case textOnlyContent
        case tagOpen
        case endTagOpen
        case tagName
        case beforeAttributeName
        case attributeName
        case afterAttributeName
        case beforeAttributeValue
        case attributeValueDoubleQuoted
        case attributeValueSingleQuoted
        case attributeValueUnquoted
        case afterAttributeValueQuoted
        case selfClosingStartTag
        case markupDeclarationOpen
        case bogusComment
        case commentStart
        case commentStartDash
        case comment
        case commentEndDash
        case commentEnd
        case commentEndBang
        case doctype
    }

    /// The input after the standard's preprocessing: CR LF and lone CR become LF.
    private let input: [UInt8]
    private var position = 0
    private var state = State.data

    /// Text read since the last token, emitted as one `.text` token before the next tag or
    /// comment (or at the end).
    private var text: [UInt8] = []
    /// A tag or comment that was completed while text was waiting; it is returned by the
    /// next call so that the text comes out first.
    private var pendingToken: HTMLToken?

    // The tag under construction.
    private var tagIsEndTag = false
    private var tagName: [UInt8] = []
    private var tagAttributes: [HTMLAttribute] = []
    private var tagAttributeNames: Set<String> = []
    private var tagIsSelfClosing = false
    private var attributeName: [UInt8] = []
    private var attributeValue: [UInt8] = []
    private var attributeIsDuplicate = false
    private var hasOpenAttribute = false

    // The comment under construction.
    private var commentText: [UInt8] = []

    // Set by `switchContentModel(_:closedBy:)`.
    private var contentModel = HTMLContentModel.rawText
    private var contentEndTagName: [UInt8] = []

    init(_ source: String) {
        let hasCarriageReturn = source.utf8.withContiguousStorageIfAvailable { $0.contains(.carriageReturn) }
        guard hasCarriageReturn ?? source.utf8.contains(.carriageReturn) else {
            input = Array(source.utf8)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.utf8.count)
        var previousWasCarriageReturn = false
        for byte in source.utf8 {
            if byte == .carriageReturn {
                bytes.append(.lineFeed)
                previousWasCarriageReturn = true
                continue
            }
            if byte == .lineFeed && previousWasCarriageReturn {
                previousWasCarriageReturn = false
                continue
            }
            previousWasCarriageReturn = false
            bytes.append(byte)
        }
        input = bytes
    }

    /// Makes the tokenizer read what follows as the contents of a `script`, `style`,
    /// `textarea`, `plaintext` or similar element, as a browser's tree builder does right
    /// after such a start tag. Call it directly after receiving that start tag.
    ///
    /// - Parameter endTagName: the lower-case name of the element; its end tag (matched
    ///   case-insensitively, as `</name` followed by whitespace, `/` or `>`) ends the text.
    ///   Ignored for `.plainText`, which nothing ends.
    mutating func switchContentModel(_ model: HTMLContentModel, closedBy endTagName: String) {
        contentModel = model
        contentEndTagName = Array(endTagName.utf8)
        state = .textOnlyContent
    }

    /// The next token, or `nil` at the end of the input.
    mutating func next() -> HTMLToken? {
        if let token = pendingToken {
            pendingToken = nil
            return token
        }
        while true {
            let byte: UInt8? = position < input.count ? input[position] : nil
            switch state {
            case .data:
                guard let byte else { return takeText() }
                switch byte {
                case .ampersand:
                    position += 1
                    appendCharacterReference(toText: true)
                case .lessThan:
                    position += 1
                    state = .tagOpen
                default:
                    // Plain text is the bulk of most input: copy the whole run up to the
                    // next "&" or "<" at once. NUL is passed on; the tree stage drops it.
                    let runStart = position
                    while position < input.count, input[position] != .ampersand, input[position] != .lessThan {
                        position += 1
                    }
                    text.append(contentsOf: input[runStart..<position])
                }

            case .textOnlyContent:
                guard let byte else { return takeText() }
                if contentModel != .plainText, byte == .lessThan, endTagOfContentStarts(at: position) {
                    // The end tag is read by the ordinary tag states (it may even carry
                    // attributes); tagName picks up at the whitespace, "/" or ">".
                    beginTag(isEndTag: true)
                    tagName = contentEndTagName
                    position += 2 + contentEndTagName.count
                    state = .tagName
                    continue
                }
                position += 1
                if byte == .ampersand, contentModel == .rcData {
                    appendCharacterReference(toText: true)
                } else if byte == .nul {
                    text.append(contentsOf: Self.replacementCharacter)
                } else {
                    text.append(byte)
                }

            case .tagOpen:
                switch byte {
                case .exclamationMark:
                    position += 1
                    state = .markupDeclarationOpen
                case .solidus:
                    position += 1
                    state = .endTagOpen
                case let letter? where letter.isASCIILetter:
                    beginTag(isEndTag: false)
                    state = .tagName
                case .questionMark:
                    beginComment()
                    state = .bogusComment
                default:
                    // "<" not followed by a tag name is just a less-than sign: "a < b", "<3".
                    text.append(.lessThan)
                    state = .data
                }

            case .endTagOpen:
                switch byte {
                case let letter? where letter.isASCIILetter:
                    beginTag(isEndTag: true)
                    state = .tagName
                case .greaterThan:
                    position += 1  // "</>" is ignored entirely.
                    state = .data
                case nil:
                    text.append(.lessThan)
                    text.append(.solidus)
                    state = .data
                default:
                    beginComment()  // "</3>", "</ x>": a bogus comment.
                    state = .bogusComment
                }

            case .tagName:
                // A tag cut off by the end of the input is discarded, as in browsers.
                guard let byte else { state = .data; continue }
                position += 1
                switch byte {
                case .tab, .lineFeed, .formFeed, .space: state = .beforeAttributeName
                case .solidus: state = .selfClosingStartTag
                case .greaterThan: return emitTag()
                case .nul: tagName.append(contentsOf: Self.replacementCharacter)
                // Anything else, "<" included, is part of the name: "<scr<script>" is one
                // (unknown) tag named "scr<script".
                default: tagName.append(byte.asciiLowercased)
                }

            case .beforeAttributeName:
                switch byte {
                case .tab, .lineFeed, .formFeed, .space:
                    position += 1
                case .solidus, .greaterThan, nil:
                    state = .afterAttributeName
                case .equalsSign:
                    // An attribute name may start with "=" ("<a =x>" has an attribute "=x").
                    position += 1
                    beginAttribute()
                    attributeName.append(.equalsSign)
                    state = .attributeName
                default:
                    beginAttribute()
                    state = .attributeName
                }

            case .attributeName:
                switch byte {
                case .tab, .lineFeed, .formFeed, .space, .solidus, .greaterThan, nil:
                    finishAttributeName()
                    state = .afterAttributeName
                case .equalsSign:
                    position += 1
                    finishAttributeName()
                    state = .beforeAttributeValue
                case .nul:
                    position += 1
                    attributeName.append(contentsOf: Self.replacementCharacter)
                case let other?:
                    // Quotes and "<" are parse errors here but still part of the name.
                    position += 1
                    attributeName.append(other.asciiLowercased)
                }

            case .afterAttributeName:
                switch byte {
                case .tab, .lineFeed, .formFeed, .space:
                    position += 1
                case .solidus:
                    position += 1
                    state = .selfClosingStartTag
                case .equalsSign:
                    position += 1
                    state = .beforeAttributeValue
                case .greaterThan:
                    position += 1
                    return emitTag()
                case nil:
                    state = .data
                default:
                    beginAttribute()
                    state = .attributeName
                }

            case .beforeAttributeValue:
                switch byte {
                case .tab, .lineFeed, .formFeed, .space:
                    position += 1
                case .quotationMark:
                    position += 1
                    state = .attributeValueDoubleQuoted
                case .apostrophe:
                    position += 1
                    state = .attributeValueSingleQuoted
                case .greaterThan:
                    position += 1  // "<a href=>": the value is empty.
                    return emitTag()
                default:
                    state = .attributeValueUnquoted
                }

            case .attributeValueDoubleQuoted, .attributeValueSingleQuoted:
                guard let byte else { state = .data; continue }
                let closingQuote: UInt8 = state == .attributeValueDoubleQuoted ? .quotationMark : .apostrophe
                switch byte {
                case closingQuote:
                    position += 1
                    state = .afterAttributeValueQuoted
                case .ampersand:
                    position += 1
                    appendCharacterReference(toText: false)
                case .nul:
                    position += 1
                    attributeValue.append(contentsOf: Self.replacementCharacter)
                default:
                    let runStart = position
                    while position < input.count, input[position] != closingQuote,
                          input[position] != .ampersand, input[position] != .nul {
                        position += 1
                    }
                    attributeValue.append(contentsOf: input[runStart..<position])
                }

            case .attributeValueUnquoted:
                guard let byte else { state = .data; continue }
                position += 1
                switch byte {
                case .tab, .lineFeed, .formFeed, .space: state = .beforeAttributeName
                case .ampersand: appendCharacterReference(toText: false)
                case .greaterThan: return emitTag()
                case .nul: attributeValue.append(contentsOf: Self.replacementCharacter)
                // Quotes, "<", "=" and "`" are parse errors but part of the value, so
                // <a href=`javascript:x`> has the value "`javascript:x`".
                default: attributeValue.append(byte)
                }

            case .afterAttributeValueQuoted:
                switch byte {
                case .tab, .lineFeed, .formFeed, .space:
                    position += 1
                    state = .beforeAttributeName
                case .solidus:
                    position += 1
                    state = .selfClosingStartTag
                case .greaterThan:
                    position += 1
                    return emitTag()
                case nil:
                    state = .data
                default:
                    // `<a href="x"title="y">`: missing whitespace, a new attribute anyway.
                    state = .beforeAttributeName
                }

            case .selfClosingStartTag:
                switch byte {
                case .greaterThan:
                    position += 1
                    tagIsSelfClosing = true
                    return emitTag()
                case nil:
                    state = .data
                default:
                    // A "/" in the middle of a tag ("<img/src=x>") separates attributes.
                    state = .beforeAttributeName
                }

            case .markupDeclarationOpen:
                if matches("--", at: position, ignoringCase: false) {
                    position += 2
                    beginComment()
                    state = .commentStart
                } else if matches("doctype", at: position, ignoringCase: true) {
                    position += 7
                    state = .doctype
                } else if matches("[CDATA[", at: position, ignoringCase: false) {
                    // CDATA sections exist only in SVG and MathML; in HTML the standard
                    // makes this a bogus comment that ends at the first ">".
                    position += 7
                    beginComment()
                    commentText.append(contentsOf: "[CDATA[".utf8)
                    state = .bogusComment
                } else {
                    beginComment()
                    state = .bogusComment
                }

            case .bogusComment:
                guard let byte else { return emitComment() }
                position += 1
                switch byte {
                case .greaterThan: return emitComment()
                case .nul: commentText.append(contentsOf: Self.replacementCharacter)
                default: commentText.append(byte)
                }

            case .commentStart:
                switch byte {
                case .hyphen:
                    position += 1
                    state = .commentStartDash
                case .greaterThan:
                    position += 1  // "<!-->" is an (abruptly closed) empty comment.
                    return emitComment()
                default:
                    state = .comment
                }

            case .commentStartDash:
                switch byte {
                case .hyphen:
                    position += 1
                    state = .commentEnd
                case .greaterThan:
                    position += 1  // "<!--->" too.
                    return emitComment()
                case nil:
                    return emitComment()
                default:
                    commentText.append(.hyphen)
                    state = .comment
                }

            case .comment:
                guard let byte else { return emitComment() }
                position += 1
                switch byte {
                case .hyphen: state = .commentEndDash
                case .nul: commentText.append(contentsOf: Self.replacementCharacter)
                default: commentText.append(byte)
                }

            case .commentEndDash:
                switch byte {
                case .hyphen:
                    position += 1
                    state = .commentEnd
                case nil:
                    return emitComment()
                default:
                    commentText.append(.hyphen)
                    state = .comment
                }

            case .commentEnd:
                switch byte {
                case .greaterThan:
                    position += 1
                    return emitComment()
                case .exclamationMark:
                    position += 1
                    state = .commentEndBang
                case .hyphen:
                    position += 1
                    commentText.append(.hyphen)
                case nil:
                    return emitComment()
                default:
                    commentText.append(contentsOf: "--".utf8)
                    state = .comment
                }

            case .commentEndBang:
                switch byte {
                case .hyphen:
                    position += 1
                    commentText.append(contentsOf: "--!".utf8)
                    state = .commentEndDash
                case .greaterThan:
                    position += 1  // "--!>" closes a comment too.
                    return emitComment()
                case nil:
                    return emitComment()
                default:
                    commentText.append(contentsOf: "--!".utf8)
                    state = .comment
                }

            case .doctype:
                guard let byte else {
                    state = .data
                    return emitNonText(.doctype)
                }
                position += 1
                if byte == .greaterThan {
                    state = .data
                    return emitNonText(.doctype)
                }
            }
        }
    }

    /// U+FFFD in UTF-8, which the standard puts in place of NUL outside of body text.
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    // MARK: - Emitting tokens

    private mutating func takeText() -> HTMLToken? {
        if text.isEmpty { return nil }
        let token = HTMLToken.text(String(decoding: text, as: UTF8.self))
        text.removeAll(keepingCapacity: true)
        return token
    }

    /// Returns `token`, unless text is waiting: then the text goes first and `token` next.
    private mutating func emitNonText(_ token: HTMLToken) -> HTMLToken {
        guard let waitingText = takeText() else { return token }
        pendingToken = token
        return waitingText
    }

    private mutating func emitTag() -> HTMLToken {
        commitAttribute()
        state = .data
        let name = String(decoding: tagName, as: UTF8.self)
        // An end tag's attributes and "/" are parse errors and carry no meaning.
        let token: HTMLToken = tagIsEndTag
            ? .endTag(name: name)
            : .startTag(HTMLTag(name: name, attributes: tagAttributes, isSelfClosing: tagIsSelfClosing))
        return emitNonText(token)
    }

    private mutating func emitComment() -> HTMLToken {
        state = .data
        return emitNonText(.comment(String(decoding: commentText, as: UTF8.self)))
    }

    // MARK: - Building tags and comments

    private mutating func beginTag(isEndTag: Bool) {
        tagIsEndTag = isEndTag
        tagName.removeAll(keepingCapacity: true)
        tagAttributes = []
        tagAttributeNames.removeAll(keepingCapacity: true)
        tagIsSelfClosing = false
        hasOpenAttribute = false
    }

    private mutating func beginAttribute() {
        commitAttribute()
        attributeName.removeAll(keepingCapacity: true)
        attributeValue.removeAll(keepingCapacity: true)
        attributeIsDuplicate = false
        hasOpenAttribute = true
    }

    /// The standard checks for a repeated name as soon as the name is complete and drops
    /// the newcomer; a set keeps that check constant-time however many attributes a tag has.
    private mutating func finishAttributeName() {
        let name = String(decoding: attributeName, as: UTF8.self)
        attributeIsDuplicate = !tagAttributeNames.insert(name).inserted
    }

    private mutating func commitAttribute() {
        guard hasOpenAttribute else { return }
        hasOpenAttribute = false
        if !attributeIsDuplicate {
            tagAttributes.append(HTMLAttribute(
                name: String(decoding: attributeName, as: UTF8.self),
                value: String(decoding: attributeValue, as: UTF8.self)))
        }
    }

    private mutating func beginComment() {
        commentText.removeAll(keepingCapacity: true)
    }

    // MARK: - Character references

    /// Decodes the character reference that starts just after an already consumed "&" and
    /// appends the result to the text (`toText`) or to the attribute value being read.
    /// When what follows is not a reference, the "&" is kept literally and the characters
    /// after it are read normally, which is what the standard's "flush code points consumed
    /// as a character reference" amounts to.
    private mutating func appendCharacterReference(toText: Bool) {
        guard let reference = characterReference(at: position, inAttributeValue: !toText) else {
            if toText { text.append(.ampersand) } else { attributeValue.append(.ampersand) }
            return
        }
        position = reference.end
        if toText {
            text.append(contentsOf: reference.expansion.utf8)
        } else {
            attributeValue.append(contentsOf: reference.expansion.utf8)
        }
    }

    /// The character reference starting at `start` (just after the "&"): what it stands for
    /// and where the input continues after it, or `nil` when there is none.
    private func characterReference(at start: Int, inAttributeValue: Bool) -> (expansion: String, end: Int)? {
        guard start < input.count else { return nil }
        var index = start

        if input[index] == .numberSign {
            index += 1
            var radix: UInt32 = 10
            if index < input.count, input[index] == UInt8(ascii: "x") || input[index] == UInt8(ascii: "X") {
                radix = 16
                index += 1
            }
            var number: UInt32 = 0
            var digitCount = 0
            while index < input.count, let digit = input[index].digitValue(radix: radix) {
                // Any number of leading zeros is allowed (&#0000106;), and a huge number
                // only has to stay "too big", so clamp instead of overflowing.
                number = min(number * radix + digit, 0x110000)
                digitCount += 1
                index += 1
            }
            guard digitCount > 0 else { return nil }  // "&#", "&#x" and "&#;" stay literal.
            if index < input.count, input[index] == .semicolon { index += 1 }
            let scalar = HTMLEntities.scalarForNumericReference(number)
            return (String(Character(scalar)), index)
        }

        // The name is made of ASCII alphanumerics; no name is longer than the table's
        // longest, so there is no point in looking further.
        while index < input.count, index - start < HTMLEntities.longestNameLength - 1,
              input[index].isASCIIAlphanumeric {
            index += 1
        }
        guard index > start else { return nil }
        if index < input.count, input[index] == .semicolon { index += 1 }
        guard let match = HTMLEntities.longestNamedReference(atStartOf: input[start..<index]) else {
            return nil
        }
        let end = start + match.length
        // In attribute values a semicolon-less reference followed by "=" or an alphanumeric
        // is left alone, so that query strings survive: href="?a=1&copy=2" keeps "&copy=2".
        if inAttributeValue, !match.endsWithSemicolon, end < input.count,
           input[end] == .equalsSign || input[end].isASCIIAlphanumeric {
            return nil
        }
        return (match.expansion, end)
    }

    // MARK: - Lookahead

    private func matches(_ literal: String, at start: Int, ignoringCase: Bool) -> Bool {
        var index = start
        for expected in literal.utf8 {
            guard index < input.count else { return false }
            let actual = ignoringCase ? input[index].asciiLowercased : input[index]
            if actual != expected { return false }
            index += 1
        }
        return true
    }

    /// Whether `start` begins the end tag that closes the current text-only content:
    /// "</", the element's name in any case, then whitespace, "/" or ">". Anything else,
    /// including "</scriptx" or "</script" at the very end, is just text.
    private func endTagOfContentStarts(at start: Int) -> Bool {
        guard start + 1 < input.count, input[start + 1] == .solidus else { return false }
        var index = start + 2
        for expected in contentEndTagName {
            guard index < input.count, input[index].asciiLowercased == expected else { return false }
            index += 1
        }
        guard index < input.count else { return false }
        switch input[index] {
        case .tab, .lineFeed, .formFeed, .space, .solidus, .greaterThan: return true
        default: return false
        }
    }
}

/// The ASCII bytes HTML syntax is made of, and the character classes the tokenizer needs.
/// Private to this file so they cannot collide with similar helpers elsewhere in the module.
private extension UInt8 {
    // Computed rather than stored: a stored static is lazily initialized, and checking
    // that on every byte read costs more than the comparison itself.
    static var nul: UInt8 { 0x00 }
    static var tab: UInt8 { UInt8(ascii: "\t") }
    static var lineFeed: UInt8 { UInt8(ascii: "\n") }
    static var formFeed: UInt8 { 0x0C }
    static var carriageReturn: UInt8 { UInt8(ascii: "\r") }
    static var space: UInt8 { UInt8(ascii: " ") }
    static var exclamationMark: UInt8 { UInt8(ascii: "!") }
    static var quotationMark: UInt8 { UInt8(ascii: "\"") }
    static var numberSign: UInt8 { UInt8(ascii: "#") }
    static var ampersand: UInt8 { UInt8(ascii: "&") }
    static var apostrophe: UInt8 { UInt8(ascii: "'") }
    static var hyphen: UInt8 { UInt8(ascii: "-") }
    static var solidus: UInt8 { UInt8(ascii: "/") }
    static var semicolon: UInt8 { UInt8(ascii: ";") }
    static var lessThan: UInt8 { UInt8(ascii: "<") }
    static var equalsSign: UInt8 { UInt8(ascii: "=") }
    static var greaterThan: UInt8 { UInt8(ascii: ">") }
    static var questionMark: UInt8 { UInt8(ascii: "?") }

    var isASCIILetter: Bool {
        (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }

    var isASCIIAlphanumeric: Bool {
        isASCIILetter || (0x30...0x39).contains(self)
    }

    /// Only A–Z change: HTML tag and attribute names are case-insensitive in ASCII only
    /// (a Unicode-aware lower-casing would, for example, turn the Kelvin sign into "k").
    var asciiLowercased: UInt8 {
        (0x41...0x5A).contains(self) ? self + 0x20 : self
    }

    /// The value of this byte as a digit in base 10 or 16, or `nil` if it is not one.
    func digitValue(radix: UInt32) -> UInt32? {
        switch self {
        case 0x30...0x39: UInt32(self - 0x30)
        case 0x41...0x46 where radix == 16: UInt32(self - 0x41 + 10)
        case 0x61...0x66 where radix == 16: UInt32(self - 0x61 + 10)
        default: nil
        }
    }
}

/// The elements rich text may keep (docs/security.md), with the few facts about each that the
/// sanitizer needs to nest them the way a browser would.
///
/// `br` is not listed: it is a void element, written on its own and never left open.
enum AllowedElement: UInt8, CaseIterable, Sendable {
    case p, strong, em, b, i, u, s, a, ul, ol, li, blockquote, code, pre
    case h1, h2, h3, h4, h5, h6

    /// The element for a lower-case tag name, or `nil` when the name is not allowed.
    init?(tagName: String) {
        guard let element = Self.byTagName[tagName] else { return nil }
        self = element
    }

    private static let byTagName: [String: AllowedElement] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.tagName.description, $0) })

    /// The tag name, as a `StaticString` so that writing it costs a byte copy and nothing
    /// more.
    var tagName: StaticString {
        switch self {
        case .p: "p"
        case .strong: "strong"
        case .em: "em"
        case .b: "b"
        case .i: "i"
        case .u: "u"
        case .s: "s"
        case .a: "a"
        case .ul: "ul"
        case .ol: "ol"
        case .li: "li"
        case .blockquote: "blockquote"
        case .code: "code"
        case .pre: "pre"
        case .h1: "h1"
        case .h2: "h2"
        case .h3: "h3"
        case .h4: "h4"
        case .h5: "h5"
        case .h6: "h6"
        }
    }

    /// Block elements start on a new line, so their edges separate words in the visible
    /// text. They are also exactly the allowed elements whose start tag makes a browser
    /// close an open `p` ("<p>a<ul>" is a paragraph followed by a list, never a list inside
    /// a paragraph).
    var isBlock: Bool {
        switch self {
        case .p, .ul, .ol, .li, .blockquote, .pre, .h1, .h2, .h3, .h4, .h5, .h6: true
        case .strong, .em, .b, .i, .u, .s, .a, .code: false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: true
        default: false
        }
    }

    var isList: Bool {
        self == .ul || self == .ol
    }

    /// The elements that stop a new `li` from closing an earlier one. A browser looks down
    /// the open elements for an `li` to close but gives up at the first element of HTML's
    /// "special" category other than `p`: in "<li><ul><li>" the inner item starts a nested
    /// list instead of closing the outer item.
    var shieldsOuterListItem: Bool {
        isBlock && self != .p
    }
}

/// What happens to everything that is not an allowed element.
enum HTMLDisallowed {
    /// Elements removed together with everything inside them. Their contents are code,
    /// styling, embedded documents, form state or foreign markup, never prose a reader is
    /// meant to see, so keeping their text would only leak things like script source.
    /// Every other disallowed element is removed but its text is kept.
    ///
    /// `embed` is missing on purpose: it is a void element, so it has no contents, and
    /// treating it as a container would swallow the text after it.
    static let elementsDroppedWithContents: Set<String> = [
        "script", "style", "template", "iframe", "object", "noscript", "noembed",
        "noframes", "xmp", "textarea", "title", "select", "svg", "math",
    ]

    /// SVG and MathML roots. Inside them a browser honours `/>` (`<svg/>` is empty) and
    /// does not give `style` or `script` raw-text contents.
    static func isForeignRoot(_ tagName: String) -> Bool {
        tagName == "svg" || tagName == "math"
    }
}

/// Decides which `href` values a link may keep.
enum LinkPolicy {
    /// Returns the URL to write for an `href` attribute, or `nil` when the link must lose
    /// its target.
    ///
    /// The input is the attribute value after character-reference decoding, so
    /// `jav&#x61;script:` has already become `javascript:`. The URL is then normalized the
    /// way a browser's URL parser does before it looks at the scheme: ASCII tab and newline
    /// are removed wherever they are (`jav\tascript:` is `javascript:` to a browser), and
    /// C0 controls and spaces are trimmed from both ends (" javascript:" too). The result
    /// is kept only when it is an absolute URL whose scheme is http or https (followed by
    /// `//` and a host) or mailto (followed by an address). Everything else is refused:
    /// relative and protocol-relative (`//evil.example`) URLs, `javascript:`, `vbscript:`,
    /// `data:`, and anything that still contains a control character, which no genuine
    /// link needs and which could only be there to confuse some parser.
    ///
    /// The normalized form is what gets written, so cleaning the output again keeps it
    /// unchanged.
    static func safeHref(_ decodedValue: String) -> String? {
        // Bytes rather than scalars: every character that matters here is ASCII.
        var value = decodedValue
        var url: [UInt8] = []
        value.withUTF8 { bytes in
            url.reserveCapacity(bytes.count)
            for byte in bytes where byte != 0x09 && byte != 0x0A && byte != 0x0D {
                url.append(byte)
            }
        }
        while let last = url.last, last <= 0x20 { url.removeLast() }
        url.removeFirst(url.firstIndex { $0 > 0x20 } ?? url.count)

        if containsControlCharacter(url) { return nil }
        guard let (scheme, colon) = scheme(of: url) else { return nil }
        let rest = Array(url[(colon + 1)...])
        switch scheme {
        case "http", "https":
            // "//" and then the first character of a host name.
            let slash = UInt8(ascii: "/")
            guard rest.count > 2, rest[0] == slash, rest[1] == slash,
                  !"/\\?#".utf8.contains(rest[2])
            else { return nil }
        case "mailto":
            guard !rest.isEmpty else { return nil }
        default:
            return nil
        }
        return String(decoding: url, as: UTF8.self)
    }

    /// Whether the UTF-8 in `bytes` contains a C0 control, DEL or a C1 control (U+0080 to
    /// U+009F, encoded as 0xC2 followed by 0x80–0x9F).
    private static func containsControlCharacter(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte < 0x20 || byte == 0x7F { return true }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                return true
            }
        }
        return false
    }

    /// The lower-cased scheme of `url`: an ASCII letter, then letters, digits, "+", "-"
    /// or ".", up to the first ":" (whose index comes along). `nil` when `url` does not
    /// start with one, which makes it a relative URL.
    private static func scheme(of url: [UInt8]) -> (name: String, colon: Int)? {
        guard let colon = url.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        var scheme: [UInt8] = []
        for (offset, byte) in url[..<colon].enumerated() {
            let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            let isOtherSchemeCharacter = (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isLetter || (offset > 0 && isOtherSchemeCharacter) else { return nil }
            scheme.append(byte < 0x61 && isLetter ? byte + 0x20 : byte)
        }
        return (String(decoding: scheme, as: UTF8.self), colon)
    }
}

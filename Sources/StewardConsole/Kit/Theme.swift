import Foundation

/// The name of a visual role: what a piece of the screen *is* (a header, a selected row, an
/// error-level log line), never what colour it has. Widgets ask a ``Theme`` for roles, and
/// theme files assign styles to roles, so a new theme never needs a code change.
///
/// Simple roles are camelCase (`tabActive`); families share a dotted prefix
/// (`level.error`, `status.draft`) so that code can build them from data:
/// `ThemeRole(level: "warning")`.
public struct ThemeRole: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral name: String) { self.name = name }

    /// The role for a log level name (`trace` … `critical`), e.g. `level.error`.
    public init(level: String) { self.name = "level." + level.lowercased() }

    /// The role for a post or comment status name, e.g. `status.published`.
    public init(status: String) { self.name = "status." + status.lowercased() }

    public var description: String { name }

    /// The whole screen's background and ordinary text.
    public static let base: ThemeRole = "base"
    /// The top bar with the product name and tabs' surroundings.
    public static let header: ThemeRole = "header"
    /// Titles set into frame borders and dialogs.
    public static let title: ThemeRole = "title"
    /// Box-drawing lines.
    public static let border: ThemeRole = "border"
    public static let tabActive: ThemeRole = "tabActive"
    public static let tabInactive: ThemeRole = "tabInactive"
    /// The column titles of a table.
    public static let tableHeader: ThemeRole = "tableHeader"
    /// The selected row of a table or list.
    public static let selection: ThemeRole = "selection"
    public static let statusBar: ThemeRole = "statusBar"
    /// The key part of a key hint ("q" in "q quit") in the status bar.
    public static let statusKey: ThemeRole = "statusKey"
    /// Secondary text: placeholders, labels, hints.
    public static let muted: ThemeRole = "muted"
    /// Something to draw the eye to that is not a warning: counts, the prompt character.
    public static let accent: ThemeRole = "accent"
    public static let error: ThemeRole = "error"
    public static let warning: ThemeRole = "warning"
    public static let success: ThemeRole = "success"
    public static let info: ThemeRole = "info"
    public static let debug: ThemeRole = "debug"
    /// The surface of dialogs and overlays (confirmations, forms, help).
    public static let dialog: ThemeRole = "dialog"
    public static let dialogBorder: ThemeRole = "dialogBorder"
    /// A dialog button without focus.
    public static let button: ThemeRole = "button"
    /// The dialog button Enter would press.
    public static let buttonFocused: ThemeRole = "buttonFocused"
    /// A text field without focus.
    public static let input: ThemeRole = "input"
    /// The text field that receives typing.
    public static let inputFocused: ThemeRole = "inputFocused"
    /// The message under a field that failed validation.
    public static let inputError: ThemeRole = "inputError"
    /// The cell under the text cursor (the hardware cursor stays hidden; the buffer draws it).
    public static let cursor: ThemeRole = "cursor"
    public static let sparkline: ThemeRole = "sparkline"
    /// Text that matches the current filter or search.
    public static let match: ThemeRole = "match"

    public static let levelTrace: ThemeRole = "level.trace"
    public static let levelDebug: ThemeRole = "level.debug"
    public static let levelInfo: ThemeRole = "level.info"
    public static let levelNotice: ThemeRole = "level.notice"
    public static let levelWarning: ThemeRole = "level.warning"
    public static let levelError: ThemeRole = "level.error"
    public static let levelCritical: ThemeRole = "level.critical"

    public static let statusDraft: ThemeRole = "status.draft"
    public static let statusPublished: ThemeRole = "status.published"
    public static let statusArchived: ThemeRole = "status.archived"
    public static let statusVisible: ThemeRole = "status.visible"
    public static let statusHidden: ThemeRole = "status.hidden"

    /// Every role a theme file may set, each with the role it falls back to when a theme
    /// leaves it out. Chains end at `base`; `base` itself falls back to the terminal's
    /// plain colours.
    public static let known: [ThemeRole: ThemeRole?] = [
        .base: nil,
        .header: .base, .title: .header, .border: .base,
        .tabActive: .selection, .tabInactive: .header, .tableHeader: .header,
        .selection: .base, .statusBar: .base, .statusKey: .statusBar,
        .muted: .base, .accent: .base,
        .error: .base, .warning: .base, .success: .base, .info: .base, .debug: .muted,
        .dialog: .base, .dialogBorder: .border, .button: .dialog, .buttonFocused: .selection,
        .input: .base, .inputFocused: .input, .inputError: .error, .cursor: .selection,
        .sparkline: .accent, .match: .accent,
        .levelTrace: .muted, .levelDebug: .debug, .levelInfo: .info, .levelNotice: .info,
        .levelWarning: .warning, .levelError: .error, .levelCritical: .error,
        .statusDraft: .warning, .statusPublished: .success, .statusArchived: .muted,
        .statusVisible: .success, .statusHidden: .muted,
    ]
}

/// A theme file could not be read or has a mistake. The description is the line an
/// editor or a terminal user can act on: `themes/x.theme:7: unknown colour 'grene'`.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public let fileName: String
    /// 1-based line number, or nil when the whole file is at fault (unreadable).
    public let line: Int?
    public let message: String

    public var description: String {
        if let line { return "\(fileName):\(line): \(message)" }
        return "\(fileName): \(message)"
    }
}

/// Styles for every ``ThemeRole``.
///
/// A theme maps roles to ``Style``s; a role the theme does not set falls back along
/// ``ThemeRole/known`` (so `level.critical` looks like `error` unless a theme says
/// otherwise). Themes are written in a file format (see ``parse(text:fileName:)``); the
/// built-in files are compiled in and a themes folder can add more (``ThemeCatalog``).
/// ``monochrome`` is also a value here, for `NO_COLOR` and colourless terminals.
public struct Theme: Equatable, Sendable {
    /// The theme's name, usually its file name without `.theme`.
    public var name: String
    /// The roles this theme sets itself; lookups of other roles fall back.
    public private(set) var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `role`, following fallbacks for roles this theme does not set.
    public subscript(role: ThemeRole) -> Style {
        var current: ThemeRole? = role
        while let candidate = current {
            if let style = styles[candidate] { return style }
            current = ThemeRole.known[candidate] ?? (candidate == .base ? nil : .base)
        }
        return .plain
    }

    /// Sets or replaces the style of one role.
    public mutating func set(_ style: Style, for role: ThemeRole) {
        styles[role] = style
    }

    /// Attributes only: reverse video for selections and bars, bold for headers and titles.
    /// Used when `NO_COLOR` is set or the terminal has no colours; readable on any
    /// terminal because it never names a colour.
    public static let monochrome = Theme(name: "monochrome", styles: [
        .base: Style(),
        .header: Style(attributes: .bold),
        .title: Style(attributes: .bold),
        .border: Style(),
        .tabActive: Style(attributes: [.reverse, .bold]),
        .tabInactive: Style(),
        .tableHeader: Style(attributes: [.bold, .underline]),
        .selection: Style(attributes: .reverse),
        .statusBar: Style(attributes: .reverse),
        .statusKey: Style(attributes: [.reverse, .bold]),
        .muted: Style(attributes: .dim),
        .accent: Style(attributes: .bold),
        .error: Style(attributes: .bold),
        .warning: Style(attributes: .bold),
        .success: Style(),
        .info: Style(),
        .debug: Style(attributes: .dim),
        .dialog: Style(),
        .dialogBorder: Style(attributes: .bold),
        .button: Style(),
        .buttonFocused: Style(attributes: .reverse),
        .input: Style(attributes: .underline),
        .inputFocused: Style(attributes: [.underline, .bold]),
        .inputError: Style(attributes: .bold),
        .cursor: Style(attributes: .reverse),
        .sparkline: Style(),
        .match: Style(attributes: [.bold, .underline]),
        .levelCritical: Style(attributes: [.bold, .reverse]),
    ])

    /// The same theme for a terminal that has only `count` colours (see
    /// ``Style/reduced(toColorCount:)``). With fewer than 8 colours nothing of the colour
    /// design survives, so the answer is ``monochrome``.
    public func reduced(toColorCount count: Int) -> Theme {
        if count >= 256 { return self }
        if count < 8 { return .monochrome }
        return Theme(name: name, styles: styles.mapValues { $0.reduced(toColorCount: count) })
    }

    /// The theme to use on a terminal with the given colour support: the theme itself,
    /// reduced to the terminal's colours, or ``monochrome``.
    public func adapted(to support: ColorSupport) -> Theme {
        switch support {
        case .none: return .monochrome
        case .colors(let count): return reduced(toColorCount: count)
        }
    }

    // MARK: - Theme files

    /// Reads and parses a theme file; errors name the file as `path` spells it.
    public static func load(path: String) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(fileName: path, line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text: text, fileName: path)
    }

    /// The theme called `name`: `<directory>/<name>.theme` when that file exists, else the
    /// built-in theme of that name; see ``ThemeCatalog/theme(named:)``, which this is.
    public static func load(named name: String, inDirectory directory: String) throws -> Theme {
        try ThemeCatalog(directory: directory).theme(named: name)
    }

    /// Parses the theme file format:
    ///
    /// ```
    /// # comment lines start with '#'; so does a comment after a value
    /// base      = white on default
    /// header    = black on cyan, bold
    /// selection = reverse
    /// muted     = 244
    /// dialog    = on 236
    /// ```
    ///
    /// Each line is `role = style`. A style is an optional colour part, then attributes,
    /// separated by commas: `fg`, `fg on bg` or `on bg`, followed by any of `bold`, `dim`,
    /// `underline`, `reverse`, `italic`. A style of attributes only (`reverse`) is fine.
    /// Colours are `default` (the terminal's own), the names `black red green yellow blue
    /// magenta cyan white`, their `bright-` forms (`grey`/`gray` = `bright-black`), or an
    /// xterm palette number 0–255. Role names are those of ``ThemeRole/known``.
    ///
    /// Mistakes throw a ``ThemeError`` naming `fileName` and the line.
    public static func parse(text: String, fileName: String) throws -> Theme {
        var styles: [ThemeRole: Style] = [:]
        var firstLineOfRole: [ThemeRole: Int] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            func failure(_ message: String) -> ThemeError {
                ThemeError(fileName: fileName, line: lineNumber, message: message)
            }
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            guard let equals = content.firstIndex(of: "=") else {
                throw failure("expected 'role = style', found '\(content)'")
            }
            let roleName = content[..<equals].trimmingCharacters(in: .whitespaces)
            let value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let role = ThemeRole(roleName)
            guard ThemeRole.known.keys.contains(role) else {
                throw failure("unknown role '\(roleName)'")
            }
            if let first = firstLineOfRole[role] {
                throw failure("role '\(roleName)' is already set on line \(first)")
            }
            guard !value.isEmpty else { throw failure("role '\(roleName)' has no style") }
            do {
                styles[role] = try parseStyle(value)
            } catch let message as StyleSyntaxError {
                throw failure(message.text)
            }
            firstLineOfRole[role] = lineNumber
        }
        let name = fileName.split(separator: "/").last.map { String($0) } ?? fileName
        return Theme(name: name.hasSuffix(".theme") ? String(name.dropLast(6)) : name, styles: styles)
    }

    /// The message of a style that does not parse; ``parse(text:fileName:)`` adds the place.
    private struct StyleSyntaxError: Error { let text: String }

    private static func parseStyle(_ value: String) throws -> Style {
        var style = Style()
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for (index, part) in parts.enumerated() {
            if part.isEmpty { throw StyleSyntaxError(text: "empty item in '\(value)'") }
            if let attribute = attribute(named: part) {
                style.attributes.insert(attribute)
                continue
            }
            guard index == 0 else {
                throw StyleSyntaxError(text: "unknown attribute '\(part)'")
            }
            // The colour part: "fg", "fg on bg" or "on bg".
            let words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch words.count {
            case 1:
                style.foreground = try color(named: words[0])
            case 2 where words[0] == "on":
                style.background = try color(named: words[1])
            case 3 where words[1] == "on":
                style.foreground = try color(named: words[0])
                style.background = try color(named: words[2])
            default:
                throw StyleSyntaxError(text: "expected 'fg', 'fg on bg' or 'on bg', found '\(part)'")
            }
        }
        return style
    }

    private static func attribute(named name: String) -> TextAttributes? {
        TextAttributes.byName.first { $0.name == name.lowercased() }?.attribute
    }

    /// Colour names as theme files spell them.
    public static let colorNames: [String: Color] = {
        var names: [String: Color] = ["default": .default, "grey": .brightBlack, "gray": .brightBlack]
        let plain = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        for (index, name) in plain.enumerated() {
            names[name] = Color.named[index]
            names["bright-" + name] = Color.named[index + 8]
        }
        return names
    }()

    private static func color(named name: String) throws -> Color {
        if let color = colorNames[name.lowercased()] { return color }
        if name.allSatisfy(\.isASCIIDigit), let index = Int(name) {
            guard index <= 255 else {
                throw StyleSyntaxError(text: "colour \(index) is outside the palette 0–255")
            }
            return .indexed(UInt8(index))
        }
        throw StyleSyntaxError(text: "unknown colour '\(name)'")
    }

    /// Writes the theme in the file format, one role per line in a stable order. Parsing
    /// the result gives the same theme back.
    public func fileText() -> String {
        func colorName(_ color: Color) -> String {
            if case .indexed(let index) = color { return String(index) }
            return Theme.colorNames.filter { $0.value == color && $0.key != "grey" && $0.key != "gray" }
                .map(\.key).first ?? "default"
        }
        var lines: [String] = []
        for role in styles.keys.sorted(by: { $0.name < $1.name }) {
            let style = styles[role]!
            var parts: [String] = []
            switch (style.foreground, style.background) {
            case (.default, .default): break
            case (let fg, .default): parts.append(colorName(fg))
            case (.default, let bg): parts.append("on " + colorName(bg))
            case (let fg, let bg): parts.append(colorName(fg) + " on " + colorName(bg))
            }
            parts += TextAttributes.byName.filter { style.attributes.contains($0.attribute) }.map(\.name)
            lines.append("\(role.name) = \(parts.isEmpty ? "default" : parts.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// What colours a terminal can show, as a backend reports it; ``Theme/adapted(to:)`` turns
/// a theme into one the terminal can draw.
public enum ColorSupport: Equatable, Sendable {
    /// No colours: `NO_COLOR` is set, or the terminal has none. Use ``Theme/monochrome``.
    case none
    /// The terminal has this many colours (8, 16, 256 or more).
    case colors(Int)
}

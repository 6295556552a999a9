/// A terminal colour as the console thinks of it, before it meets a real terminal.
///
/// Three kinds exist because terminals offer three levels of colour:
/// - ``default``: whatever the terminal's own foreground or background is. Drawing the
///   background in `default` keeps a transparent or custom-coloured terminal looking as
///   its owner set it up.
/// - the sixteen named ANSI colours, which every colour terminal has (the user's palette
///   decides the exact shade, so themes built on them follow the user's taste);
/// - ``indexed(_:)``, a slot of the xterm 256-colour palette: 0–15 are the named colours
///   again, 16–231 a 6×6×6 colour cube and 232–255 a grey ramp.
///
/// ``reduced(toColorCount:)`` maps any colour onto what a smaller terminal can show.
public enum Color: Hashable, Sendable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow
    case brightBlue, brightMagenta, brightCyan, brightWhite
    case indexed(UInt8)

    /// The sixteen named colours in palette order, so that `named[i]` is palette slot `i`.
    public static let named: [Color] = [
        .black, .red, .green, .yellow, .blue, .magenta, .cyan, .white,
        .brightBlack, .brightRed, .brightGreen, .brightYellow,
        .brightBlue, .brightMagenta, .brightCyan, .brightWhite,
    ]

    /// The palette slot a terminal uses for this colour, or `nil` for ``default``
    /// (which ncurses spells as -1).
    public var paletteIndex: Int? {
        switch self {
        case .default: return nil
        case .indexed(let index): return Int(index)
        default: return Color.named.firstIndex(of: self)
        }
    }

    /// The colour that looks closest to this one on a terminal with `count` colours.
    ///
    /// - 256 or more: unchanged.
    /// - 16: palette slots 16–255 become the nearest named colour (by the xterm default
    ///   RGB values); slots 0–15 become their names.
    /// - 8: as for 16, then the bright half folds onto the plain half (bright red → red).
    ///   ``TextAttributes/bold`` makes text brighter on most 8-colour terminals, which is
    ///   why ``Style/reduced(toColorCount:)`` adds it when it folds a foreground.
    /// - fewer than 8: everything becomes ``default``; such a terminal should get
    ///   ``Theme/monochrome`` anyway.
    public func reduced(toColorCount count: Int) -> Color {
        guard let index = paletteIndex else { return .default }
        if count >= 256 { return self }
        if count < 8 { return .default }
        let nearest = index < 16 ? index : Color.nearestNamedIndex(toPaletteIndex: index)
        if count >= 16 { return Color.named[nearest] }
        return Color.named[nearest % 8]
    }

    /// Whether this is one of the eight bright named colours (or their palette slots 8–15).
    public var isBright: Bool {
        guard let index = paletteIndex else { return false }
        return (8..<16).contains(index)
    }

    /// The xterm default red, green and blue (0–255 each) of a palette slot.
    public static func rgb(ofPaletteIndex index: Int) -> (red: Int, green: Int, blue: Int) {
        switch index {
        case 0..<16:
            return sixteenColorRGB[index]
        case 16..<232:
            // The 6×6×6 cube: each axis steps 0, 95, 135, 175, 215, 255.
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            return (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
        default:
            let grey = 8 + (min(index, 255) - 232) * 10
            return (grey, grey, grey)
        }
    }

    /// xterm's default values for the sixteen named colours.
    private static let sixteenColorRGB: [(red: Int, green: Int, blue: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The named colour (0–15) whose default RGB lies nearest to a palette slot's RGB.
    private static func nearestNamedIndex(toPaletteIndex index: Int) -> Int {
        let target = rgb(ofPaletteIndex: index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<16 {
            let rgb = sixteenColorRGB[candidate]
            let dr = rgb.red - target.red, dg = rgb.green - target.green, db = rgb.blue - target.blue
            // Weighted like the eye: green matters most, blue least.
            let distance = 3 * dr * dr + 4 * dg * dg + 2 * db * db
            if distance < bestDistance {
                bestDistance = distance
                best = candidate
            }
        }
        return best
    }
}

/// Text attributes a terminal can combine with colours.
///
/// ``reverse`` swaps foreground and background, which is why the monochrome theme can still
/// show a selection. ``italic`` and ``dim`` are not supported everywhere; terminals that
/// lack them show plain text, so no theme should rely on them alone to carry meaning.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// Attribute names as theme files spell them, in a stable order for messages and output.
    public static let byName: [(name: String, attribute: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]
}

/// How a cell looks: a foreground colour, a background colour and attributes.
///
/// A style with a ``Color/default`` background means "whatever is underneath": widgets
/// draw such a style with ``on(_:)`` over the style of the surface they sit on (a dialog,
/// the status bar), so a theme can say `error = red` once and have red text on every
/// surface.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's own colours with no attributes.
    public static let plain = Style()

    /// This style placed on a surface: a `default` background takes the surface's
    /// background, a `default` foreground the surface's foreground, and the attributes add
    /// up (so bold key hints on a reverse-video status bar stay reversed in monochrome).
    public func on(_ surface: Style) -> Style {
        Style(
            foreground: foreground == .default ? surface.foreground : foreground,
            background: background == .default ? surface.background : background,
            attributes: attributes.union(surface.attributes)
        )
    }

    /// A copy with `attributes` added.
    public func adding(_ attributes: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// The same look on a terminal with `count` colours (see ``Color/reduced(toColorCount:)``).
    /// A bright foreground folded onto a plain colour gains ``TextAttributes/bold``, which
    /// 8-colour terminals traditionally render as the bright shade.
    public func reduced(toColorCount count: Int) -> Style {
        var reduced = Style(
            foreground: foreground.reduced(toColorCount: count),
            background: background.reduced(toColorCount: count),
            attributes: attributes
        )
        if count >= 8 && count < 16 && foreground.reduced(toColorCount: 16).isBright {
            reduced.attributes.insert(.bold)
        }
        return reduced
    }
}

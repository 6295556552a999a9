import Foundation

// Whether a theme's text is readable: the WCAG 2 contrast ratio of every foreground and
// background pair the console draws with it, computed from the xterm-256 palette.

extension Color {
    /// The WCAG 2 relative luminance (0 black … 1 white) of a palette slot at its xterm
    /// default RGB value.
    public static func relativeLuminance(ofPaletteIndex index: Int) -> Double {
        func linear(_ channel: Int) -> Double {
            let value = Double(channel) / 255
            return value <= 0.03928 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        let rgb = rgb(ofPaletteIndex: index)
        return 0.2126 * linear(rgb.red) + 0.7152 * linear(rgb.green) + 0.0722 * linear(rgb.blue)
    }

    /// The WCAG 2 contrast ratio of two palette slots, from 1 (the same) to 21 (black and
    /// white). Normal text needs 4.5.
    public static func contrastRatio(ofPaletteIndex first: Int, _ second: Int) -> Double {
        let lighter = max(relativeLuminance(ofPaletteIndex: first), relativeLuminance(ofPaletteIndex: second))
        let darker = min(relativeLuminance(ofPaletteIndex: first), relativeLuminance(ofPaletteIndex: second))
        return (lighter + 0.05) / (darker + 0.05)
    }
}

extension Theme {
    /// The surfaces roles are drawn on when they have no background of their own, and
    /// which roles the console draws on each: every role on the screen's `base`; the
    /// console's name and the tab bar's note on the `header`; status messages and key
    /// hints on the `statusBar`; messages, borders, help titles and field errors in a
    /// `dialog`; the placeholder in an `input`. A role that sets its own background is
    /// drawn in its own colours wherever it appears.
    public static let drawnSurfaces: [(surface: ThemeRole, roles: [ThemeRole]?)] = [
        (.base, nil),
        (.header, [.title, .muted]),
        (.statusBar, [.muted, .statusKey, .error, .warning, .success, .info, .accent]),
        (.dialog, [.muted, .error, .warning, .success, .info, .accent, .dialogBorder, .header, .inputError]),
        (.input, [.muted]),
    ]

    /// A pair of colours the console draws with this theme that is harder to read than
    /// the minimum.
    public struct ContrastProblem: Equatable, Sendable, CustomStringConvertible {
        public var role: ThemeRole
        public var surface: ThemeRole
        public var foreground: Int
        public var background: Int
        public var ratio: Double

        public var description: String {
            "\(role.name) on \(surface.name): colour \(foreground) on \(background) is \(String(format: "%.2f", ratio)):1"
        }
    }

    /// Every role on every surface it is drawn on (``drawnSurfaces``) whose colours
    /// contrast less than `minimum`.
    ///
    /// `default` is the terminal's own colour, which a theme cannot know; the check
    /// assumes the terminal the theme is made for (`terminalForeground` on
    /// `terminalBackground`, as palette slots). A pair made only of the terminal's own
    /// colours is the terminal's business and is not checked; neither is a role that sets
    /// no colour (it is drawn in the surface's colours, which are checked as the surface).
    public func contrastProblems(terminalForeground: Int, terminalBackground: Int, minimum: Double = 4.5) -> [ContrastProblem] {
        var problems: [ContrastProblem] = []
        let base = self[.base]
        for (surfaceRole, roles) in Self.drawnSurfaces {
            let surface = surfaceRole == .base ? base : self[surfaceRole].on(base)
            let checked = roles ?? ThemeRole.known.keys.sorted { $0.name < $1.name }
            for role in checked {
                let own = self[role]
                guard own.foreground != .default || own.background != .default else { continue }
                // A role with its own background looks the same on every surface: check it once.
                if own.background != .default && surfaceRole != .base { continue }
                let drawn = own.on(surface)
                guard drawn.foreground != .default || drawn.background != .default else { continue }
                let foreground = drawn.foreground.paletteIndex ?? terminalForeground
                let background = drawn.background.paletteIndex ?? terminalBackground
                let ratio = Color.contrastRatio(ofPaletteIndex: foreground, background)
                if ratio < minimum {
                    problems.append(ContrastProblem(role: role, surface: surfaceRole, foreground: foreground, background: background, ratio: ratio))
                }
            }
        }
        return problems
    }
}

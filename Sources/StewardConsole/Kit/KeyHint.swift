/// One key binding as users are told about it: `KeyHint(key: "j/k", action: "move")`.
public struct KeyHint: Equatable, Hashable, Sendable {
    /// How the key is written for people: `"j/k"`, `"Enter"`, `"Ctrl-R"`.
    public var key: String
    /// What it does, short: `"move"`, `"open"`, `"publish"`.
    public var action: String
    /// The heading it appears under in the help overlay ("Navigation", "Posts").
    public var section: String
    /// Whether the status bar shows it too. The status bar has room for a few keys only;
    /// the help overlay lists every key.
    public var isProminent: Bool
    /// A shorter `action` for the status bar, where every column counts at 80 ("filter"
    /// for "filter: words, -word, 4xx, status:404, source:http"); the help shows `action`.
    public var barAction: String?

    public init(key: String, action: String, section: String = "General", isProminent: Bool = false, bar barAction: String? = nil) {
        self.key = key
        self.action = action
        self.section = section
        self.isProminent = isProminent
        self.barAction = barAction
    }
}

/// The keys a screen answers to, declared once and shown in two places: the prominent ones
/// in the ``StatusBar``, all of them grouped by section in the ``HelpOverlay``. Keeping
/// one list means the help cannot drift from what the status bar promises.
public struct KeyHintList: Equatable, Sendable, ExpressibleByArrayLiteral {
    public var hints: [KeyHint]

    public init(_ hints: [KeyHint]) { self.hints = hints }
    public init(arrayLiteral hints: KeyHint...) { self.hints = hints }

    /// The hints for the status bar, in declaration order, each with its short action.
    public var prominent: [KeyHint] {
        hints.filter(\.isProminent).map { hint in
            var short = hint
            if let bar = hint.barAction { short.action = bar }
            return short
        }
    }

    /// The hints grouped by section, sections in order of first appearance.
    public var sections: [(title: String, hints: [KeyHint])] {
        var order: [String] = []
        var grouped: [String: [KeyHint]] = [:]
        for hint in hints {
            if grouped[hint.section] == nil { order.append(hint.section) }
            grouped[hint.section, default: []].append(hint)
        }
        return order.map { ($0, grouped[$0]!) }
    }

    /// This list followed by `other`'s hints (a screen's keys plus the global ones).
    public func appending(_ other: KeyHintList) -> KeyHintList {
        KeyHintList(hints + other.hints)
    }
}

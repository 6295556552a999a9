/// Something that happened at the terminal: a key, a mouse action, a resize, or the
/// timer firing.
///
/// Backends translate their own codes into these, so widgets and screens never see an
/// ncurses constant and tests can script input as plain values.
public enum InputEvent: Equatable, Hashable, Sendable {
    /// A printable character, already decoded from UTF-8 (`"j"`, `"é"`, `"中"`).
    case char(Character)
    case enter
    case escape
    case tab
    /// Shift-Tab.
    case backTab
    case backspace
    /// The forward-delete key.
    case delete
    case up, down, left, right
    case home, end, pageUp, pageDown
    /// A control chord, named by its lower-case letter: Ctrl-A is `.ctrl("a")`. Tab,
    /// Enter and Backspace arrive as themselves, not as Ctrl-I, Ctrl-M and Ctrl-H.
    case ctrl(Character)
    /// Alt (Meta) held with a character; terminals send it as Escape followed by the key.
    case alt(Character)
    /// F1 is `.function(1)`.
    case function(Int)
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows. Also sent once when a loop
    /// starts, so a program learns its size before it first draws.
    case resize(width: Int, height: Int)
    /// The loop's timer: sent at a steady interval so live views (the log tail, rates) can
    /// refresh without input.
    case tick

    /// The character of a plain key press, or nil for anything else. Lets a key map read
    /// `if event.character == "q"`.
    public var character: Character? {
        if case .char(let character) = self { return character }
        return nil
    }
}

/// A mouse action at a cell of the terminal (0-based column and row).
public struct MouseEvent: Equatable, Hashable, Sendable {
    public enum Kind: Equatable, Hashable, Sendable {
        /// The primary button went down: what a click selects with.
        case press
        case release
        case wheelUp
        case wheelDown
    }

    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}

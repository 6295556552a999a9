import Foundation

/// The system clipboard as a terminal program reaches it: by asking the terminal.
///
/// A console may run over SSH, inside tmux, or on a machine without a display server, so
/// it cannot call the desktop's clipboard. Terminals (xterm, iTerm2, kitty, WezTerm,
/// Windows Terminal, foot…) and tmux with `set-clipboard on` take text from the program
/// through OSC 52 instead: `ESC ] 52 ; c ; <base64 of the text> BEL`. The terminal gives
/// no answer, so a program cannot know that the copy arrived; what it can know is when
/// it is pointless to try, and say so. See ``OSC52``.
public protocol TerminalClipboard: AnyObject {
    /// Puts `text` on the clipboard, or says why this terminal cannot.
    func setClipboard(_ text: String) -> ClipboardOutcome
}

/// What came of a copy request.
public enum ClipboardOutcome: Equatable, Sendable {
    /// The OSC 52 sequence was sent to the terminal.
    case sent
    /// Nothing was sent; the reason is a sentence fragment for the status bar
    /// ("TERM=dumb takes no OSC 52").
    case unavailable(String)
}

/// The OSC 52 "set clipboard" control sequence.
public enum OSC52 {
    /// The most bytes of text sent in one sequence. Terminals cap what they accept
    /// (xterm's default and tmux's input buffer are around this; kitty and others drop
    /// larger sequences silently), so a larger copy is refused with a message rather than
    /// lost without one.
    public static let maximumTextBytes = 100_000

    /// `ESC ] 52 ; c ; <base64> BEL`: selection `c` (the clipboard), the text in base64
    /// (so it holds no byte a terminal could act on), ended by BEL, which xterm, tmux and
    /// every terminal that supports OSC 52 accept.
    public static func sequence(for text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }

    /// Why `text` cannot go through OSC 52 whatever the terminal; nil when it can.
    public static func refusal(for text: String) -> String? {
        let bytes = text.utf8.count
        guard bytes > maximumTextBytes else { return nil }
        return "It is too long to copy through the terminal (\(bytes / 1024) KB; OSC 52 takes at most \(maximumTextBytes / 1000) KB)"
    }

    /// Why a terminal of type `term` cannot take OSC 52; nil when it may. A `dumb`
    /// terminal (Emacs' shell buffer, some CI logs) or an unset `TERM` would print the
    /// sequence, or drop it; nothing copies there.
    public static func refusal(term: String?) -> String? {
        guard let term, !term.isEmpty else { return "TERM is not set, so no terminal takes OSC 52" }
        return term == "dumb" ? "TERM=dumb takes no OSC 52" : nil
    }
}

import StewardCore

/// The console's older name for ``TerminalSafe/line(_:)``: one table makes text inert for
/// the console and for `steward logs` alike, so the two can never disagree about what
/// reaches a terminal. Kept only while screens still call it by this name.
public enum InertText {
    /// `text` with every character a terminal would act on replaced by its visible
    /// stand-in; the string itself, without copying, when there is nothing to replace.
    public static func sanitize(_ text: String) -> String {
        TerminalSafe.line(text)
    }
}

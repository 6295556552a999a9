/// Durations written the way people write them in configuration: `90s`, `15m`, `24h`, `7d`.
///
/// The form is a positive whole number followed by exactly one unit letter: `s` seconds,
/// `m` minutes, `h` hours, `d` days. Nothing else is accepted: no bare numbers (is `900`
/// seconds or minutes?), no fractions, no signs, no spaces, no upper-case units (`15M`
/// reads like months), no combinations such as `1h30m` (write `90m`).
public enum DurationText {
    /// How many seconds one of each unit letter stands for.
    static let secondsPerUnit: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

    /// The accepted form, for error messages.
    static let acceptedForm = "a positive whole number followed by s, m, h or d, such as 90s, 15m, 24h or 7d"

    /// The number of seconds `text` stands for, or `nil` when it is not a duration in the
    /// accepted form, is zero, or is too large to count in an `Int`.
    public static func parseSeconds(_ text: String) -> Int? {
        guard let unit = text.last, let multiplier = secondsPerUnit[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        guard let count = Int(digits), count > 0 else { return nil }
        let (seconds, overflowed) = count.multipliedReportingOverflow(by: multiplier)
        return overflowed ? nil : seconds
    }
}

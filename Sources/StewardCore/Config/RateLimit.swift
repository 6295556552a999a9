/// How many requests one client IP may make in a sliding window, from `STEWARD_RATE_LIMIT`.
///
/// Written as `requests/duration`, e.g. `600/1m` for six hundred requests a minute or
/// `20/10s` for short bursts; the duration uses the forms of ``DurationText``.
public struct RateLimit: Sendable, Equatable {
    /// Requests allowed inside one window; at least 1.
    public var requests: Int
    /// The window's length in seconds; at least 1.
    public var windowSeconds: Int

    public init(requests: Int, windowSeconds: Int) {
        self.requests = requests
        self.windowSeconds = windowSeconds
    }

    /// docs/configuration.md's default: 600 requests a minute.
    public static let `default` = RateLimit(requests: 600, windowSeconds: 60)

    /// The accepted form, for error messages.
    static let acceptedForm = "requests/duration with at least 1 request, such as 600/1m or 20/10s"

    /// Reads `requests/duration`, or returns `nil` when `text` is not in that form, the
    /// request count is not a whole number of at least 1, or the duration is not valid.
    public static func parse(_ text: String) -> RateLimit? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let countText = parts[0]
        guard !countText.isEmpty, countText.allSatisfy({ ("0"..."9").contains($0) }),
              let requests = Int(countText), requests >= 1,
              let window = DurationText.parseSeconds(String(parts[1]))
        else { return nil }
        return RateLimit(requests: requests, windowSeconds: window)
    }
}

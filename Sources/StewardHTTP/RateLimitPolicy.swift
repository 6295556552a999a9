/// How many requests one client may make in a window: `STEWARD_RATE_LIMIT`, like `600/1m`.
public struct RateLimitPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed per window (at least 1).
    public var requests: Int
    /// The window, in seconds (at least 1).
    public var windowSeconds: Int

    public init(requests: Int, windowSeconds: Int) {
        self.requests = max(1, requests)
        self.windowSeconds = max(1, windowSeconds)
    }

    /// The default of docs/configuration.md: 600 requests a minute.
    public static let standard = RateLimitPolicy(requests: 600, windowSeconds: 60)

    /// Tokens regained per second by a client's bucket.
    var refillPerSecond: Double { Double(requests) / Double(windowSeconds) }

    public var description: String { "\(requests)/\(windowSeconds)s" }
}

import Hummingbird
import StewardCore

/// Limits each client IP to a ``RateLimitPolicy`` with a ``RateLimiter``.
///
/// A client over its allowance gets 429 problem+json with `Retry-After` (seconds). The
/// health check and the metrics (`/healthz`, `/metrics`) are neither limited nor counted, so
/// monitoring keeps working while a client is throttled.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    /// Paths that are never limited.
    public static let exemptPaths: Set<String> = ["/healthz", "/metrics"]

    let limiter: RateLimiter
    /// The limit shared with the other instances on the database, asked first; `limiter`
    /// answers when it cannot (SQLite, or the database slow or down).
    let shared: SharedRateLimit?

    public init(limiter: RateLimiter, shared: SharedRateLimit? = nil) {
        self.limiter = limiter
        self.shared = shared
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.isExempt(request.uri.path[...]) {
            return try await next(request, context)
        }
        if let shared {
            switch await shared.check(context.clientIP) {
            case .allowed:
                return try await next(request, context)
            case .limited(let retryAfter):
                throw StewardError.throttled(retryAfter: retryAfter, "Too many requests from this client; try again later.")
            case .unavailable:
                break
            }
        }
        switch limiter.check(context.clientIP) {
        case .allowed:
            return try await next(request, context)
        case .limited(let retryAfter):
            throw StewardError.throttled(retryAfter: retryAfter, "Too many requests from this client; try again later.")
        }
    }

    /// Whether `path` (a query, if any, and trailing slashes ignored) is one of
    /// ``exemptPaths``. Asked twice of every request, so it compares bytes and allocates
    /// nothing.
    static func isExempt(_ path: Substring) -> Bool {
        var bytes = path.utf8
        if let query = bytes.firstIndex(of: UInt8(ascii: "?")) { bytes = bytes[..<query] }
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        return exemptPaths.contains { $0.utf8.elementsEqual(bytes) }
    }
}

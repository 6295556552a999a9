/// The settings of the HTTP door that shape its middleware (docs/configuration.md and docs/http-api.md).
///
/// The lead's configuration loader fills it from `STEWARD_ENV`, `STEWARD_CORS_ORIGINS` and
/// `STEWARD_RATE_LIMIT`; the defaults are those of a development machine.
public struct HTTPConfiguration: Sendable, Equatable {
    /// Origins allowed to call the API from a browser (`STEWARD_CORS_ORIGINS`).
    public var allowedOrigins: [String]
    /// True when `STEWARD_ENV` is `production`: adds `Strict-Transport-Security`.
    public var production: Bool
    /// Requests per client IP (`STEWARD_RATE_LIMIT`).
    public var rateLimit: RateLimitPolicy
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes: Int

    public init(
        allowedOrigins: [String] = [],
        production: Bool = false,
        rateLimit: RateLimitPolicy = .standard,
        maximumBodyBytes: Int = BodyLimitMiddleware.defaultMaximumBytes
    ) {
        self.allowedOrigins = allowedOrigins
        self.production = production
        self.rateLimit = rateLimit
        self.maximumBodyBytes = maximumBodyBytes
    }
}

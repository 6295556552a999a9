import NIOCore
import StewardCore

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
    /// Proxies whose `X-Forwarded-For` names the client (`STEWARD_TRUSTED_PROXIES`):
    /// throttling, the rate limit, the log and the audit trail then see the real client.
    public var trustedProxies: [AddressRange]
    /// Timeouts and the connection cap that keep slow or numerous clients from exhausting
    /// the server.
    public var connectionLimits: ConnectionLimits = ConnectionLimits()

    public init(
        allowedOrigins: [String] = [],
        production: Bool = false,
        rateLimit: RateLimitPolicy = .standard,
        maximumBodyBytes: Int = BodyLimitMiddleware.defaultMaximumBytes,
        trustedProxies: [AddressRange] = []
    ) {
        self.allowedOrigins = allowedOrigins
        self.production = production
        self.rateLimit = rateLimit
        self.maximumBodyBytes = maximumBodyBytes
        self.trustedProxies = trustedProxies
    }
}

/// How long a client may take and how many may connect.
public struct ConnectionLimits: Sendable, Equatable {
    /// The request head (line and headers) must arrive within this of the connection or
    /// the previous answer.
    public var headTimeout: TimeAmount = .seconds(10)
    /// The body must arrive within this of the head.
    public var bodyTimeout: TimeAmount = .seconds(30)
    /// A kept-alive connection with no traffic at all is closed after this.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// Connections served at once; more wait in the kernel's accept queue. Well under the
    /// file-descriptor limit, and far above what two cores can serve usefully.
    public var maximumConnections: Int = 8_192
    /// Connections the kernel completes and queues before they are accepted. Hummingbird's
    /// 256 overflowed when a thousand clients connected at once: the kernel dropped their
    /// handshakes and each retried a second or more later (the kernel caps this at
    /// `net.core.somaxconn`, 4,096 here).
    public var backlog: Int = 4_096
    /// Requests answered at once across all connections; the others wait their turn
    /// unread, and `/healthz` and `/metrics` skip the line (``AdmissionGate``).
    public var requestsInProgress: Int = 128

    public init() {}
}

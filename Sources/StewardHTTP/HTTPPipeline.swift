import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import StewardCore

/// The router type of the HTTP door.
public typealias StewardRouter = Router<StewardRequestContext>

/// Steward's middleware chain, assembled in the order of docs/http-api.md, and the router and
/// application built on it.
///
/// ```text
/// RequestIDMiddleware          id on every answer; one log line per request
///   RequestMetricsMiddleware   /metrics counters and the console's ListenerStats
///     SecurityHeadersMiddleware
///       CrossOriginMiddleware  CORS grant and preflights
///         ProblemMiddleware    any error below becomes problem+json
///           MethodNotAllowedMiddleware   405 with Allow for a known path's other methods
///           BodyLimitMiddleware   413 / 415 / 400 malformed JSON
///             authentication      (supplied by the caller: sets context.principal)
///               RateLimitMiddleware   429 per client IP, except /healthz and /metrics
///                 route
/// ```
///
/// The pieces that outlive one router (metrics, listener stats, rate-limit buckets) are
/// created once here, so a listener stopped and started again keeps counting.
///
/// ```swift
/// let pipeline = HTTPPipeline(configuration: httpConfig, logger: logger, authentication: auth)
/// let app = pipeline.makeApplication(host: "127.0.0.1", port: 8080) { router in
///     router.addMetricsRoute(pipeline.metrics)
///     router.get("/healthz") { _, _ in ["status": "ok"] }
/// }
/// try await app.runService()   // `steward serve`: stops on SIGINT/SIGTERM
/// ```
public struct HTTPPipeline: Sendable {
    public let configuration: HTTPConfiguration
    public let logger: Logger
    public let metrics: HTTPMetrics
    public let stats: ListenerStats
    public let rateLimiter: RateLimiter
    /// The rate limit shared across instances, when the database keeps one.
    let sharedRateLimit: SharedRateLimit?
    /// Runs between body parsing and rate limiting; sets ``StewardRequestContext/principal``.
    public let authentication: (any RouterMiddleware<StewardRequestContext>)?

    /// - Parameters:
    ///   - configuration: origins, production flag, rate limit, body limit.
    ///   - logger: receives the request-log lines and the causes of 500s.
    ///   - metrics: the registry `GET /metrics` renders.
    ///   - stats: the live counters the console shows.
    ///   - authentication: the middleware that identifies the caller, if any.
    public init(
        configuration: HTTPConfiguration = HTTPConfiguration(),
        logger: Logger,
        metrics: HTTPMetrics = HTTPMetrics(),
        stats: ListenerStats = ListenerStats(),
        authentication: (any RouterMiddleware<StewardRequestContext>)? = nil,
        sharedRateLimit: SharedRateLimit? = nil
    ) {
        self.sharedRateLimit = sharedRateLimit
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.stats = stats
        self.rateLimiter = RateLimiter(policy: configuration.rateLimit)
        self.authentication = authentication
    }

    /// Adds the chain to `router`.
    ///
    /// Call it before adding any route: Hummingbird applies a middleware only to the routes
    /// added after it (and to the not-found answer).
    public func install(on router: StewardRouter) {
        install(on: router, knownRoutes: KnownRoutes())
    }

    func install(on router: StewardRouter, knownRoutes: KnownRoutes) {
        router.add(middleware: RequestIDMiddleware(logger: logger, trustedProxies: configuration.trustedProxies))
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics, stats: stats))
        router.add(middleware: SecurityHeadersMiddleware<StewardRequestContext>(production: configuration.production))
        router.add(middleware: CrossOriginMiddleware<StewardRequestContext>(allowedOrigins: configuration.allowedOrigins))
        router.add(middleware: ProblemMiddleware(logger: logger))
        router.add(middleware: MethodNotAllowedMiddleware(known: knownRoutes))
        router.add(middleware: BodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes))
        if let authentication {
            Self.add(authentication, to: router)
        }
        router.add(middleware: RateLimitMiddleware(limiter: rateLimiter, shared: sharedRateLimit))
    }

    /// Opens the existential, which `Router.add(middleware:)` cannot take as it is.
    private static func add(_ middleware: some RouterMiddleware<StewardRequestContext>, to router: StewardRouter) {
        router.add(middleware: middleware)
    }

    /// A new router with the chain installed, then `routes` added to it.
    public func makeRouter(routes: (StewardRouter) throws -> Void) rethrows -> StewardRouter {
        let router = StewardRouter(context: StewardRequestContext.self)
        let known = KnownRoutes()
        install(on: router, knownRoutes: known)
        try routes(router)
        known.load(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
        return router
    }

    /// The Hummingbird application serving `routes` behind the chain on `host`:`port`
    /// (port 0 picks a free port; `onServerRunning` receives the bound channel).
    ///
    /// No `Server` header is sent. Run it with `runService()` for SIGINT/SIGTERM handling,
    /// or hand it to an ``HTTPListener`` for a background listener.
    public func makeApplication(
        host: String,
        port: Int,
        routes: (StewardRouter) throws -> Void,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) rethrows -> Application<RouterResponder<StewardRequestContext>> {
        let router = try makeRouter(routes: routes)
        let limits = configuration.connectionLimits
        let gate = AdmissionGate(limit: limits.requestsInProgress)
        return Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestTimeoutHandler(headTimeout: limits.headTimeout, bodyTimeout: limits.bodyTimeout),
                                            AdmissionHandler(gate: gate)],
                idleTimeout: limits.idleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: nil, backlog: limits.backlog,
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections)),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}

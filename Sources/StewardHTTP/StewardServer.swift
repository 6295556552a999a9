import Foundation
import Hummingbird
import Logging
import NIOCore
import StewardCore

/// Steward's HTTP door: the middleware chain of docs/http-api.md in front of every route, over one
/// set of ``Services``.
///
/// Both ways of serving build on it:
///
/// ```swift
/// // steward serve: runs until SIGINT or SIGTERM, letting in-flight requests finish.
/// try await StewardServer(services: services, logger: logger).run(host: "127.0.0.1", port: 8080)
///
/// // the console (and the tests): a listener started and stopped on a background thread.
/// let listener = server.makeListener(host: "127.0.0.1", port: 0)
/// listener.start()
/// ```
///
/// The server holds no state of its own beyond the ``pipeline``: metrics, listener stats
/// and rate-limit buckets live there, so a listener stopped and started again keeps its
/// counts. Routes do no permission checks, validation or auditing: they turn HTTP into
/// service calls (with `context.caller`) and service results into JSON.
public struct StewardServer: Sendable {
    /// The core every route calls into.
    public let services: Services
    /// The middleware chain, with the authentication this server supplies.
    public let pipeline: HTTPPipeline

    /// - Parameters:
    ///   - services: the opened core; its configuration supplies the CORS origins, the
    ///     production flag (HSTS, `Secure` cookies) and the rate limit.
    ///   - logger: receives one line per request, the causes of 500s and the listener's
    ///     start and stop.
    public init(services: Services, logger: Logger) {
        let config = services.config
        let configuration = HTTPConfiguration(
            allowedOrigins: config.corsOrigins,
            production: config.environment == .production,
            rateLimit: RateLimitPolicy(requests: config.rateLimit.requests, windowSeconds: config.rateLimit.windowSeconds),
            trustedProxies: config.trustedProxies
        )
        self.services = services
        self.pipeline = HTTPPipeline(
            configuration: configuration,
            logger: logger,
            authentication: AuthenticationMiddleware(auth: services.auth),
            sharedRateLimit: services.sharedRateLimit
        )
    }

    /// Adds every route of docs/http-api.md to `router`, which must already carry the pipeline's
    /// middleware (``HTTPPipeline/makeRouter(routes:)`` does that).
    public func addRoutes(to router: StewardRouter) throws {
        let document = try OpenAPIDocument.embedded
        let operations = services.operations
        router.get("/healthz") { _, _ -> Response in
            guard await operations.isHealthy() else {
                throw StewardError.internalError("healthz: the database does not answer")
            }
            return .json(Health(status: "ok"))
        }
        router.addMetricsRoute(pipeline.metrics)
        router.addOpenAPIRoute(document)
        APIRoutes(services: services, metrics: pipeline.metrics, cookies: SessionCookies(secure: pipeline.configuration.production))
            .add(to: router)
    }

    /// A router with the middleware and every route: what the listener serves, and what
    /// the OpenAPI coverage test compares with the document.
    public func makeRouter() throws -> StewardRouter {
        try pipeline.makeRouter(routes: addRoutes)
    }

    /// A listener the console starts and stops on a background thread, serving every route.
    /// Port 0 picks a free port, reported by the listener's state once running.
    public func makeListener(host: String, port: Int) -> HTTPListener {
        HTTPListener(host: host, port: port, pipeline: pipeline) { [self] router in
            try addRoutes(to: router)
        }
    }

    /// Serves until SIGINT or SIGTERM, then stops accepting connections, lets in-flight
    /// requests finish and returns. For `steward serve`; throws when the address cannot be
    /// bound.
    /// Serves in the foreground until SIGINT or SIGTERM, as `caller` (the command line's
    /// operator): starting and stopping are checked and audited by the services.
    public func run(host: String, port: Int, caller: Caller = .commandLine) async throws {
        let logger = pipeline.logger
        let application = try pipeline.makeApplication(host: host, port: port, routes: addRoutes) { channel in
            let address = channel.localAddress
            let bound = HTTPListener.State.running(host: address?.ipAddress ?? host, port: address?.port ?? port)
            logger.info("HTTP listener started", metadata: ["address": .string(bound.description)])
        }
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        try await services.server.serve(caller, address: address) {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        }
        logger.info("HTTP listener stopped")
    }
}

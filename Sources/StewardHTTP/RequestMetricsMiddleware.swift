import Hummingbird

/// Counts every answered request in ``HTTPMetrics`` (by route template and status) and in
/// ``ListenerStats`` (totals and requests per second).
///
/// Placed just inside ``RequestIDMiddleware``, it sees the final status of every answer,
/// problems included.
public struct RequestMetricsMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    let metrics: HTTPMetrics
    let stats: ListenerStats

    public init(metrics: HTTPMetrics, stats: ListenerStats) {
        self.metrics = metrics
        self.stats = stats
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, status: status, context: context, since: started)
            return response
        } catch {
            record(request, status: 500, context: context, since: started)
            throw error
        }
    }

    private func record(_ request: Request, status: Int, context: Context, since started: ContinuousClock.Instant) {
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRequest(route: context.matchedRoute, method: request.method.rawValue, status: status, seconds: seconds)
        stats.record(status: status)
    }
}

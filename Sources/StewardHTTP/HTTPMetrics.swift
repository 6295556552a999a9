import Synchronization

/// The outcome of one sign-in attempt, as counted in `steward_logins_total`.
public enum LoginOutcome: String, Sendable, CaseIterable {
    case success, failure, throttled
}

/// A small Prometheus registry for the HTTP door, rendered in text format 0.0.4 at
/// `GET /metrics`.
///
/// - `steward_http_requests_total{route,method,status}`: a counter per route template
///   (`/api/posts/{id}`, or `unmatched`), method and status;
/// - `steward_http_request_duration_seconds{route}`: a latency histogram per route template,
///   with the buckets in ``durationBuckets``;
/// - `steward_logins_total{outcome}`: sign-ins by ``LoginOutcome``.
///
/// Labels come from route templates and a fixed set of methods, never from raw paths, so the
/// number of series stays bounded whatever clients send. It is named `HTTPMetrics` so as not
/// to clash with the `Metrics` module Hummingbird depends on.
public final class HTTPMetrics: Sendable {
    /// The content type of the exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Upper bounds of the latency buckets, in seconds (`+Inf` is implied).
    public static let durationBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// The route label of requests no route matched.
    public static let unmatchedRoute = "unmatched"

    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Histogram {
        /// Cumulative: `counts[i]` is the number of observations ≤ `durationBuckets[i]`.
        var counts = [UInt64](repeating: 0, count: HTTPMetrics.durationBuckets.count)
        var sum = 0.0
        var count: UInt64 = 0

        mutating func observe(_ seconds: Double) {
            for (index, bound) in HTTPMetrics.durationBuckets.enumerated() where seconds <= bound {
                counts[index] += 1
            }
            sum += seconds
            count += 1
        }
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [String: Histogram] = [:]
        var logins: [LoginOutcome: UInt64] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts one answered request.
    /// - Parameters:
    ///   - route: the matched route template, or `nil` when none matched.
    ///   - method: the request method; unusual methods are counted as `OTHER`.
    ///   - status: the response status.
    ///   - seconds: how long the answer took.
    public func recordRequest(route: String?, method: String, status: Int, seconds: Double) {
        let route = route ?? Self.unmatchedRoute
        let key = RequestKey(route: route, method: Self.knownMethods.contains(method) ? method : "OTHER", status: status)
        state.withLock { state in
            state.requests[key, default: 0] += 1
            state.durations[route, default: Histogram()].observe(max(0, seconds))
        }
    }

    /// Counts one sign-in attempt.
    public func recordLogin(_ outcome: LoginOutcome) {
        state.withLock { $0.logins[outcome, default: 0] += 1 }
    }

    /// The number of requests counted for one series.
    public func requestCount(route: String?, method: String, status: Int) -> UInt64 {
        let key = RequestKey(route: route ?? Self.unmatchedRoute, method: method, status: status)
        return state.withLock { $0.requests[key] ?? 0 }
    }

    /// The number of sign-ins counted with `outcome`.
    public func loginCount(_ outcome: LoginOutcome) -> UInt64 {
        state.withLock { $0.logins[outcome] ?? 0 }
    }

    /// Every metric in the Prometheus text exposition format 0.0.4, series in a stable order.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []

        lines.append("# HELP steward_http_requests_total HTTP requests by route template, method and status.")
        lines.append("# TYPE steward_http_requests_total counter")
        let requestKeys = snapshot.requests.keys.sorted {
            ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status)
        }
        for key in requestKeys {
            let labels = "route=\"\(Self.escape(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\""
            lines.append("steward_http_requests_total{\(labels)} \(snapshot.requests[key] ?? 0)")
        }

        lines.append("# HELP steward_http_request_duration_seconds HTTP request latency by route template.")
        lines.append("# TYPE steward_http_request_duration_seconds histogram")
        for route in snapshot.durations.keys.sorted() {
            guard let histogram = snapshot.durations[route] else { continue }
            let label = "route=\"\(Self.escape(route))\""
            for (index, bound) in Self.durationBuckets.enumerated() {
                lines.append("steward_http_request_duration_seconds_bucket{\(label),le=\"\(bound)\"} \(histogram.counts[index])")
            }
            lines.append("steward_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)")
            lines.append("steward_http_request_duration_seconds_sum{\(label)} \(histogram.sum)")
            lines.append("steward_http_request_duration_seconds_count{\(label)} \(histogram.count)")
        }

        lines.append("# HELP steward_logins_total Sign-in attempts by outcome.")
        lines.append("# TYPE steward_logins_total counter")
        for outcome in LoginOutcome.allCases {
            lines.append("steward_logins_total{outcome=\"\(outcome.rawValue)\"} \(snapshot.logins[outcome] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes a label value: backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

import Foundation
import StewardHTTP
import XCTest

final class MetricsTests: XCTestCase {
    func testMetricsCountRequestsByRouteTemplateAndStatus() async throws {
        try await withTestServer { server in
            _ = try await server.get("/hello")
            _ = try await server.get("/hello")
            _ = try await server.get("/users/42")
            _ = try await server.get("/users/43")
            _ = try await server.get("/boom")
            _ = try await server.get("/no/such/route")
            server.metrics.recordLogin(.success)
            server.metrics.recordLogin(.throttled)
            server.metrics.recordLogin(.throttled)

            let response = try await server.get("/metrics")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
            let lines = Set(response.text.split(separator: "\n").map(String.init))
            for expected in [
                #"steward_http_requests_total{route="/hello",method="GET",status="200"} 2"#,
                #"steward_http_requests_total{route="/users/{id}",method="GET",status="200"} 2"#,
                #"steward_http_requests_total{route="/boom",method="GET",status="500"} 1"#,
                #"steward_http_requests_total{route="unmatched",method="GET",status="404"} 1"#,
                #"steward_http_request_duration_seconds_count{route="/users/{id}"} 2"#,
                #"steward_http_request_duration_seconds_bucket{route="/hello",le="+Inf"} 2"#,
                #"steward_logins_total{outcome="success"} 1"#,
                #"steward_logins_total{outcome="failure"} 0"#,
                #"steward_logins_total{outcome="throttled"} 2"#,
                "# TYPE steward_http_requests_total counter",
                "# TYPE steward_http_request_duration_seconds histogram",
                "# TYPE steward_logins_total counter",
            ] {
                XCTAssertTrue(lines.contains(expected), "missing: \(expected)")
            }
            XCTAssertFalse(response.text.contains("/users/42"), "raw paths never become labels")
            XCTAssertFalse(response.text.contains("/no/such/route"))
        }
    }

    func testHistogramBucketsAreCumulative() {
        let metrics = HTTPMetrics()
        metrics.recordRequest(route: "/r", method: "GET", status: 200, seconds: 0.003)
        metrics.recordRequest(route: "/r", method: "GET", status: 200, seconds: 0.2)
        metrics.recordRequest(route: "/r", method: "BREW", status: 418, seconds: 30)
        let text = metrics.render()
        XCTAssertTrue(text.contains(#"steward_http_request_duration_seconds_bucket{route="/r",le="0.001"} 0"#))
        XCTAssertTrue(text.contains(#"steward_http_request_duration_seconds_bucket{route="/r",le="0.005"} 1"#))
        XCTAssertTrue(text.contains(#"steward_http_request_duration_seconds_bucket{route="/r",le="0.25"} 2"#))
        XCTAssertTrue(text.contains(#"steward_http_request_duration_seconds_bucket{route="/r",le="10.0"} 2"#))
        XCTAssertTrue(text.contains(#"steward_http_request_duration_seconds_bucket{route="/r",le="+Inf"} 3"#))
        XCTAssertTrue(text.contains(#"steward_http_requests_total{route="/r",method="OTHER",status="418"} 1"#))
        XCTAssertEqual(metrics.requestCount(route: "/r", method: "GET", status: 200), 2)
    }

    func testListenerStatsCountErrorsAndRequestsPerSecond() {
        let clock = ManualClock()
        let stats = ListenerStats(now: clock.now)
        for status in [200, 201, 404, 429, 500] { stats.record(status: status) }
        clock.advance(1)
        for _ in 0..<10 { stats.record(status: 200) }
        clock.advance(1)
        var snapshot = stats.snapshot()
        XCTAssertEqual(snapshot.totalRequests, 15)
        XCTAssertEqual(snapshot.clientErrors, 2)
        XCTAssertEqual(snapshot.serverErrors, 1)
        XCTAssertEqual(snapshot.requestsPerSecond, 15.0 / 5.0, accuracy: 0.0001)
        XCTAssertEqual(snapshot.history.count, ListenerStats.historySeconds)
        XCTAssertEqual(snapshot.history.suffix(2).map(\.requests), [5, 10])
        XCTAssertEqual(snapshot.history.suffix(2).map(\.serverErrors), [1, 0])

        clock.advance(6)
        snapshot = stats.snapshot()
        XCTAssertEqual(snapshot.requestsPerSecond, 0, "only the last five seconds count")
        XCTAssertEqual(snapshot.totalRequests, 15)

        clock.advance(Double(ListenerStats.historySeconds) * 2)
        stats.record(status: 200)
        clock.advance(1)
        snapshot = stats.snapshot()
        XCTAssertEqual(snapshot.history.reduce(0) { $0 + $1.requests }, 1, "old seconds in the ring are not counted again")
    }

    func testLiveStatsFollowTheListener() async throws {
        try await withTestServer { server in
            _ = try await server.get("/hello")
            _ = try await server.get("/no-such-route")
            _ = try await server.get("/boom")
            let snapshot = server.listener.stats.snapshot()
            XCTAssertEqual(snapshot.totalRequests, 3)
            XCTAssertEqual(snapshot.clientErrors, 1)
            XCTAssertEqual(snapshot.serverErrors, 1)
        }
    }
}

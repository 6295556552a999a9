import Foundation
import StewardHTTP
import Synchronization
import XCTest

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let time = Mutex(1000.0)
    var now: @Sendable () -> Double { { self.time.withLock { $0 } } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
}

final class RateLimitTests: XCTestCase {
    func testAClientOverItsAllowanceGets429WithRetryAfterButHealthAndMetricsStayOpen() async throws {
        try await withTestServer(HTTPConfiguration(rateLimit: RateLimitPolicy(requests: 3, windowSeconds: 60))) { server in
            for _ in 0..<3 {
                let status = try await server.get("/hello").status
                XCTAssertEqual(status, 200)
            }
            let limited = try await server.get("/hello")
            XCTAssertEqual(limited.status, 429)
            XCTAssertEqual(limited.header("Retry-After"), "20", "one token per 20 s")
            XCTAssertEqual(limited.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(try limited.json(ProblemBody.self).title, "Too Many Requests")
            XCTAssertNotNil(limited.header("X-Request-Id"))

            for _ in 0..<5 {
                let health = try await server.get("/healthz").status
                XCTAssertEqual(health, 200)
                let metrics = try await server.get("/metrics").status
                XCTAssertEqual(metrics, 200)
            }
            let other = try await server.get("/no-such-route").status
            XCTAssertEqual(other, 429, "every other path is limited")
        }
    }

    func testTokensRefillOverTime() {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(requests: 2, windowSeconds: 10), now: clock.now)
        XCTAssertEqual(limiter.check("a"), .allowed)
        XCTAssertEqual(limiter.check("a"), .allowed)
        XCTAssertEqual(limiter.check("a"), .limited(retryAfter: 5))
        XCTAssertEqual(limiter.check("b"), .allowed, "clients are counted apart")
        clock.advance(2)
        XCTAssertEqual(limiter.check("a"), .limited(retryAfter: 3))
        clock.advance(3)
        XCTAssertEqual(limiter.check("a"), .allowed)
        XCTAssertEqual(limiter.check("a"), .limited(retryAfter: 5))
        clock.advance(60)
        XCTAssertEqual(limiter.check("a"), .allowed)
        XCTAssertEqual(limiter.check("a"), .allowed, "a full bucket again, never more")
        XCTAssertEqual(limiter.check("a"), .limited(retryAfter: 5))
    }

    func testTrackedClientsStayBounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(requests: 5, windowSeconds: 60), maximumClientsPerShard: 8, now: clock.now)
        for index in 0..<5000 {
            _ = limiter.check("10.0.\(index / 256).\(index % 256)")
        }
        XCTAssertLessThanOrEqual(limiter.trackedClients, 16 * 8)

        let idle = RateLimiter(policy: RateLimitPolicy(requests: 5, windowSeconds: 60), now: clock.now)
        for index in 0..<300 { _ = idle.check("client-\(index)") }
        XCTAssertEqual(idle.trackedClients, 300)
        clock.advance(61)
        // Enough new clients that every shard makes its periodic sweep at least once.
        for index in 0..<(512 * 16) { _ = idle.check("later-\(index)") }
        XCTAssertEqual(idle.trackedClients, 512 * 16, "the 300 clients idle for a whole window are forgotten")
    }
}

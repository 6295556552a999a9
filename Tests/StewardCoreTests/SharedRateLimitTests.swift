import Foundation
import XCTest
@testable import StewardCore

/// The shared rate limit on a backend that keeps no shared bucket (SQLite). PostgreSQL's
/// side, where the bucket is shared, is in `PostgresStoreTests`.
final class SharedRateLimitTests: XCTestCase {
    /// SQLite answers "not shared" to the first lease request, and that answer holds for
    /// good: later checks answer at once, without a task, a timer or a trip to the store
    /// (the HTTP door then uses its own limiter). It once kept asking, about once per 30
    /// requests under load, each time with a task group and a 100 ms timer.
    func testWithoutASharedBucketItAsksOnceAndNeverAgain() async throws {
        try skipOnPostgres("PostgreSQL keeps a shared bucket")
        let world = try TestWorld()
        let limiter = SharedRateLimit(store: world.services.store, limit: RateLimit(requests: 10, windowSeconds: 60))
        // The first requests arrive together and share the one lease request.
        let first = await withTaskGroup(of: SharedRateLimit.Decision.self) { group in
            for _ in 0..<20 { group.addTask { await limiter.check("203.0.113.9") } }
            return await group.reduce(into: [SharedRateLimit.Decision]()) { $0.append($1) }
        }
        XCTAssertEqual(first, Array(repeating: .unavailable, count: 20))
        for client in ["203.0.113.9", "198.51.100.4"] {
            for _ in 0..<50 {
                let decision = await limiter.check(client)
                XCTAssertEqual(decision, .unavailable)
            }
        }
        XCTAssertEqual(limiter.roundTrips.load(ordering: .relaxed), 1)
    }
}

import Foundation
import Logging
import Synchronization
@testable import StewardHTTP
import XCTest

/// The admission gate: at most its limit of requests answered at once, the others let in
/// one for each that finishes, in order, and `/healthz` never waiting in the line.
final class AdmissionGateTests: XCTestCase {
    func testTheGateLetsInItsLimitThenOneForEachThatLeavesInOrder() {
        let gate = AdmissionGate(limit: 2)
        let admitted = Mutex<[Int]>([])
        XCTAssertNil(gate.enter { admitted.withLock { $0.append(1) } })
        XCTAssertNil(gate.enter { admitted.withLock { $0.append(2) } })
        let third = gate.enter { admitted.withLock { $0.append(3) } }
        let fourth = gate.enter { admitted.withLock { $0.append(4) } }
        let fifth = gate.enter { admitted.withLock { $0.append(5) } }
        XCTAssertNotNil(third)
        XCTAssertEqual(admitted.withLock { $0 }, [], "the first two entered at once, the others wait")
        XCTAssertTrue(gate.leave(), "one left while others wait: a sweep is asked for")
        XCTAssertEqual(admitted.withLock { $0 }, [], "a place is given at the next read, not at once")
        gate.admitWaiting()
        XCTAssertEqual(admitted.withLock { $0 }, [3], "a read: the longest waiting came in")
        XCTAssertTrue(gate.cancel(ticket: try! XCTUnwrap(fourth)), "a waiting request can be withdrawn")
        XCTAssertFalse(gate.cancel(ticket: try! XCTUnwrap(third)), "an admitted one cannot")
        XCTAssertFalse(gate.leave(), "a sweep is already pending")
        XCTAssertTrue(gate.sweep(), "a read came since the sweep was asked for: it lets no one in, and asks again")
        XCTAssertEqual(admitted.withLock { $0 }, [3])
        XCTAssertFalse(gate.sweep(), "no read since: the sweep lets the last one in, and none is left waiting")
        XCTAssertEqual(admitted.withLock { $0 }, [3, 5], "the withdrawn one is skipped")
        XCTAssertFalse(gate.leave())
        XCTAssertFalse(gate.leave())
        XCTAssertEqual(gate.inProgress, 0)
        XCTAssertNil(gate.enter {}, "every place is free again")
        _ = fifth
    }

    func testOverLoopbackTheSecondRequestWaitsAndTheHealthCheckDoesNot() async throws {
        var configuration = HTTPConfiguration()
        configuration.connectionLimits.requestsInProgress = 1
        let pipeline = HTTPPipeline(configuration: configuration, logger: Logger(label: "gate-test"))
        let entered = Atomic<Int>(0)
        let released = Atomic<Int>(0)
        let listener = HTTPListener(host: "127.0.0.1", port: 0, pipeline: pipeline) { router in
            router.get("/slow") { _, _ -> String in
                let number = entered.add(1, ordering: .relaxed).newValue
                while released.load(ordering: .relaxed) < number { try await Task.sleep(for: .milliseconds(5)) }
                return "done \(number)"
            }
            router.post("/slow") { request, _ -> String in
                let number = entered.add(1, ordering: .relaxed).newValue
                let body = try await request.body.collect(upTo: 1 << 20)
                while released.load(ordering: .relaxed) < number { try await Task.sleep(for: .milliseconds(5)) }
                return "done \(number), \(body.readableBytes) bytes"
            }
            router.get("/healthz") { _, _ in "ok" }
        }
        listener.start()
        guard case .running(_, let port) = await listener.waitUntilStarted() else { return XCTFail("the listener did not start") }
        async let first = RawHTTPClient.send(port: port, "GET", "/slow")
        try await waitUntil { entered.load(ordering: .relaxed) == 1 }
        // An upload larger than one read: held at the gate, then read on once let in.
        async let second = RawHTTPClient.send(port: port, "POST", "/slow", headers: [("Content-Type", "application/json")],
                                               body: Data(("{\"a\":\"" + String(repeating: "a", count: 299_992) + "\"}").utf8))
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(entered.load(ordering: .relaxed), 1, "the second request waits at the gate, not in its route")
        let health = try await RawHTTPClient.send(port: port, "GET", "/healthz")
        XCTAssertEqual(health.status, 200, "the health check skips the line")
        released.store(1, ordering: .relaxed)
        try await waitUntil { entered.load(ordering: .relaxed) == 2 }
        released.store(2, ordering: .relaxed)
        let answers = try await [first, second]
        XCTAssertEqual(answers.map(\.status), [200, 200], answers.map(\.text).joined(separator: " / "))
        XCTAssertEqual(answers.map { String(decoding: $0.body, as: UTF8.self) }, ["done 1", "done 2, 300000 bytes"])
        await listener.stop()
    }

    /// The paths that neither wait at the gate nor count against a client's limit: the
    /// health check and the metrics, with or without a query or trailing slashes; nothing
    /// that only starts like them.
    func testOnlyHealthAndMetricsSkipTheLine() {
        for path in ["/healthz", "/healthz/", "/healthz//", "/healthz?verbose=1", "/metrics", "/metrics/?x=/y"] {
            XCTAssertTrue(RateLimitMiddleware.isExempt(path[...]), path)
        }
        for path in ["", "/", "//", "/healthzz", "/healthz.json", "/api/healthz", "/metrics2", "/Healthz", "?/healthz", "/api/posts?next=/healthz"] {
            XCTAssertFalse(RateLimitMiddleware.isExempt(path[...]), path)
        }
        XCTAssertTrue(RateLimitMiddleware.isExempt("/x/healthz".dropFirst(2)), "a substring is compared by its own bytes")
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertTrue(condition())
    }
}

import Foundation
import Logging
import StewardHTTP
import XCTest

final class HTTPListenerTests: XCTestCase {
    private func makeListener(port: Int = 0) -> HTTPListener {
        let pipeline = HTTPPipeline(logger: LogRecorder().logger())
        return HTTPListener(host: "127.0.0.1", port: port, pipeline: pipeline) { router in
            router.get("/healthz") { _, _ in ["status": "ok"] }
        }
    }

    func testStartsOnAFreePortAnswersAndStopsCleanly() async throws {
        let listener = makeListener()
        XCTAssertEqual(listener.state, .stopped)
        listener.start()
        let state = await listener.waitUntilStarted()
        guard case .running(let host, let port) = state else {
            return XCTFail("not running: \(state)")
        }
        XCTAssertEqual(host, "127.0.0.1")
        XCTAssertGreaterThan(port, 0)
        XCTAssertEqual(listener.state, state)
        XCTAssertEqual(state.description, "127.0.0.1:\(port)")

        let response = try await RawHTTPClient.send(port: port, "GET", "/healthz")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, #"{"status":"ok"}"#)
        XCTAssertEqual(listener.stats.snapshot().totalRequests, 1)

        await listener.stop()
        XCTAssertEqual(listener.state, .stopped)
        let stillListening = await RawHTTPClient.isListening(port: port)
        XCTAssertFalse(stillListening, "the port is closed after stop()")
    }

    func testRestartsAndKeepsCounting() async throws {
        let listener = makeListener()
        listener.start()
        guard case .running(_, let firstPort) = await listener.waitUntilStarted() else { return XCTFail("first start") }
        _ = try await RawHTTPClient.send(port: firstPort, "GET", "/healthz")
        await listener.stop()

        listener.start()
        guard case .running(_, let secondPort) = await listener.waitUntilStarted() else { return XCTFail("second start") }
        _ = try await RawHTTPClient.send(port: secondPort, "GET", "/healthz")
        XCTAssertEqual(listener.stats.snapshot().totalRequests, 2)
        await listener.stop()
    }

    func testStartingTwiceIsHarmless() async throws {
        let listener = makeListener()
        listener.start()
        listener.start()
        let state = await listener.waitUntilStarted()
        listener.start()
        XCTAssertEqual(listener.state, state)
        await listener.stop()
        await listener.stop()
        XCTAssertEqual(listener.state, .stopped)
    }

    func testATakenPortIsReportedAsAFailure() async throws {
        let first = makeListener()
        first.start()
        guard case .running(_, let port) = await first.waitUntilStarted() else { return XCTFail("first start") }

        let second = makeListener(port: port)
        second.start()
        let state = await second.waitUntilStarted()
        guard case .failed(let message) = state else {
            await second.stop()
            await first.stop()
            return XCTFail("expected a failure, got \(state)")
        }
        XCTAssertTrue(message.contains("\(port)"), message)
        XCTAssertTrue(message.lowercased().contains("in use"), message)
        XCTAssertEqual(second.state, state)

        await first.stop()
        second.start()
        let retried = await second.waitUntilStarted()
        guard case .running = retried else { return XCTFail("a failed listener can start again: \(retried)") }
        await second.stop()
    }

    func testStopAndWaitFromAPlainThread() async throws {
        let listener = makeListener()
        listener.start()
        _ = await listener.waitUntilStarted()
        let stopped = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: listener.stopAndWait(timeout: .seconds(10)))
            }
        }
        XCTAssertTrue(stopped)
        XCTAssertEqual(listener.state, .stopped)
    }
}

import Foundation
import Logging
import StewardCore
@testable import StewardHTTP
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The head and body deadlines of `RequestTimeoutHandler`, over real loopback sockets with
/// a head timeout of 300 ms: a head never finished is cut, and a kept-alive connection whose
/// requests each come in time is not, however long it lives.
final class RequestTimeoutTests: XCTestCase {
    func testASlowHeadIsCutButAPromptKeptAliveConnectionLivesOn() async throws {
        let world = try await APIWorld.start()
        var configuration = HTTPConfiguration()
        configuration.connectionLimits.headTimeout = .milliseconds(300)
        configuration.connectionLimits.bodyTimeout = .seconds(5)
        let pipeline = HTTPPipeline(configuration: configuration, logger: Logger(label: "timeout-test"),
                                    authentication: AuthenticationMiddleware(auth: world.services.auth))
        let listener = HTTPListener(host: "127.0.0.1", port: 0, pipeline: pipeline) { router in
            router.get("/ping") { _, _ in "pong" }
        }
        listener.start()
        guard case .running(_, let port) = await listener.waitUntilStarted() else {
            await world.stop()
            return XCTFail("the listener did not start")
        }
        let outcome = try await Self.exerciseOffThePool(port: port)
        await listener.stop()
        await world.stop()
        XCTAssertEqual(outcome.answered, 8, "every request on the kept-alive connection is answered")
        XCTAssertTrue(outcome.slowHeadClosed, "a head not finished within the timeout closes the connection")
        XCTAssertFalse(outcome.slowHeadAnswered)
    }

    private struct Outcome: Sendable {
        var answered = 0
        var slowHeadClosed = false
        var slowHeadAnswered = false
    }

    private static func exerciseOffThePool(port: Int) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try exercise(port: port) }) }
        }
    }

    /// Blocking socket work, on a thread of its own.
    private static func exercise(port: Int) throws -> Outcome {
        var outcome = Outcome()
        // Eight requests 100 ms apart on one connection: 0.8 s, well past the head timeout,
        // but each head arrives within 300 ms of the previous answer.
        let kept = try connect(port: port)
        defer { close(kept) }
        for _ in 0..<8 {
            try send(kept, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            if receive(kept).contains("pong") { outcome.answered += 1 }
            usleep(100_000)
        }
        // A head that stops halfway: the server closes the socket (a read returns 0).
        let slow = try connect(port: port)
        defer { close(slow) }
        try send(slow, "GET /ping HTTP/1.1\r\nHost: x\r\n")
        let answer = receive(slow, timeoutSeconds: 3)
        outcome.slowHeadAnswered = answer.contains("pong")
        outcome.slowHeadClosed = answer.isEmpty || answer.hasSuffix("<closed>")
        return outcome
    }

    private static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, result == 0 else { throw RawHTTPClient.Failure(description: "cannot connect to \(port)") }
        return fd
    }

    private static func send(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, 0) == bytes.count else { throw RawHTTPClient.Failure(description: "send failed") }
    }

    /// What arrives within `timeoutSeconds` (one read), with `<closed>` appended when the
    /// peer closed the connection.
    private static func receive(_ fd: Int32, timeoutSeconds: Int = 2) -> String {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count == 0 { return "<closed>" }
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}

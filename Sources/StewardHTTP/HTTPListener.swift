import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The HTTP API running in the background of another program: the console's `S` key, and
/// tests.
///
/// ``start()`` returns at once; the application runs in a `ServiceGroup` on a detached task,
/// without signal handling (the console owns the terminal and its signals). The state moves
/// `stopped → starting → running(host, port)` (or `failed(message)`, say when the port is
/// taken) and back to `stopped` after ``stop()``; it can be read from any thread. Port 0
/// binds a free port, reported in ``State/running(host:port:)``.
///
/// ```swift
/// let listener = HTTPListener(host: "127.0.0.1", port: 0, pipeline: pipeline) { router in
///     router.get("/healthz") { _, _ in ["status": "ok"] }
/// }
/// listener.start()
/// if case .running(let host, let port) = await listener.waitUntilStarted() { … }
/// await listener.stop()          // or listener.stopAndWait() from a non-async thread
/// ```
///
/// `routes` is called on every start to build a fresh router behind the pipeline's
/// middleware; the pipeline's metrics and ``stats`` carry over from one run to the next.
public final class HTTPListener: Sendable {
    /// Where the listener is in its life.
    public enum State: Sendable, Equatable, CustomStringConvertible {
        case stopped
        case starting
        case running(host: String, port: Int)
        case failed(String)

        public var description: String {
            switch self {
            case .stopped: "off"
            case .starting: "starting"
            case .running(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .failed(let message): "failed: \(message)"
            }
        }
    }

    public let host: String
    public let port: Int
    public let pipeline: HTTPPipeline
    private let routes: @Sendable (StewardRouter) throws -> Void
    private let control = Mutex(Control())

    private struct Control {
        var state: State = .stopped
        var group: ServiceGroup?
        var task: Task<Void, Never>?
        var stopRequested = false
        var startWaiters: [CheckedContinuation<State, Never>] = []
    }

    /// - Parameters:
    ///   - host: the address to bind, like `127.0.0.1`.
    ///   - port: the port to bind; 0 picks a free one.
    ///   - pipeline: the middleware chain, logger, metrics and stats.
    ///   - routes: adds the routes to a router that already has the middleware.
    public init(
        host: String,
        port: Int,
        pipeline: HTTPPipeline,
        routes: @escaping @Sendable (StewardRouter) throws -> Void
    ) {
        self.host = host
        self.port = port
        self.pipeline = pipeline
        self.routes = routes
    }

    /// The current state.
    public var state: State { control.withLock { $0.state } }

    /// The live request counters.
    public var stats: ListenerStats { pipeline.stats }

    /// Starts listening in the background, unless already starting or running.
    public func start() {
        let shouldStart = control.withLock { locked -> Bool in
            switch locked.state {
            case .starting, .running: return false
            case .stopped, .failed:
                guard locked.task == nil else { return false }
                locked.state = .starting
                locked.stopRequested = false
                return true
            }
        }
        guard shouldStart else { return }

        let application: Application<RouterResponder<StewardRequestContext>>
        do {
            application = try pipeline.makeApplication(host: host, port: port, routes: routes) { [weak self] channel in
                self?.serverRunning(on: channel)
            }
        } catch {
            finish(with: .failed("cannot build the routes: \(error)"))
            return
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application],
                gracefulShutdownSignals: [],
                logger: pipeline.logger
            )
        )
        // The task is created under the lock, so that its `finish` (which takes the lock)
        // always sees it stored, however fast the group fails.
        control.withLock { locked in
            locked.group = group
            locked.task = Task.detached { [self] in
                let outcome: State
                do {
                    try await group.run()
                    let stopRequested = control.withLock { $0.stopRequested }
                    outcome = stopRequested ? .stopped : .failed("the HTTP listener stopped unexpectedly")
                } catch {
                    outcome = .failed(describe(error))
                }
                finish(with: outcome)
            }
            if locked.stopRequested {
                // stop() came while the application was being built: honour it now.
                Task { await group.triggerGracefulShutdown() }
            }
        }
    }

    /// Waits until the listener has started (or failed to), and returns that state.
    public func waitUntilStarted() async -> State {
        await withCheckedContinuation { continuation in
            let ready: State? = control.withLock { locked in
                guard locked.state == .starting else { return locked.state }
                locked.startWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Stops listening: in-flight requests finish, then the server closes. Returns once it
    /// has. Does nothing when not running.
    public func stop() async {
        let (group, task) = control.withLock { locked -> (ServiceGroup?, Task<Void, Never>?) in
            locked.stopRequested = true
            return (locked.group, locked.task)
        }
        guard let group, let task else { return }
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// ``stop()`` for a thread outside Swift concurrency (the console's main thread): blocks
    /// until the listener has stopped or `timeout` has passed; returns false on timeout.
    /// Never call it from an async context.
    @discardableResult
    public func stopAndWait(timeout: Duration = .seconds(10)) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Task.detached { [self] in
            await stop()
            done.signal()
        }
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return done.wait(timeout: .now() + .milliseconds(milliseconds)) == .success
    }

    private func serverRunning(on channel: any Channel) {
        let address = channel.localAddress
        let running = State.running(host: address?.ipAddress ?? host, port: address?.port ?? port)
        let waiters = control.withLock { locked -> [CheckedContinuation<State, Never>] in
            locked.state = running
            defer { locked.startWaiters = [] }
            return locked.startWaiters
        }
        for waiter in waiters { waiter.resume(returning: running) }
        pipeline.logger.info("HTTP listener started", metadata: ["address": .string(running.description)])
    }

    private func finish(with outcome: State) {
        let waiters = control.withLock { locked -> [CheckedContinuation<State, Never>] in
            locked.state = outcome
            locked.group = nil
            locked.task = nil
            defer { locked.startWaiters = [] }
            return locked.startWaiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
        if case .failed(let message) = outcome {
            pipeline.logger.error("HTTP listener failed", metadata: ["error": .string(message)])
        } else {
            pipeline.logger.info("HTTP listener stopped")
        }
    }

    /// A short, operator-facing reason: "cannot listen on 127.0.0.1:8080: Address already in use".
    private func describe(_ error: any Error) -> String {
        if let error = error as? IOError {
            return "cannot listen on \(host):\(port): \(String(cString: strerror(error.errnoCode)))"
        }
        return "\(error)"
    }
}

import Foundation

/// What the services need of an HTTP listener in order to start and stop it for a caller.
/// The HTTP module's listener (behind the console's `S`) and `steward serve` provide one.
public protocol ListenerSwitch: Sendable {
    /// Where it listens (or will), like `127.0.0.1:8080`, for the audit trail.
    var address: String { get }
    func start()
    func stop()
}

/// Starting and stopping the HTTP listener: `server:control`, audited as
/// `LISTENER_STARTED` and `LISTENER_STOPPED` whichever door asks.
public struct ServerControlService: Sendable {
    let context: ServiceContext

    public func startListener(_ caller: Caller, _ listener: some ListenerSwitch) async throws {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        listener.start()
        await context.audit.record(.listenerStarted, subject: nil, actor: actor, details: ["address": listener.address])
    }

    public func stopListener(_ caller: Caller, _ listener: some ListenerSwitch) async throws {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        listener.stop()
        await context.audit.record(.listenerStopped, subject: nil, actor: actor, details: ["address": listener.address])
    }

    /// Runs a listener in the foreground (`steward serve`): the same check and audit
    /// records around `run`, which returns when the listener has stopped.
    public func serve(_ caller: Caller, address: String, _ run: () async throws -> Void) async throws {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        await context.audit.record(.listenerStarted, subject: nil, actor: actor, details: ["address": address])
        do {
            try await run()
        } catch {
            await context.audit.record(.listenerStopped, subject: nil, actor: actor, details: ["address": address, "error": "\(error)"])
            throw error
        }
        await context.audit.record(.listenerStopped, subject: nil, actor: actor, details: ["address": address])
    }
}

import Foundation
import Logging

/// The security audit trail: every event goes to `security_events` and, as a log line of
/// source `security`, through the logging pipeline.
///
/// Recording never fails the action it records: if the database refuses the row, the
/// failure is logged at `error` level and the action's answer stands.
public struct AuditLog: Sendable {
    let store: any DataStore
    let logger: Logger
    let now: @Sendable () -> Date

    init(store: any DataStore, logger: Logger = Logger(label: "security"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// Records `event` about the user `subject`, done by `actor`.
    @discardableResult
    public func record(_ event: SecurityEventKind, subject: Int64?, actor: Caller, details: [String: String] = [:]) async -> SecurityEvent? {
        var metadata: Logger.Metadata = ["event": .string(event.rawValue), "client": .string(actor.client)]
        if let subject { metadata["userId"] = .string(String(subject)) }
        if let acting = actor.auditID { metadata["actorId"] = .string(String(acting)) }
        for (key, value) in details { metadata[key] = .string(value) }
        let level: Logger.Level = switch event {
        case .failedLogin, .permissionDenied: .notice
        case .accountLocked, .tokenReuse, .suspiciousActivity: .warning
        default: .info
        }
        logger.log(level: level, "\(event.rawValue)", metadata: metadata)
        do {
            return try await store.insertSecurityEvent(
                Store.NewSecurityEvent(event: event, userID: subject, actorID: actor.auditID, client: actor.client, details: details),
                now: now())
        } catch {
            logger.error("could not store a security event", metadata: ["event": .string(event.rawValue), "error": .string("\(error)")])
            return nil
        }
    }
}

/// The audit trail as the doors read it: the security events, newest first (`logs:read`).
public struct SecurityEventService: Sendable {
    let context: ServiceContext

    /// Filters of the security-event list, as every door receives them.
    public typealias ListRequest = Store.SecurityEventQuery

    public func list(_ caller: Caller, _ request: ListRequest) async throws -> Page<SecurityEvent> {
        let actor = try await context.resolve(caller)
        try await context.require(.logsRead, actor)
        var validator = Validator()
        ListLimit.check(request.limit, into: &validator)
        try validator.validate()
        return try await context.store.listSecurityEvents(request)
    }
}

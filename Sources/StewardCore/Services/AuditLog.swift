import Foundation
import Logging

/// The security audit trail: every event goes to `security_events` and, as a log line of
/// source `security`, through the logging pipeline.
///
/// Recording never fails the action it records: if the database refuses the row, the
/// failure is logged at `error` level and the action's answer stands.
public struct AuditLog: Sendable {
    let store: Store
    let logger: Logger
    let now: @Sendable () -> Date

    public init(store: Store, logger: Logger = Logger(label: "security"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// Records `event` about the user `subject`, done by `actor`.
    @discardableResult
    public func record(_ event: SecurityEventKind, subject: Int64?, actor: Actor, details: [String: String] = [:]) async -> SecurityEvent? {
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

    /// Security events, newest first (`logs:read`).
    public func list(_ actor: Actor, _ query: Store.SecurityEventQuery) async throws -> Page<SecurityEvent> {
        guard let principal = actor.principal else { throw StewardError.unauthenticated }
        guard principal.permissions.contains("logs:read") else {
            await record(.permissionDenied, subject: actor.auditID, actor: actor, details: ["permission": "logs:read"])
            throw StewardError.forbidden("logs:read")
        }
        var validator = Validator()
        ListLimit.check(query.limit, into: &validator)
        try validator.validate()
        return try await store.listSecurityEvents(query)
    }
}

import Foundation

/// The Logs tab's SQL prompt as a service: who may query, and what they query.
///
/// Reading the audit trail is the permission `logs:read` (SPEC §3: admins have it). The
/// check lives here, not in the console, like every other permission: an account without
/// it gets `forbidden` and a `PERMISSION_DENIED` event naming `logs:read`, whichever door
/// it came through. What the statement may do is `Store.runReadOnlySQL`'s business: read
/// `log` and `security_events`, nothing else, within the row and time limits.
///
/// The console builds one from the services it already holds:
/// `LogQueryService(context: services.context)`.
public struct LogQueryService: Sendable {
    let context: ServiceContext
    public let limits: ReadOnlySQLLimits

    public init(context: ServiceContext, limits: ReadOnlySQLLimits = ReadOnlySQLLimits()) {
        self.context = context
        self.limits = limits
    }

    /// Runs one read-only SQL statement over `security_events` and the entries `ring` holds
    /// now (the table `log`).
    ///
    /// - Throws: `unauthenticated` for an anonymous actor; `forbidden` (audited) without
    ///   `logs:read`; `badInput` for a statement that is refused, wrong, or too slow, with
    ///   a message to show as it is.
    public func query(_ actor: Actor, sql: String, ring: LogRing) async throws -> ReadOnlySQLResult {
        try await context.require("logs:read", actor)
        return try await context.store.runReadOnlySQL(sql, log: ring.snapshot(), limits: limits)
    }
}

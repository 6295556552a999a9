import Foundation

/// The Logs tab's SQL prompt as a service: who may query, and what they query.
///
/// Reading the audit trail is the permission `logs:read` (docs/security.md: admins have it). The
/// check lives here, not in the console, like every other permission: an account without
/// it gets `forbidden` and a `PERMISSION_DENIED` event naming `logs:read`, whichever door
/// it came through. What the statement may do is `Store.runReadOnlySQL`'s business: read
/// `log` and `security_events`, nothing else, within the row and time limits.
///
/// The console gets one from the services it already holds: `services.logQueries()`.
public struct LogQueryService: Sendable {
    let context: ServiceContext
    public let limits: ReadOnlySQLLimits

    init(context: ServiceContext, limits: ReadOnlySQLLimits = ReadOnlySQLLimits()) {
        self.context = context
        self.limits = limits
    }

    /// Runs one read-only SQL statement over `security_events` and the entries `ring` holds
    /// now (the table `log`).
    ///
    /// - Throws: `unauthenticated` for an anonymous actor; `forbidden` (audited) without
    ///   `logs:read`; `badInput` for a statement that is refused, wrong, or too slow, with
    ///   a message to show as it is.
    public func query(_ caller: Caller, sql: String, ring: LogRing) async throws -> ReadOnlySQLResult {
        let actor = try await context.resolve(caller)
        try await context.require(.logsRead, actor)
        let rows = ring.snapshot().map { item in
            Store.LogRow(sequence: item.sequence, time: item.entry.time, level: item.entry.level.rawValue, source: item.entry.source,
                         message: item.entry.message, metadata: item.entry.metadata)
        }
        return try await context.store.runReadOnlySQL(sql, log: rows, limits: limits)
    }

    /// The log lines every instance shared after `id` (`logs:read`), oldest first, and the
    /// id to ask after next time; `nil` on a database that carries no lines (SQLite).
    public func sharedLines(_ caller: Caller, after id: Int64, limit: Int = 1_000) async throws -> (entries: [LogEntry], last: Int64)? {
        let actor = try await context.resolve(caller)
        try await context.require(.logsRead, actor)
        guard context.store.sharesLogs else { return nil }
        let lines = try await context.store.logLines(after: id, limit: limit)
        return (lines.compactMap { LogEntry.parse(jsonLine: $0.line) }, lines.last?.id ?? id)
    }
}

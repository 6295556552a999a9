import StewardModel
import Foundation
import GRDB

/// The append-only audit trail.
extension SQLiteStore {

    public func insertSecurityEvent(_ new: Store.NewSecurityEvent, now: Date) async throws -> SecurityEvent {
        try await write { db in
            let details = SQLiteStore.encodeDetails(new.details)
            try db.execute(sql: """
                INSERT INTO security_events(created_at, event, user_id, actor_id, client, details) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Timestamp.string(now), new.event.rawValue, new.userID, new.actorID, new.client, details])
            return SecurityEvent(id: db.lastInsertedRowID, createdAt: Timestamp.parse(Timestamp.string(now)) ?? now, event: new.event,
                                 userID: new.userID, actorID: new.actorID, client: new.client, details: new.details)
        }
    }


    /// Newest first (oldest first with `ascending`), keyset by id. Every filter is a plain
    /// comparison on an indexed column, so SQLite walks `security_events_event(event, id)`,
    /// `security_events_user(user_id, id)` or `security_events_actor(actor_id, id)` in id
    /// order and stops after one page, without sorting: the first page of a filtered list
    /// costs the same on ten million rows as on ten. The client and time filters narrow
    /// whichever of those walks is chosen (or the primary key's, when none applies).
    public func listSecurityEvents(_ query: Store.SecurityEventQuery) async throws -> Page<SecurityEvent> {
        let (sql, values) = try SQLiteStore.securityEventListStatement(query)
        let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let events = rows.prefix(query.limit).map { row in
                SecurityEvent(id: row["id"], createdAt: row.date("created_at"),
                              event: SecurityEventKind(rawValue: row["event"]) ?? .suspiciousActivity,
                              userID: row["user_id"], actorID: row["actor_id"], client: row["client"],
                              details: SQLiteStore.decodeDetails(row["details"]))
            }
            let next = rows.count > query.limit ? events.last.map { PageCursor.encode([String($0.id)]) } : nil
            return Page(items: Array(events), nextCursor: next)
        }
    }

    /// The statement `listSecurityEvents` runs (one row more than a page, to know whether
    /// there is a next one). `explainSecurityEventList` asks SQLite for its plan, so a test
    /// of the plan tests the real query.
    private static func securityEventListStatement(_ query: Store.SecurityEventQuery) throws(StewardError) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let boundary = try query.cursor.map { cursor throws(StewardError) in try PageCursor.decodeID(cursor) }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let event = query.event { conditions.append("event = ?"); arguments.append(event.rawValue) }
        if let user = query.userID { conditions.append("(user_id = ? OR actor_id = ?)"); arguments += [user, user] }
        if let subject = query.subjectID { conditions.append("user_id = ?"); arguments.append(subject) }
        if let actor = query.actorID { conditions.append("actor_id = ?"); arguments.append(actor) }
        if let client = query.client { conditions.append("client = ?"); arguments.append(client) }
        // `+created_at` keeps the time range a filter, not an index choice: walking
        // `security_events_created` would need a sort of the whole range by id.
        if let since = query.since { conditions.append("+created_at >= ?"); arguments.append(Timestamp.string(since)) }
        if let until = query.until { conditions.append("+created_at < ?"); arguments.append(Timestamp.string(until)) }
        if let boundary { conditions.append(query.ascending ? "id > ?" : "id < ?"); arguments.append(boundary) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(query.limit + 1)
        return ("""
            SELECT id, created_at, event, user_id, actor_id, client, details FROM security_events
            \(whereClause) ORDER BY id \(query.ascending ? "ASC" : "DESC") LIMIT ?
            """, arguments)
    }

    public func explainSecurityEventList(_ query: Store.SecurityEventQuery) async throws -> [String] {
        let (sql, values) = try SQLiteStore.securityEventListStatement(query)
        let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
        return try await read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }

    static func encodeDetails(_ details: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeDetails(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String ?? "\($0)" }
    }
}

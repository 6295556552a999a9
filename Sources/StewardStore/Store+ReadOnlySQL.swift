import StewardModel
import Foundation
import GRDBSQLite

/// A read-only SQL view over the audit trail and the recent log, for the console's `;` prompt.
///
/// The statement never runs on the store's own connections. Each call opens a private
/// in-memory SQLite connection and
/// 1. loads the given log entries into a table `log` (`seq`, `time`, `level`, `source`,
///    `message`, `request_id`, `method`, `path`, `status`, `duration_ms`, `ip`, `user_id`,
///    and `metadata`, every metadata field as one JSON object for `json_extract`);
/// 2. attaches the database file through the URI `file:PATH?mode=ro` as schema `audit`,
///    so SQLite itself refuses any write to it, whatever the statement;
/// 3. installs an authorizer that allows reading only the columns of `log` and
///    `audit.security_events` (never `users` and its password hashes, nor sessions), plain
///    `SELECT`s, functions and recursive CTEs, plus `PRAGMA table_info` of those two
///    tables; every other action — INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH,
///    DETACH, other PRAGMAs, BEGIN/COMMIT, SAVEPOINT, ANALYZE, VACUUM — is refused while
///    the statement is compiled, before it can run;
/// 4. checks `sqlite3_stmt_readonly` on the compiled statement as a second, independent
///    gate, and refuses a second statement after the first (`SELECT 1; DROP …`);
/// 5. runs it under a progress handler that interrupts it after
///    ``ReadOnlySQLLimits/timeLimit``, and stops reading at ``ReadOnlySQLLimits/maximumRows``.
///
/// `security_events` needs no schema prefix: SQLite looks a bare table name up in `main`
/// (which holds only `log`) and then in attached schemas. The work runs on a Dispatch
/// queue, off the cooperative thread pool, since it may take the whole time limit.
extension SQLiteStore {
    /// Runs one read-only statement over `security_events` and the given log entries.
    ///
    /// - Throws: `StewardError.badInput` with a message meant for the person who typed the
    ///   statement: why it was refused, SQLite's own syntax or name error, or that it ran
    ///   out of time. `StewardError.internalError` when the database cannot be attached.
    public func runReadOnlySQL(_ sql: String, log entries: [Store.LogRow], limits: ReadOnlySQLLimits = ReadOnlySQLLimits()) async throws -> ReadOnlySQLResult {
        let path = self.path
        return try await Offload.run {
            let session = try ReadOnlySQLSession(databasePath: path, limits: limits)
            defer { session.close() }
            try session.load(entries)
            return try session.run(sql)
        }
    }
}

/// One connection of the SQL prompt; see `SQLiteStore.runReadOnlySQL`. Used by one thread,
/// from creation to `close()`.
final class ReadOnlySQLSession {
    /// The name the database file is attached under.
    static let attachedSchema = "audit"
    /// What a statement may read: (schema, table).
    static let readableTables: Set<[String]> = [["main", "log"], [attachedSchema, "security_events"]]

    private let connection: OpaquePointer
    private let limits: ReadOnlySQLLimits
    /// Shared with the C callbacks through an unretained pointer; lives as long as `self`.
    private let guardState = GuardState()

    /// What the authorizer and the progress handler need, and what they report back.
    final class GuardState {
        /// Off while the session sets itself up (creating `log`, attaching), on for the
        /// user's statement.
        var enforcing = false
        /// Why the authorizer refused the statement, in words.
        var refusal: String?
        var deadline = ContinuousClock.now
        var timedOut = false
        /// Lower-cased names of every table and view in both schemas, SQLite's own included.
        /// SQLite reports some reads without a schema name (those of `count(*)`, and of
        /// CTEs and subqueries); such a read is allowed only if it names no real table.
        var realTables: Set<String> = []
    }

    init(databasePath: String, limits: ReadOnlySQLLimits) throws {
        self.limits = limits
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(":memory:", &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw StewardError.internalError("cannot open an in-memory SQLite connection")
        }
        connection = handle
        sqlite3_limit(connection, SQLITE_LIMIT_LENGTH, limits.maximumValueBytes)
        sqlite3_limit(connection, SQLITE_LIMIT_ATTACHED, 1)
        do {
            try execute("""
                CREATE TABLE log(
                    seq INTEGER PRIMARY KEY, time TEXT NOT NULL, level TEXT NOT NULL, source TEXT NOT NULL,
                    message TEXT NOT NULL, request_id TEXT, method TEXT, path TEXT, status INTEGER,
                    duration_ms REAL, ip TEXT, user_id INTEGER, metadata TEXT NOT NULL)
                """)
            try attach(databasePath)
            guardState.realTables = try tableNames()
        } catch {
            sqlite3_close_v2(connection)
            throw error
        }
        let context = Unmanaged.passUnretained(guardState).toOpaque()
        sqlite3_set_authorizer(connection, readOnlyAuthorizer, context)
        sqlite3_progress_handler(connection, 1_000, deadlineProgressHandler, context)
    }

    func close() {
        sqlite3_close_v2(connection)
    }

    /// `file:PATH?mode=ro`, with the characters a URI gives meaning to escaped.
    static func readOnlyURI(forPath path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:" + escaped + "?mode=ro"
    }

    private func attach(_ databasePath: String) throws {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StewardError.internalError("no database file at \(databasePath) to attach")
        }
        let statement = try prepareInternal("ATTACH DATABASE ? AS \(Self.attachedSchema)")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, Self.readOnlyURI(forPath: databasePath), -1, transientDestructor)
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw StewardError.internalError("cannot attach \(databasePath) read-only: \(lastError)")
        }
    }

    /// Every table and view name of `main` and the attached schema, lower-cased.
    private func tableNames() throws -> Set<String> {
        let statement = try prepareInternal("""
            SELECT lower(name) FROM main.sqlite_master WHERE type IN ('table', 'view')
            UNION SELECT lower(name) FROM \(Self.attachedSchema).sqlite_master WHERE type IN ('table', 'view')
            """)
        defer { sqlite3_finalize(statement) }
        var names: Set<String> = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"]
        while sqlite3_step(statement) == SQLITE_ROW {
            if let text = sqlite3_column_text(statement, 0) { names.insert(String(cString: text)) }
        }
        return names
    }

    /// Copies the log entries into `log`, in one transaction with one prepared insert.
    func load(_ entries: [Store.LogRow]) throws {
        try execute("BEGIN")
        let insert = try prepareInternal("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        defer { sqlite3_finalize(insert) }
        var json: [UInt8] = []
        for entry in entries {
            let metadata = entry.metadata
            sqlite3_reset(insert)
            sqlite3_clear_bindings(insert)
            sqlite3_bind_int64(insert, 1, Int64(bitPattern: entry.sequence))
            bindText(insert, 2, Timestamp.string(entry.time))
            bindText(insert, 3, entry.level)
            bindText(insert, 4, entry.source)
            bindText(insert, 5, entry.message)
            bindText(insert, 6, metadata["requestId"])
            bindText(insert, 7, metadata["method"])
            bindText(insert, 8, metadata["path"])
            if let status = metadata["status"].flatMap({ Int64($0) }) { sqlite3_bind_int64(insert, 9, status) }
            if let duration = metadata["durationMs"].flatMap({ Double($0) }) { sqlite3_bind_double(insert, 10, duration) }
            bindText(insert, 11, metadata["ip"])
            if let user = metadata["userId"].flatMap({ Int64($0) }) { sqlite3_bind_int64(insert, 12, user) }
            json.removeAll(keepingCapacity: true)
            json.append(UInt8(ascii: "{"))
            for (index, key) in metadata.keys.sorted().enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                JSONText.appendString(metadata[key]!, to: &json)
            }
            json.append(UInt8(ascii: "}"))
            json.withUnsafeBufferPointer { bytes in
                _ = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(insert, 13, $0, Int32(bytes.count), transientDestructor)
                }
            }
            guard sqlite3_step(insert) == SQLITE_DONE else {
                throw StewardError.internalError("cannot load the log into the query table: \(lastError)")
            }
        }
        try execute("COMMIT")
    }

    /// Compiles and runs the user's statement under every guard.
    func run(_ sql: String) throws -> ReadOnlySQLResult {
        guardState.enforcing = true
        guardState.refusal = nil
        guardState.deadline = ContinuousClock.now + limits.timeLimit
        defer { guardState.enforcing = false }

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let sqlBytes = Array(sql.utf8CString)
        let prepared = sqlBytes.withUnsafeBufferPointer { buffer -> Int32 in
            sqlite3_prepare_v2(connection, buffer.baseAddress, -1, &statement, &tail)
        }
        // `tail` points into `sqlBytes`; read it only while that array is alive.
        let rest: String = sqlBytes.withUnsafeBufferPointer { buffer in
            guard prepared == SQLITE_OK, let tail, let base = buffer.baseAddress else { return "" }
            let offset = base.distance(to: tail)
            guard offset >= 0, offset < buffer.count else { return "" }
            return String(cString: base + offset)
        }
        guard prepared == SQLITE_OK else {
            sqlite3_finalize(statement)
            if let refusal = guardState.refusal { throw Self.refused(refusal) }
            throw StewardError.badInput(field: "sql", lastError)
        }
        guard let statement else {
            throw StewardError.badInput(field: "sql", "There is no statement to run.")
        }
        defer { sqlite3_finalize(statement) }
        if try holdsAnotherStatement(rest) {
            throw Self.refused("one statement at a time: remove everything after the first `;`")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else {
            throw Self.refused("the statement would write")
        }

        let columnCount = Int(sqlite3_column_count(statement))
        let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var rows: [[String?]] = []
        var truncated = false
        var resultBytes = 0
        guardState.timedOut = false
        guardState.deadline = ContinuousClock.now + limits.timeLimit
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                if guardState.timedOut || step == SQLITE_INTERRUPT {
                    throw StewardError.badInput(field: "sql", "The statement ran longer than \(Self.describe(limits.timeLimit)) and was stopped.")
                }
                if let refusal = guardState.refusal { throw Self.refused(refusal) }
                throw StewardError.badInput(field: "sql", lastError)
            }
            if rows.count == limits.maximumRows || resultBytes >= limits.maximumResultBytes {
                truncated = true
                break
            }
            let row = (0..<columnCount).map { column -> String? in
                guard let text = Self.text(of: statement, column: Int32(column)) else { return nil }
                // A cell longer than the cap is cut: the prompt shows rows, not documents.
                guard text.count > limits.maximumCellCharacters else { return text }
                return String(text.prefix(limits.maximumCellCharacters)) + "…"
            }
            resultBytes += row.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
            rows.append(row)
        }
        return ReadOnlySQLResult(columns: columns, rows: rows, isTruncated: truncated)
    }

    /// Whether `rest`, what followed the first statement, holds anything but spaces,
    /// comments and semicolons.
    private func holdsAnotherStatement(_ rest: String) throws -> Bool {
        guard rest.contains(where: { !$0.isWhitespace && $0 != ";" }) else { return false }
        var next: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, rest, -1, &next, nil)
        defer { sqlite3_finalize(next) }
        // Anything that compiles to a statement, or fails to compile, is a second statement;
        // only comments compile to nothing.
        return code != SQLITE_OK || next != nil
    }

    private static func refused(_ reason: String) -> StewardError {
        StewardError.badInput(field: "sql", "Refused: \(reason). The SQL prompt only reads the tables log and security_events.")
    }

    private static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }

    /// One value as text.
    private static func text(of statement: OpaquePointer, column: Int32) -> String? {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return nil
        case SQLITE_INTEGER:
            return String(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return String(sqlite3_column_double(statement, column))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return "x''" }
            let shown = UnsafeRawBufferPointer(start: bytes, count: min(count, 64))
            let hex = shown.map { String(format: "%02x", $0) }.joined()
            return "x'" + hex + "'" + (count > 64 ? "… (\(count) bytes)" : "")
        default:
            guard let text = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        }
    }

    // MARK: Helpers

    private var lastError: String {
        String(cString: sqlite3_errmsg(connection))
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
            throw StewardError.internalError("SQL prompt set-up failed: \(lastError)")
        }
    }

    private func prepareInternal(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StewardError.internalError("SQL prompt set-up failed: \(lastError)")
        }
        return statement
    }

    private func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
        guard let text else { return }
        sqlite3_bind_text(statement, index, text, -1, transientDestructor)
    }
}

/// SQLite's `SQLITE_TRANSIENT`: copy the bound bytes now, as Swift frees them after the call.
private let transientDestructor = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The authorizer of `ReadOnlySQLSession`: called while a statement compiles, once per
/// action it would take. Returning `SQLITE_DENY` makes compilation fail.
private func readOnlyAuthorizer(
    _ context: UnsafeMutableRawPointer?, _ action: Int32,
    _ first: UnsafePointer<CChar>?, _ second: UnsafePointer<CChar>?,
    _ schema: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    guard let context else { return SQLITE_DENY }
    let state = Unmanaged<ReadOnlySQLSession.GuardState>.fromOpaque(context).takeUnretainedValue()
    guard state.enforcing else { return SQLITE_OK }
    let name = first.map { String(cString: $0) }
    let argument = second.map { String(cString: $0) }
    let database = schema.map { String(cString: $0) }
    func refuse(_ reason: String) -> Int32 {
        if state.refusal == nil { state.refusal = reason }
        return SQLITE_DENY
    }
    switch action {
    case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_READ:
        let table = (name ?? "").lowercased()
        if let database {
            if ReadOnlySQLSession.readableTables.contains([database.lowercased(), table]) { return SQLITE_OK }
        } else if table == "log" || table == "security_events" || !state.realTables.contains(table) {
            // No schema: `count(*)` of a table, or a CTE or subquery, which are no tables.
            return SQLITE_OK
        }
        return refuse("the table \(name ?? "?") cannot be read here")
    case SQLITE_PRAGMA:
        let pragma = (name ?? "").lowercased()
        let table = (argument ?? "").lowercased()
        if pragma == "table_info" || pragma == "table_xinfo", table == "log" || table == "security_events" { return SQLITE_OK }
        return refuse("PRAGMA \(name ?? "") is not allowed")
    case SQLITE_INSERT: return refuse("INSERT writes")
    case SQLITE_UPDATE: return refuse("UPDATE writes")
    case SQLITE_DELETE: return refuse("DELETE writes")
    case SQLITE_ATTACH: return refuse("ATTACH is not allowed")
    case SQLITE_DETACH: return refuse("DETACH is not allowed")
    case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: return refuse("transactions are not needed to read")
    case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX,
         SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER,
         SQLITE_CREATE_VTABLE:
        return refuse("CREATE writes")
    case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX,
         SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER,
         SQLITE_DROP_VTABLE:
        return refuse("DROP writes")
    case SQLITE_ALTER_TABLE: return refuse("ALTER TABLE writes")
    case SQLITE_REINDEX, SQLITE_ANALYZE: return refuse("maintenance statements write")
    default: return refuse("only SELECT statements can run")
    }
}

/// Called every 1,000 virtual-machine steps while a statement runs: a non-zero answer
/// interrupts it (`SQLITE_INTERRUPT`).
private func deadlineProgressHandler(_ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 1 }
    let state = Unmanaged<ReadOnlySQLSession.GuardState>.fromOpaque(context).takeUnretainedValue()
    guard state.enforcing else { return 0 }
    if ContinuousClock.now >= state.deadline {
        state.timedOut = true
        return 1
    }
    return 0
}

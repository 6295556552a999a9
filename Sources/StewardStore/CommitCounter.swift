import GRDBSQLite
import StewardModel
import Synchronization

/// Tells, without a trip to a GRDB queue, whether anything was committed to the database
/// file since it last looked: by this process or any other.
///
/// It holds a connection of its own that only ever runs `PRAGMA data_version`. SQLite
/// changes that number on a connection whenever *another* connection commits; since this
/// one never writes, every commit anywhere (the pool's writer, a console or a CLI in
/// another process) changes it. Reading it starts a read transaction, which in WAL mode
/// reads the wal-index header from shared memory: no file I/O, a microsecond or two.
///
/// Ordering is what makes it safe for a cache: a write's `pool.write` returns after the
/// commit has updated that header, so a caller told "done" whose next request asks here
/// sees a new number, and a value read after seeing number *n* is at least as new as *n*.
final class CommitCounter: Sendable {
    private struct Connection {
        let handle: OpaquePointer
        let statement: OpaquePointer
    }

    private let connection: Mutex<Connection?>

    /// Opens `path` read-only; `nil` when it cannot (the cache is then not used).
    init?(path: String) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            return nil
        }
        sqlite3_busy_timeout(handle, 1_000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, "PRAGMA data_version", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else {
            sqlite3_close_v2(handle)
            return nil
        }
        connection = Mutex(Connection(handle: handle, statement: statement))
    }

    /// The current number, or `nil` when SQLite could not answer (or after ``close()``).
    func current() -> UInt64? {
        connection.withLock { connection -> UInt64? in
            guard let connection else { return nil }
            defer { sqlite3_reset(connection.statement) }
            guard sqlite3_step(connection.statement) == SQLITE_ROW else { return nil }
            return UInt64(bitPattern: sqlite3_column_int64(connection.statement, 0))
        }
    }

    func close() {
        connection.withLock { connection in
            guard let open = connection else { return }
            connection = nil
            sqlite3_finalize(open.statement)
            sqlite3_close_v2(open.handle)
        }
    }

    deinit { close() }
}

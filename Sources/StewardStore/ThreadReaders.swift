import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Read-only connections that belong to threads, for the short reads every request makes.
///
/// A read through GRDB's `DatabasePool` asks the pool for a free reader: a concurrent
/// dispatch queue with barriers, a semaphore and a dispatch group. Counting instructions,
/// that was nearly a third of what reading one post cost (44,700 of 152,500), and when
/// two event loops read at the same moment they meet in those queues and wait for each
/// other in the kernel.
///
/// Here each thread has a slot of its own, found from a small number the thread is given
/// the first time it reads, and each slot opens one read-only connection the first time it
/// is used. The two event loops of `steward serve` therefore read on two connections that
/// nothing else touches: the slot's lock is never contended and the connection's queue
/// never waits. More threads than slots share them, which is still correct (the slot's
/// lock serializes them), only no faster than the pool.
///
/// The connections see the file as the pool's readers do (WAL: a read never waits for the
/// writer and sees every commit that returned before it began).
final class ThreadReaders: Sendable {
    private enum Connection {
        case notOpened
        case open(DatabaseQueue)
        case closed
    }

    /// One slot. A class, so that each lock lives in its own allocation rather than beside
    /// its neighbour's in one array (two threads would otherwise share a cache line).
    private final class Slot: Sendable {
        let connection = Mutex(Connection.notOpened)
    }

    private let slots: [Slot]
    private let path: String
    private let configuration: Configuration

    /// - parameter slots: how many connections at most; the threads that read often (the
    ///   event loops, the console's workers) are few, and each slot costs a connection and
    ///   its page cache only once a thread has read through it.
    init(path: String, configuration: Configuration, slots: Int = 16) {
        self.path = path
        var configuration = configuration
        configuration.readonly = true
        configuration.label = "Steward.ThreadReader"
        self.configuration = configuration
        self.slots = (0..<max(1, slots)).map { _ in Slot() }
    }

    /// Runs `body` on the calling thread with this thread's connection, outside a
    /// transaction (each statement sees one committed state).
    func read<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        let slot = slots[ThreadNumber.current % slots.count]
        return try slot.connection.withLock { connection throws -> T in
            let queue: DatabaseQueue
            switch connection {
            case .open(let open):
                queue = open
            case .notOpened:
                queue = try DatabaseQueue(path: path, configuration: configuration)
                connection = .open(queue)
            case .closed:
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed")
            }
            return try queue.unsafeRead(body)
        }
    }

    /// How many slots have a connection open (for tests).
    var openCount: Int {
        slots.reduce(0) { count, slot in
            count + slot.connection.withLock { if case .open = $0 { 1 } else { 0 } }
        }
    }

    /// Closes every connection; later reads fail.
    func close() {
        for slot in slots {
            slot.connection.withLock { connection in
                if case .open(let queue) = connection { try? queue.close() }
                connection = .closed
            }
        }
    }
}

/// A small number for each thread, given in order the first time a thread asks.
enum ThreadNumber {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    private static let next = Atomic<Int>(0)

    static var current: Int {
        if let stored = pthread_getspecific(key) {
            return Int(bitPattern: stored) - 1
        }
        let number = next.add(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: number + 1))
        return number
    }
}

import NIOCore
import NIOPosix

/// Runs Swift concurrency's tasks on NIO's event loops, for a process whose work is
/// answering HTTP (`steward serve`).
///
/// Hummingbird reads a request on an event loop and runs its handler as a task. By default
/// that task runs on Swift's own thread pool, so every request crosses between two pools
/// of threads at least twice (in and out), and every `await` that resumes after a database
/// write crosses again. On a two-core machine those crossings were a quarter of the CPU
/// (futex waits and wake-ups in the profile). With the event loops as the global executor
/// a task resumes on the loop that is already running, usually the connection's own.
///
/// Measured side by side (BENCHMARKS.md): a list page +33 to +47% requests per second,
/// one post by id +33%, `/healthz` +15%, and a lower p99 for each.
///
/// What it asks of the rest of the process is what the cooperative pool already asked:
/// nothing may block a task's thread for long. Argon2 runs on threads of its own
/// (`Offload`), GRDB writes on its writer queue, and the reads that run on the calling
/// thread are short by design (``SQLiteStore``).
///
/// A loop reads its sockets only between runs of its tasks, so work that needs no read
/// must not chain without end: ``AdmissionGate`` lets waiting requests in as the server
/// reads, not as places free up, for that reason.
///
/// The console does not call it: its input loop and its listener keep the default pool,
/// so a busy listener never delays a key press.
public enum EventLoopExecutor {
    /// Installs the event loops as the global executor. Call it once, from the main thread,
    /// before any task starts; returns `false` when the runtime does not allow it (the
    /// server then runs as before).
    @discardableResult
    public static func adopt() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}

import Foundation
import StewardCore
import Synchronization

/// The lines of a log folder (`STEWARD_LOG_DIR`), followed on a background thread into a
/// ring that the Logs tab reads on its ticks.
///
/// Every Steward process logging into the folder — `steward serve`, commands run beside it,
/// this console itself — appends whole JSON lines to the same files, so following the files
/// shows all of them, in the order they were written, each exactly once. Reading goes
/// through `LogFollower`, the reader behind `steward logs --follow`, so rotation is
/// survived the same way. The reading (a `stat` and a `read` per poll, and at start the
/// rotated files, up to tens of megabytes) happens here, never on the console's input
/// thread: the tab only copies what is new out of ``ring``, as it would from the process's
/// own log ring.
final class LogFolderTail: Sendable {
    /// The folder followed.
    let folder: URL
    /// The entries read so far, the newest `capacity` of them, numbered in reading order.
    let ring: LogRing
    /// Why the last poll failed (the folder does not exist yet, cannot be listed…), or nil.
    var problem: String? { lastProblem.withLock { $0 } }

    private let isStopped = Atomic<Bool>(false)
    private let lastProblem = Mutex<String?>(nil)

    /// Starts following at once: the first poll reads the rotated files, then the live one.
    /// - Parameters:
    ///   - capacity: how many entries are kept (the oldest go first).
    ///   - pollInterval: how long the thread sleeps between two polls.
    init(folder: URL, capacity: Int = 10_000, pollInterval: Duration = .milliseconds(200)) {
        self.folder = folder
        ring = LogRing(capacity: capacity)
        let pause = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
        let thread = Thread { [self] in
            var follower = LogFollower(reader: LogReader(directory: folder))
            while !isStopped.load(ordering: .acquiring) {
                do {
                    for entry in try follower.pollEntries() { ring.append(entry) }
                    lastProblem.withLock { $0 = nil }
                } catch {
                    // Most likely the folder is not there yet: the next poll tries again.
                    lastProblem.withLock { $0 = "\(error)" }
                }
                Thread.sleep(forTimeInterval: pause)
            }
            follower.close()
        }
        thread.name = "steward-log-folder-tail"
        thread.start()
    }

    /// Ends the thread after its current poll; the ring keeps what was read.
    func stop() {
        isStopped.store(true, ordering: .releasing)
    }
}

/// The log lines every instance shares through the database (PostgreSQL), followed by a
/// task into a ring that the Logs tab reads on its ticks, as it reads ``LogFolderTail``'s.
/// Reading them is `logs:read`, checked by the service on every poll like any other call.
final class SharedLogTail: Sendable {
    let ring: LogRing
    var problem: String? { lastProblem.value }
    private let lastProblem = ProblemBox()

    /// The last poll's failure, shared with the polling task.
    private final class ProblemBox: Sendable {
        private let state = Mutex<String?>(nil)
        var value: String? { state.withLock { $0 } }
        func set(_ problem: String?) { state.withLock { $0 = problem } }
    }
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(queries: LogQueryService, caller: Caller, capacity: Int = 10_000, pollInterval: Duration = .milliseconds(250)) {
        let ring = LogRing(capacity: capacity)
        self.ring = ring
        let lastProblem = self.lastProblem
        let poll = Task.detached(priority: .utility) {
            var last: Int64 = 0
            while !Task.isCancelled {
                do {
                    while let page = try await queries.sharedLines(caller, after: last), page.last != last {
                        for entry in page.entries { ring.append(entry) }
                        last = page.last
                        if Task.isCancelled { return }
                    }
                    lastProblem.set(nil)
                } catch {
                    lastProblem.set((error as? StewardError)?.message ?? "\(error)")
                }
                try? await Task.sleep(for: pollInterval)
            }
        }
        task.withLock { $0 = poll }
    }

    func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
    }
}

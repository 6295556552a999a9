import Dispatch
import Foundation
import Synchronization

/// Where a `LogWriteQueue` delivers its batches: a file, standard output.
///
/// Both methods are called only from the queue's one writer thread, so an implementation
/// sees its batches in order and one at a time.
protocol LogBatchDestination: Sendable {
    /// Writes the batch of JSON lines (each with its newline), in order, and returns how
    /// many of them could not be written (a failing disk). The queue reports those as
    /// dropped.
    func write(_ batch: [[UInt8]]) -> Int
    /// Releases what the destination holds open; called once, after the last batch.
    func close()
}

/// A bounded queue in front of a slow destination, drained by a dedicated writer thread.
///
/// This is what keeps logging off every caller's critical path: `enqueue` takes a lock for
/// an array append and returns, whatever the disk is doing. It queues lines already
/// encoded (``LogPipeline`` writes each once for all its sinks). The writer thread takes the
/// whole pending array at once (swapping it with an empty one) and hands it to the
/// destination as one batch, so a burst of lines costs one `write(2)` rather than one each.
///
/// When the queue is full the entry is dropped and counted: blocking a request handler
/// because the disk is slow would turn a logging problem into an outage. Drops can happen
/// only while the queue is full, and it stays full until the writer takes the batch, so
/// every drop falls right after the last entry of that batch; the writer appends a warning
/// entry "dropped N log entries" there, at the exact place of the gap.
final class LogWriteQueue: Sendable {
    let capacity: Int
    private let destination: any LogBatchDestination

    private struct State {
        var pending: [[UInt8]] = []
        /// Drops not yet reported by a warning line.
        var droppedSinceReport = 0
        var writerIsWaiting = false
        var closed = false
        /// Entries accepted since the start, and how many of those the destination has
        /// been given: `flush` waits for the second to catch up with the first.
        var accepted: UInt64 = 0
        var delivered: UInt64 = 0
        var flushWaiters: [(target: UInt64, done: DispatchSemaphore)] = []
    }

    private let state = Mutex(State())
    /// Signalled once each time the writer, having gone to sleep on an empty queue, has
    /// work again (or must stop). Exactly one signal per sleep, so none is ever lost.
    private let wakeWriter = DispatchSemaphore(value: 0)
    private let writerFinished = DispatchSemaphore(value: 0)
    private let droppedTotal = Atomic<Int>(0)

    init(capacity: Int, threadName: String, destination: any LogBatchDestination) {
        precondition(capacity > 0, "a log queue needs room for at least one entry")
        self.capacity = capacity
        self.destination = destination
        let thread = Thread { [self] in self.runWriter() }
        thread.name = threadName
        thread.start()
    }

    /// Every entry lost since the start: refused by a full queue, refused after `close`,
    /// or failed by the destination.
    var dropped: Int { droppedTotal.load(ordering: .relaxed) }

    /// Queues a line for the writer thread, or drops it if the queue is full. Never waits
    /// for the destination.
    func enqueue(_ line: [UInt8]) {
        let outcome = state.withLock { state -> (accepted: Bool, wake: Bool) in
            guard !state.closed, state.pending.count < capacity else {
                if !state.closed { state.droppedSinceReport += 1 }
                return (false, false)
            }
            state.pending.append(line)
            state.accepted += 1
            let wake = state.writerIsWaiting
            state.writerIsWaiting = false
            return (true, wake)
        }
        if !outcome.accepted { droppedTotal.add(1, ordering: .relaxed) }
        if outcome.wake { wakeWriter.signal() }
    }

    /// Waits until every entry queued before the call has been handed to the destination
    /// (for a file: written with `write(2)`, so any reader of the file sees it).
    func flush() {
        let waiter = state.withLock { state -> DispatchSemaphore? in
            guard state.delivered < state.accepted else { return nil }
            let done = DispatchSemaphore(value: 0)
            state.flushWaiters.append((state.accepted, done))
            return done
        }
        waiter?.wait()
    }

    /// Writes out what is queued, stops the writer thread and closes the destination.
    /// Entries queued afterwards are dropped. Safe to call more than once.
    func close() {
        let wake = state.withLock { state -> Bool in
            state.closed = true
            let wake = state.writerIsWaiting
            state.writerIsWaiting = false
            return wake
        }
        if wake { wakeWriter.signal() }
        writerFinished.wait()
        // Let any other caller of `close` through as well.
        writerFinished.signal()
    }

    private enum WriterStep {
        case write(droppedBeforeNow: Int)
        case linger
        case sleep
        case stop
    }

    /// How long the writer, having just written a batch and found the queue empty, waits
    /// before it sleeps until signalled. Lines keep arriving under load, and while the
    /// writer lingers no `enqueue` signals it: the lines of those milliseconds become one
    /// batch, one `write(2)` and one wake-up, instead of a semaphore round trip per line
    /// (which the profile of a request load showed at 5% of the CPU). Idle, the writer
    /// sleeps on the semaphore and costs nothing.
    static let linger: TimeInterval = 0.005

    private func runWriter() {
        var batch: [[UInt8]] = []
        var justWrote = false
        while true {
            let step = state.withLock { state -> WriterStep in
                if state.pending.isEmpty {
                    if state.closed { return .stop }
                    if justWrote && state.flushWaiters.isEmpty { return .linger }
                    state.writerIsWaiting = true
                    return .sleep
                }
                // The drained array comes back as the next `pending`, capacity kept.
                swap(&state.pending, &batch)
                let dropped = state.droppedSinceReport
                state.droppedSinceReport = 0
                return .write(droppedBeforeNow: dropped)
            }
            switch step {
            case .stop:
                destination.close()
                writerFinished.signal()
                return
            case .linger:
                justWrote = false
                Thread.sleep(forTimeInterval: Self.linger)
            case .sleep:
                wakeWriter.wait()
            case .write(let droppedCount):
                justWrote = true
                let acceptedInBatch = UInt64(batch.count)
                if droppedCount > 0 { batch.append(LogEntry.droppedWarning(count: droppedCount).encodedLine) }
                let failed = destination.write(batch)
                batch.removeAll(keepingCapacity: true)
                if failed > 0 { droppedTotal.add(failed, ordering: .relaxed) }
                let finishedWaiters = state.withLock { state -> [DispatchSemaphore] in
                    state.delivered += acceptedInBatch
                    state.droppedSinceReport += failed
                    let delivered = state.delivered
                    let finished = state.flushWaiters.filter { $0.target <= delivered }.map(\.done)
                    state.flushWaiters.removeAll { $0.target <= delivered }
                    return finished
                }
                for waiter in finishedWaiters { waiter.signal() }
            }
        }
    }
}

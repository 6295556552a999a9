import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes log entries as JSON lines to standard output, for `steward serve`, where a
/// supervisor (systemd, a container runtime) collects stdout.
///
/// It runs through the same bounded queue and writer thread as the file sink: a slow or
/// blocked reader of stdout (a paused pager, a full pipe) then costs dropped lines, counted
/// and reported, instead of stalling every request. Each batch is joined into one buffer
/// and written whole by the one writer thread, so lines from different threads can never
/// interleave mid-line.
public final class StdoutSink: LogSink {
    private let queue: LogWriteQueue

    /// - Parameter fileDescriptor: where to write; standard output unless a test or a
    ///   caller redirects it. The descriptor is not closed by `close()`.
    public init(fileDescriptor: Int32 = STDOUT_FILENO, queueCapacity: Int = 65_536) {
        queue = LogWriteQueue(
            capacity: queueCapacity,
            threadName: "steward-log-stdout",
            destination: DescriptorLineWriter(descriptor: fileDescriptor)
        )
    }

    public func write(_ entry: LogEntry, line: [UInt8]) { queue.enqueue(line) }

    public var dropped: Int { queue.dropped }

    public func flush() { queue.flush() }

    public func close() { queue.close() }
}

/// Joins a batch into one buffer and writes it to a descriptor it does not own.
final class DescriptorLineWriter: LogBatchDestination {
    let descriptor: Int32

    /// Reused for every batch. Touched only by the writer thread; the mutex is uncontended.
    private let buffer = Mutex<[UInt8]>([])

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ batch: [[UInt8]]) -> Int {
        buffer.withLock { buffer in
            buffer.removeAll(keepingCapacity: true)
            for line in batch { buffer.append(contentsOf: line) }
            let written = buffer.withUnsafeBufferPointer { writeFully(descriptor, $0) }
            return written ? 0 : batch.count
        }
    }

    func close() {}
}

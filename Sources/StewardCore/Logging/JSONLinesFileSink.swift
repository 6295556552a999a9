import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log file or folder that could not be opened, created or read. The message names the
/// path, so an operator knows what to fix.
public struct LogFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error for `path` from the current `errno`.
    static func fromErrno(_ action: String, path: String) -> LogFileError {
        LogFileError(path: path, reason: "\(action): \(String(cString: strerror(errno)))")
    }

    public var description: String { "\(path): \(reason)" }
}

/// Writes log entries as JSON lines to `<directory>/steward.log`, rotating by size.
///
/// - **The caller never waits on the disk.** `write` puts the entry's line on a bounded queue
///   (65,536 entries by default) that a dedicated writer thread drains in batches. When the
///   queue is full the entry is dropped and counted, and a warning line "dropped N log
///   entries" in the file marks the gap (see `LogWriteQueue`).
/// - **Rotation by size.** Before a line would take `steward.log` past `maxBytes`, the file
///   is renamed `steward.log.1`, an existing `.1` becomes `.2` and so on, the oldest past
///   `keep` is deleted, and a new `steward.log` is started. So the folder holds the live
///   file plus at most `keep` rotated ones, the newest rotated being `.1`. Lines are never
///   split across files; a single line longer than `maxBytes` gets a file of its own.
/// - **Moved or deleted files.** Before each batch the writer checks that `steward.log` is
///   still the file it has open; if an operator or another tool moved or deleted it, a new
///   one is created, so logging does not silently continue into an unlinked file.
///
/// - **Shared folders.** Several processes may log into one folder (`steward serve` and a
///   command run beside it): every `write(2)` holds whole lines and the file is opened with
///   `O_APPEND`, so lines never interleave, and the check above makes each writer follow a
///   rotation done by another.
///
/// `close()` writes out what is queued and stops the writer thread; call it (or at least
/// `flush()`) before the process exits, or the last queued lines are lost with it.
///
/// Files are created with mode 0640 and the folder, when missing, with 0750: logs hold
/// e-mail addresses and IP addresses, which are not for every local user.
public final class JSONLinesFileSink: LogSink {
    /// The folder holding the log files.
    public let directory: URL
    /// The live file, `<directory>/<fileName>`.
    public let fileURL: URL
    /// Size after which the live file is rotated.
    public let maxBytes: Int
    /// How many rotated files are kept besides the live one.
    public let keep: Int

    private let file: RotatingLogFile
    private let queue: LogWriteQueue

    /// Opens (creating if needed) the folder and the live file at once, so that a bad
    /// `STEWARD_LOG_DIR` stops start-up with a message naming it rather than losing logs later.
    public init(
        directory: URL,
        fileName: String = "steward.log",
        maxBytes: Int = 10 * 1024 * 1024,
        keep: Int = 5,
        queueCapacity: Int = 65_536
    ) throws {
        precondition(maxBytes > 0, "maxBytes must be positive")
        precondition(keep >= 0, "keep must not be negative")
        self.directory = directory
        self.fileURL = directory.appendingPathComponent(fileName)
        self.maxBytes = maxBytes
        self.keep = keep
        self.file = try RotatingLogFile(directory: directory.path, path: fileURL.path, maxBytes: maxBytes, keep: keep)
        self.queue = LogWriteQueue(capacity: queueCapacity, threadName: "steward-log-file", destination: file)
    }

    public func write(_ entry: LogEntry, line: [UInt8]) { queue.enqueue(line) }

    public var dropped: Int { queue.dropped }

    public func flush() { queue.flush() }

    public func close() { queue.close() }
}

/// The writer thread's side of `JSONLinesFileSink`: the open file, its size, and rotation.
final class RotatingLogFile: LogBatchDestination {
    let directory: String
    let path: String
    let maxBytes: Int
    let keep: Int

    private struct FileState {
        var descriptor: Int32 = -1
        /// Bytes in the live file, so rotation needs no `stat` per line.
        var size = 0
        /// Reused for every batch, so steady logging allocates nothing here.
        var buffer: [UInt8] = []
    }

    /// Touched only by the writer thread; the mutex makes that provable to the compiler
    /// and costs one uncontended lock per batch.
    private let state = Mutex(FileState())

    /// Buffers are written out once they reach this size, so a huge batch does not
    /// turn into one huge allocation.
    private static let writeChunkBytes = 1 << 20

    init(directory: String, path: String, maxBytes: Int, keep: Int) throws {
        self.directory = directory
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        try state.withLock { state in
            try RotatingLogFile.createDirectory(directory)
            let (descriptor, size) = try RotatingLogFile.open(path, truncate: false)
            state.descriptor = descriptor
            state.size = size
            state.buffer.reserveCapacity(RotatingLogFile.writeChunkBytes + 4096)
        }
    }

    func write(_ batch: [[UInt8]]) -> Int {
        state.withLock { state in
            reopenIfMoved(&state)
            var failed = 0
            var linesInBuffer = 0
            state.buffer.removeAll(keepingCapacity: true)
            for line in batch {
                let lineStart = state.buffer.count
                state.buffer.append(contentsOf: line)
                let lineEnd = state.buffer.count
                if state.size + lineEnd > maxBytes, state.size + lineStart > 0 {
                    // This line would push the file past its limit: finish the file with
                    // the lines before it, rotate, and start the new file with this line.
                    if !writeBuffered(&state, upTo: lineStart) { failed += linesInBuffer }
                    rotate(&state)
                    linesInBuffer = 0
                }
                linesInBuffer += 1
                if state.buffer.count >= RotatingLogFile.writeChunkBytes {
                    if !writeBuffered(&state, upTo: state.buffer.count) { failed += linesInBuffer }
                    linesInBuffer = 0
                }
            }
            if !state.buffer.isEmpty, !writeBuffered(&state, upTo: state.buffer.count) { failed += linesInBuffer }
            return failed
        }
    }

    func close() {
        state.withLock { state in
            if state.descriptor >= 0 { SystemCall.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Writes `buffer[..<end]`, counts it into the file size, and keeps the rest of the
    /// buffer (the line that opens the next file) for later. `false` if the write failed;
    /// the bytes are discarded either way, since retrying a failing disk forever would
    /// only grow memory.
    private func writeBuffered(_ state: inout FileState, upTo end: Int) -> Bool {
        guard end > 0 else { return true }
        var succeeded = false
        if state.descriptor < 0 { reopen(&state) }
        if state.descriptor >= 0 {
            succeeded = state.buffer.withUnsafeBufferPointer {
                writeFully(state.descriptor, UnsafeBufferPointer(rebasing: $0[..<end]))
            }
            if succeeded { state.size += end }
        }
        state.buffer.removeSubrange(..<end)
        return succeeded
    }

    /// steward.log → steward.log.1 → … → steward.log.<keep>, the last one deleted.
    private func rotate(_ state: inout FileState) {
        if state.descriptor >= 0 { SystemCall.close(state.descriptor) }
        state.descriptor = -1
        if keep == 0 {
            unlink(path)
        } else {
            unlink("\(path).\(keep)")
            var generation = keep - 1
            while generation >= 1 {
                rename("\(path).\(generation)", "\(path).\(generation + 1)")
                generation -= 1
            }
            rename(path, "\(path).1")
        }
        reopen(&state, truncate: true)
    }

    /// Opens the live file again (after rotation, or after an error or a move).
    private func reopen(_ state: inout FileState, truncate: Bool = false) {
        if state.descriptor >= 0 { SystemCall.close(state.descriptor) }
        state.descriptor = -1
        state.size = 0
        _ = try? RotatingLogFile.createDirectory(directory)
        if let (descriptor, size) = try? RotatingLogFile.open(path, truncate: truncate) {
            state.descriptor = descriptor
            state.size = size
        }
    }

    /// Starts a new live file if the one open is no longer at `path` (moved or deleted by
    /// someone else), and refreshes the size in case someone truncated it.
    private func reopenIfMoved(_ state: inout FileState) {
        guard state.descriptor >= 0 else {
            reopen(&state)
            return
        }
        var open = stat()
        var named = stat()
        guard fstat(state.descriptor, &open) == 0 else { return reopen(&state) }
        if stat(path, &named) != 0 || named.st_ino != open.st_ino || named.st_dev != open.st_dev {
            reopen(&state)
        } else {
            state.size = Int(open.st_size)
        }
    }

    static func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw LogFileError(path: directory, reason: "cannot create the log folder (\(error.localizedDescription))")
        }
    }

    /// Opens `path` for appending; returns the descriptor and the current size.
    static func open(_ path: String, truncate: Bool) throws -> (Int32, Int) {
        var flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        if truncate { flags |= O_TRUNC }
        let descriptor = SystemCall.open(path, flags, 0o600)
        guard descriptor >= 0 else { throw LogFileError.fromErrno("cannot open the log file", path: path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = LogFileError.fromErrno("cannot read the log file's size", path: path)
            SystemCall.close(descriptor)
            throw error
        }
        return (descriptor, Int(status.st_size))
    }
}

/// Writes all of `bytes` to `descriptor`, retrying after interrupted and partial writes.
func writeFully(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard var pointer = bytes.baseAddress else { return true }
    var remaining = bytes.count
    while remaining > 0 {
        let written = SystemCall.write(descriptor, pointer, remaining)
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        pointer += written
        remaining -= written
    }
    return true
}

/// The few system calls the log files need, under a namespace: inside a sink, a bare
/// `close(fd)` or `write(fd, …)` would name the sink's own methods.
enum SystemCall {
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }

    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    static func read(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
        #else
        Darwin.read(descriptor, bytes, count)
        #endif
    }
}

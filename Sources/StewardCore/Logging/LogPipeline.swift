import Foundation
import Logging
import Synchronization

/// A destination for log entries: a file, standard output, a test's collector.
///
/// `write` is called on the thread that logged, for every entry, so it must return at
/// once — queue the entry and do the slow work elsewhere, as `JSONLinesFileSink` and
/// `StdoutSink` do. Entries arrive already redacted, and already encoded: the pipeline
/// writes each entry's JSON line once and hands the same bytes to every sink.
public protocol LogSink: AnyObject, Sendable {
    /// Takes one entry and its JSON line (newline included). Must not block.
    func write(_ entry: LogEntry, line: [UInt8])
    /// Entries this sink has lost since it was created (a full queue, a failing disk).
    var dropped: Int { get }
    /// Waits until every entry written before the call has reached the destination.
    func flush()
    /// Writes out what is pending and releases the destination; later entries are dropped.
    func close()
}

extension LogSink {
    /// Takes one entry, encoding it here: for callers outside a pipeline (tests, tools).
    public func write(_ entry: LogEntry) {
        write(entry, line: entry.encodedLine)
    }
}

/// The one way log entries travel through Steward.
///
/// Request lines, security events and swift-log messages all `emit` into one pipeline,
/// which
/// 1. drops entries below `minimumLevel` (`STEWARD_LOG_LEVEL`);
/// 2. masks secrets with its `Redactor`, before anything else can see the entry;
/// 3. appends the entry to `ring`, the in-memory history the console's Logs tab shows
///    (a process without a console keeps none);
/// 4. writes its JSON line once and hands entry and line to every sink (the log file;
///    standard output under `steward serve`; the database on PostgreSQL).
///
/// `emit` never waits on a disk or a terminal: sinks queue, and the ring holds a lock
/// only to copy an entry in. Create one pipeline at start-up, add its sinks, and call
/// `bootstrapLoggingSystem()` so that every swift-log `Logger` in the process (ours and
/// our dependencies') feeds it too.
public final class LogPipeline: Sendable {
    /// The last entries, for the console; `nil` when the pipeline keeps no history.
    public let ring: LogRing?
    /// The secret masking applied to every entry.
    public let redactor: Redactor

    private let sinks = Mutex<[any LogSink]>([])
    private let minimumLevelRank: Atomic<UInt8>
    /// Writes each entry's line once for all sinks; it keeps the formatted current second
    /// between lines. Never waited for: a thread that finds it busy encodes with a fresh
    /// one (a few hundred nanoseconds more, less than queueing on a contended lock).
    private let encoder = Mutex(LogLineEncoder())

    /// - Parameter capacity: how many entries `ring` keeps; 0 for no ring (`steward
    ///   serve`, which has no console to show them).
    public init(ring capacity: Int = 10_000, minimumLevel: Logger.Level = .info, redactor: Redactor = Redactor()) {
        self.ring = capacity > 0 ? LogRing(capacity: capacity) : nil
        self.redactor = redactor
        self.minimumLevelRank = Atomic(minimumLevel.pipelineRank)
    }

    /// The least serious level that is kept. Changing it takes effect at once, for
    /// entries emitted directly and for swift-log loggers created afterwards (loggers keep
    /// the level they were created with as their own first filter).
    public var minimumLevel: Logger.Level {
        get { Logger.Level(pipelineRank: minimumLevelRank.load(ordering: .relaxed)) }
        set { minimumLevelRank.store(newValue.pipelineRank, ordering: .relaxed) }
    }

    /// True when an entry of `level` would be kept; lets a caller skip building it.
    public func isEnabled(_ level: Logger.Level) -> Bool {
        level.pipelineRank >= minimumLevelRank.load(ordering: .relaxed)
    }

    /// Adds a destination; entries emitted from now on reach it.
    public func add(sink: any LogSink) {
        sinks.withLock { $0.append(sink) }
    }

    /// Sends one entry down the pipeline. Returns at once.
    public func emit(_ entry: LogEntry) {
        guard isEnabled(entry.level) else { return }
        let clean = redactor.redact(entry)
        ring?.append(clean)
        let sinks = sinks.withLock { $0 }
        guard !sinks.isEmpty else { return }
        let line = encoder.withLockIfAvailable { $0.line(for: clean) } ?? clean.encodedLine
        for sink in sinks {
            sink.write(clean, line: line)
        }
    }

    /// Builds and emits an entry stamped with the current time.
    public func emit(
        _ level: Logger.Level,
        source: String,
        _ message: String,
        metadata: [String: String] = [:]
    ) {
        guard isEnabled(level) else { return }
        emit(LogEntry(level: level, source: source, message: message, metadata: metadata))
    }

    /// Entries lost by all sinks together since they were added.
    public var dropped: Int {
        sinks.withLock { $0 }.reduce(0) { $0 + $1.dropped }
    }

    /// Waits until every entry emitted before the call has reached every sink's
    /// destination: for tests, and before a clean exit.
    public func flush() {
        for sink in sinks.withLock({ $0 }) { sink.flush() }
    }

    /// Flushes and closes every sink. Entries emitted afterwards still reach the ring.
    public func close() {
        for sink in sinks.withLock({ $0 }) { sink.close() }
    }
}

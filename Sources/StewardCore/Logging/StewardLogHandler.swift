import Foundation
import Logging

/// The swift-log backend that feeds Steward's `LogPipeline`.
///
/// Every record logged through a swift-log `Logger` — ours, Hummingbird's, any
/// dependency's — becomes a `LogEntry`: the logger's label is the entry's `source` (so name
/// loggers `http`, `security`, `app`…), and the handler's metadata, the metadata provider's
/// and the call's are merged in that order (later wins) and flattened to strings. An
/// `error:` passed to the log call is kept as `error.message` and `error.type`, as
/// swift-log's own stream handler does.
public struct StewardLogHandler: LogHandler {
    /// The logger's label, used as the entries' source.
    public let label: String
    public let pipeline: LogPipeline
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// - Parameter logLevel: the logger's own level; by default the pipeline's minimum,
    ///   so that `Logger` skips building messages the pipeline would drop anyway.
    public init(
        label: String,
        pipeline: LogPipeline,
        logLevel: Logger.Level? = nil,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.pipeline = pipeline
        self.logLevel = logLevel ?? pipeline.minimumLevel
        self.metadataProvider = metadataProvider
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = .string("\(error)")
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }
        pipeline.emit(LogEntry(
            level: event.level,
            source: label,
            message: event.message.description,
            metadata: merged.isEmpty ? [:] : LogEntry.flatten(merged)
        ))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

extension LogPipeline {
    /// Makes this pipeline the backend of every swift-log `Logger` in the process.
    ///
    /// swift-log allows this once per process (a second call traps), so only the binary's
    /// start-up calls it; tests build `Logger(label:) { StewardLogHandler(label: $0, pipeline: …) }`
    /// instead.
    public func bootstrapLoggingSystem(metadataProvider: Logger.MetadataProvider? = nil) {
        LoggingSystem.bootstrap({ label, provider in
            StewardLogHandler(label: label, pipeline: self, metadataProvider: provider)
        }, metadataProvider: metadataProvider)
    }

    /// Builds the binary's pipeline, adds its sinks and bootstraps swift-log with it: the
    /// one call `steward` makes at start-up.
    ///
    /// - Parameters:
    ///   - minimumLevel: `STEWARD_LOG_LEVEL`.
    ///   - logDirectory: `STEWARD_LOG_DIR`; the JSON-lines files go there. `nil` for none.
    ///   - standardOutput: also write JSON lines to stdout (`steward serve`).
    /// - Throws: `LogFileError` naming the folder or file when the log folder cannot be
    ///   created or the log file opened.
    @discardableResult
    public static func bootstrap(
        minimumLevel: Logger.Level = .info,
        logDirectory: URL?,
        standardOutput: Bool = false,
        ringCapacity: Int = 10_000,
        maxFileBytes: Int = 10 * 1024 * 1024,
        keepFiles: Int = 5
    ) throws -> LogPipeline {
        let pipeline = LogPipeline(ring: ringCapacity, minimumLevel: minimumLevel)
        if let logDirectory {
            pipeline.add(sink: try JSONLinesFileSink(directory: logDirectory, maxBytes: maxFileBytes, keep: keepFiles))
        }
        if standardOutput {
            pipeline.add(sink: StdoutSink())
        }
        pipeline.bootstrapLoggingSystem()
        return pipeline
    }
}

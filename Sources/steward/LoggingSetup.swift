import Foundation
import StewardCore

/// The one logging pipeline of this process, set up once by the command that runs.
///
/// Every command logs to the JSON-lines files in `STEWARD_LOG_DIR`; `steward serve`
/// also writes each entry to stdout. Nothing logs to the terminal while the console runs.
enum LoggingSetup {
    nonisolated(unsafe) private static var current: LogPipeline?
    private static let lock = NSLock()

    /// Bootstraps swift-log into the pipeline (once per process) and returns it.
    @discardableResult
    static func start(_ config: StewardConfig, standardOutput: Bool = false) throws -> LogPipeline {
        try lock.withLock {
            if let current { return current }
            do {
                let pipeline = try LogPipeline.bootstrap(
                    minimumLevel: config.logLevel,
                    logDirectory: URL(fileURLWithPath: config.logDirectory),
                    standardOutput: standardOutput,
                    // Only the console reads the in-memory history; `steward serve`, the one
                    // caller that logs to stdout, would keep 10,000 entries nobody reads.
                    ringCapacity: standardOutput ? 0 : 10_000)
                current = pipeline
                atexit { LoggingSetup.finish() }
                return pipeline
            } catch {
                throw CLIError("STEWARD_LOG_DIR: cannot write logs: \(error)")
            }
        }
    }

    /// Writes out what is queued; called at exit so the last lines are not lost.
    static func finish() {
        lock.withLock { current }?.close()
    }
}

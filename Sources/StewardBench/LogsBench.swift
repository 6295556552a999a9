import Foundation
import Logging
import StewardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many log lines a second the pipeline sustains to disk.
///
/// `steward-bench logs [LINES]` (default 1,000,000) writes request lines, the most common
/// and among the longest entries, through four paths into fresh temporary folders:
///
/// 1. the file sink alone (encode + `write(2)` on its writer thread);
/// 2. the whole pipeline (redaction scan, ring append, file sink);
/// 3. a swift-log `Logger` through `StewardLogHandler` into the pipeline, as the HTTP door
///    logs (metadata built per call, flattened, then path 2);
/// 4. the caller's side alone: how long `write` takes to return with nobody waiting for
///    the disk, which is what a request handler pays: since the pipeline writes each line
///    once for all its sinks, that includes encoding the line (about a microsecond).
///
/// Paths 1–3 flush every 32,768 lines, which keeps the bounded queue below its capacity,
/// so the figure is sustained throughput to disk and not the rate at which a full queue
/// drops. Each row gives wall-clock lines per second and lines per CPU-second of the whole
/// process (all threads): on a shared machine the wall clock also measures the neighbours,
/// the CPU time only what logging costs.
enum LogsBench {
    static func run(_ arguments: [String]) async throws {
        let total = try arguments.first.map { text -> Int in
            guard let value = Int(text), value > 0 else { throw BenchError("usage: steward-bench logs [LINES]") }
            return value
        } ?? 1_000_000
        let chunk = 32_768
        let entries = (0..<1_000).map { index in
            LogEntry.request(requestId: "req-\(index)", method: "GET", path: "/api/posts/\(index)", status: 200,
                             durationMs: Double(index % 97) / 10, ip: "127.0.0.1", userId: Int64(index),
                             userAgent: "Mozilla/5.0 (X11; Linux x86_64) steward-load/1.0")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logs-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }

        print("## Logging: lines per second through the pipeline\n")
        print("\(total) request lines of about \(entries[0].jsonLine.utf8.count + 1) bytes each, flushed every \(chunk); "
              + "files rotate at 10 MiB, 5 kept.\n")
        print("| path | wall | lines/s | CPU (all threads) | lines per CPU-second | dropped |")
        print("|---|---|---|---|---|---|")

        let sink = try JSONLinesFileSink(directory: scratch.appendingPathComponent("sink"))
        let sinkResult = measure(total: total, chunk: chunk) { sink.write(entries[$0 % entries.count]) } flush: { sink.flush() }
        sink.close()
        printRow("file sink (encode + write)", sinkResult, dropped: sink.dropped)

        let pipeline = LogPipeline()
        pipeline.add(sink: try JSONLinesFileSink(directory: scratch.appendingPathComponent("pipeline")))
        let pipelineResult = measure(total: total, chunk: chunk) { pipeline.emit(entries[$0 % entries.count]) } flush: { pipeline.flush() }
        pipeline.close()
        printRow("pipeline (redact + ring + file sink)", pipelineResult, dropped: pipeline.dropped)

        let loggerPipeline = LogPipeline()
        loggerPipeline.add(sink: try JSONLinesFileSink(directory: scratch.appendingPathComponent("logger")))
        let logger = Logger(label: "http") { StewardLogHandler(label: $0, pipeline: loggerPipeline, metadataProvider: nil) }
        let loggerResult = measure(total: total, chunk: chunk) { index in
            // The metadata the request-log middleware builds for every request.
            logger.info("GET /api/posts/\(index % 1_000) 200", metadata: [
                "requestId": .string("req-\(index % 1_000)"), "method": "GET", "path": .string("/api/posts/\(index % 1_000)"),
                "status": .stringConvertible(200), "durationMs": .stringConvertible(Double(index % 97) / 10),
                "ip": "127.0.0.1", "userId": .stringConvertible(index % 1_000),
                "userAgent": "Mozilla/5.0 (X11; Linux x86_64) steward-load/1.0",
            ])
        } flush: { loggerPipeline.flush() }
        loggerPipeline.close()
        printRow("swift-log Logger → StewardLogHandler → pipeline", loggerResult, dropped: loggerPipeline.dropped)

        // The caller's side: a burst the size of the queue, never flushed while it runs.
        let burstSink = try JSONLinesFileSink(directory: scratch.appendingPathComponent("burst"))
        let burst = 65_536
        let start = ContinuousClock.now
        for index in 0..<burst { burstSink.write(entries[index % entries.count]) }
        let returned = seconds(ContinuousClock.now - start)
        burstSink.close()
        print("\nCaller side: \(burst) `write` calls (one full queue) returned in \(String(format: "%.1f", returned * 1000)) ms, "
              + "\(String(format: "%.0f", returned / Double(burst) * 1e9)) ns each; dropped \(burstSink.dropped).")
        let target = 50_000.0
        let verdict = sinkResult.linesPerSecond >= target ? "meets" : "misses"
        print("The file sink \(verdict) the target of \(Int(target)) lines/s (wall clock).")
    }

    struct Result {
        var total: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        var linesPerSecond: Double { Double(total) / wallSeconds }
        var linesPerCPUSecond: Double { Double(total) / max(cpuSeconds, 1e-9) }
    }

    static func measure(total: Int, chunk: Int, emit: (Int) -> Void, flush: () -> Void) -> Result {
        let cpuAtStart = processCPUSeconds()
        let start = ContinuousClock.now
        var sent = 0
        while sent < total {
            let end = min(sent + chunk, total)
            for index in sent..<end { emit(index) }
            sent = end
            flush()
        }
        let wall = seconds(ContinuousClock.now - start)
        return Result(total: total, wallSeconds: wall, cpuSeconds: processCPUSeconds() - cpuAtStart)
    }

    static func printRow(_ label: String, _ result: Result, dropped: Int) {
        print("| \(label) | \(String(format: "%.2f s", result.wallSeconds)) | \(grouped(result.linesPerSecond)) | "
              + "\(String(format: "%.2f s", result.cpuSeconds)) | \(grouped(result.linesPerCPUSecond)) | \(dropped) |")
    }

    /// CPU seconds this process has used so far, user and system, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var result = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }
}

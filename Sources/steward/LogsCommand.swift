import ArgumentParser
import Dispatch
import Foundation
import Logging
import StewardCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `steward logs`: the log files of `STEWARD_LOG_DIR`, oldest line first.
///
/// The folder is the one the other commands write to: `STEWARD_LOG_DIR`, else `logs/`
/// beside the database (so `--db` and `STEWARD_DB` move it too). Reading never opens the
/// database and never writes a log line of its own, so the command can run beside a live
/// server, on a copy of someone's log folder, or with the database gone.
///
/// The human form is one terminal-safe line per entry, `time LEVEL source message key=value…`;
/// `--json` prints the stored JSON lines untouched (for `jq`). `lnav` reads the folder
/// directly: `lnav logs/`.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the log files (STEWARD_LOG_DIR, default logs/ beside the database).",
        discussion: """
            Rotated files are read oldest first, then the live steward.log. --follow keeps \
            printing new lines as they are written, across rotation, until Ctrl-C. \
            --level keeps that level and everything more serious (trace, debug, info, notice, \
            warning, error, critical). --grep keeps lines whose human form contains the text, \
            ignoring case. --json prints the stored JSON lines, for jq: \
            steward logs --json | jq 'select(.status >= 400)'.
            """)

    @OptionGroup var database: DatabaseOptions
    @Flag(name: [.short, .long], help: "Keep printing new lines as they are written; stop with Ctrl-C.")
    var follow = false
    @Option(name: .long, help: "The least serious level to print: trace, debug, info, notice, warning, error or critical.")
    var level: String?
    @Option(name: .long, help: "Only lines containing this text (case-insensitive).")
    var grep: String?
    @Flag(name: .long, help: "Print the stored JSON lines instead of the human form.")
    var json = false

    func validate() throws {
        if let level, LogEntry.level(named: level) == nil {
            throw ValidationError("--level: '\(level)' is not a log level; expected one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() throws {
        // `steward logs | head` closes the pipe early: without this the next write would
        // kill the process with SIGPIPE; with it, the write fails with EPIPE and
        // `StandardOutputLines` ends the command quietly.
        signal(SIGPIPE, SIG_IGN)
        let config = try database.config()
        let directory = URL(fileURLWithPath: config.logDirectory)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) else {
            throw CLIError("no log folder at \(directory.path) (STEWARD_LOG_DIR, else logs/ beside the database \(config.databasePath)); nothing has logged there yet")
        }
        guard isFolder.boolValue else {
            throw CLIError("\(directory.path) is not a folder (STEWARD_LOG_DIR must name the log folder)")
        }

        let options = LogReader.Options(minimumLevel: level.flatMap(LogEntry.level(named:)), grep: grep, json: json)
        let reader = LogReader(directory: directory)
        let output = StandardOutputLines()
        do {
            if follow {
                let interrupted = InterruptFlag()
                // Catching up on large rotated files can take a while: Ctrl-C ends that too.
                output.stopRequested = { interrupted.isRaised }
                try reader.follow(options, until: {
                    // Asked after every poll: a good moment to hand what was read to the terminal.
                    output.flush()
                    return interrupted.isRaised
                }, write: output.write)
                interrupted.restore()
            } else {
                try reader.read(options, write: output.write)
            }
        } catch let error as LogFileError {
            output.flush()
            throw CLIError(error.description)
        }
        output.flush()
    }
}

/// Buffers output lines and writes them to standard output with `write(2)`.
///
/// `print` would go through stdio, whose errors are silent; writing directly lets the
/// command notice a closed pipe (EPIPE, as SIGPIPE is ignored) and end at once with
/// status 0, like `cat` does under `| head`, instead of parsing the rest of the files for
/// nobody.
final class StandardOutputLines {
    // Used from the one thread that runs the command.
    private var buffer: [UInt8] = []
    private let flushThreshold = 64 * 1024
    /// Asked before each line: when it answers true, what is buffered is written and the
    /// command ends with status 0 (Ctrl-C while `--follow` is still catching up).
    var stopRequested: () -> Bool = { false }

    init() {
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    func write(_ line: String) {
        if stopRequested() {
            flush()
            exit(EXIT_SUCCESS)
        }
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        // The errno of a failed write, or nil when everything was written.
        let failure = buffer.withUnsafeBytes { bytes -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = writeToStandardOutput(bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        buffer.removeAll(keepingCapacity: true)
        // The reader went away (EPIPE) or stdout is broken: nothing more can be shown.
        if let failure { exit(failure == EPIPE ? EXIT_SUCCESS : EXIT_FAILURE) }
    }
}

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag that `--follow` polls, so the command
/// stops between two reads, with the last lines flushed and the files closed, rather than
/// dying mid-write.
final class InterruptFlag {
    /// Set by the signal handlers on a Dispatch queue, read by the command's thread.
    private final class Raised: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let raised = Raised()
    private var sources: [any DispatchSourceSignal] = []

    init() {
        let raised = self.raised
        for number in [SIGINT, SIGTERM] {
            // The default action would end the process before the source ever ran.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { raised.value.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    var isRaised: Bool { raised.value.load(ordering: .relaxed) }

    /// Gives the signals back their default action.
    func restore() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// `write(2)` to standard output. A free function, because inside `StandardOutputLines`
/// the name `write` is the class's own method.
private func writeToStandardOutput(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(STDOUT_FILENO, bytes, count)
}

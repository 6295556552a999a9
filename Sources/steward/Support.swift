import ArgumentParser
import Dispatch
import Foundation
import StewardCore

/// Options every command that opens a database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite file or postgres:// URL (default: STEWARD_DB, else data/steward.sqlite).")
    var db: String?

    /// The configuration from the environment, `.env` and these flags.
    func config(_ overrides: [String: String] = [:]) throws -> StewardConfig {
        var all = overrides
        if let db { all["STEWARD_DB"] = db }
        do {
            return try StewardConfig.fromProcess(overrides: all)
        } catch {
            throw CLIError(error.description)
        }
    }

    func openServices(_ overrides: [String: String] = [:], migrate: Bool = true, standardOutputLog: Bool = false) throws -> Services {
        let config = try config(overrides)
        let pipeline = try LoggingSetup.start(config, standardOutput: standardOutputLog)
        do {
            let services = try Services.open(config: config, migrate: migrate)
            services.shareLogs(from: pipeline)
            return services
        } catch let error as StewardError {
            throw CLIError(error)
        }
    }
}

/// A failure the command line reports as one clear line on stderr, exiting 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }

    /// The error's safe message; for an internal failure, also its cause (what SQLite or
    /// PostgreSQL said), which the operator at this terminal needs and which never holds a
    /// secret: the stores build it from the database's message, not from bound values.
    init(_ error: StewardError) {
        if error.kind == .internalError, let cause = error.underlying {
            description = "\(error.description) (\(cause))"
        } else {
            description = error.description
        }
    }
}

/// Runs async service calls from a synchronous command: the main thread waits while the
/// work runs on the cooperative pool. Errors come back as clear CLI errors.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task.detached {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    switch box.result! {
    case .success(let value): return value
    case .failure(let error as StewardError): throw CLIError(error)
    case .failure(let error): throw error
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    // Written once by the task before it signals, read once after the wait: the semaphore orders them.
    var result: Result<T, any Error>?
}

/// Reads a password: one line from stdin with `--password-stdin`, else a prompt with the
/// terminal's echo turned off.
func readPassword(fromStdin: Bool, prompt: String) throws -> String {
    if fromStdin {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIError("--password-stdin: no password on standard input")
        }
        return line
    }
    guard isatty(STDIN_FILENO) == 1 else {
        throw CLIError("no terminal to prompt for a password on; pass it with --password-stdin")
    }
    FileHandle.standardError.write(Data(prompt.utf8))
    var saved = termios()
    tcgetattr(STDIN_FILENO, &saved)
    var silent = saved
    silent.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(STDIN_FILENO, TCSANOW, &silent)
    defer {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        FileHandle.standardError.write(Data("\n".utf8))
    }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIError("no password given") }
    return line
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

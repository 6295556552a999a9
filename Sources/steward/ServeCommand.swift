import ArgumentParser
import Foundation
import Logging
import StewardCore
import StewardHTTP

/// `steward serve`: the HTTP API without the console, for servers and scripts.
///
/// Standard output carries only JSON log lines (one per request, plus start and stop);
/// errors that stop start-up go to stderr with exit code 1. SIGINT or SIGTERM stops
/// accepting connections, lets in-flight requests finish and exits 0.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API headless; JSON log lines on stdout; stops cleanly on SIGINT/SIGTERM.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The address to listen on (default: STEWARD_HOST, else 127.0.0.1).") var host: String?
    @Option(name: .long, help: "The port to listen on, 0 for any free one (default: STEWARD_PORT, else 8080).") var port: Int?

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if let host, host.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--host must not be empty") }
    }

    func run() throws {
        // A client that hangs up mid-answer must not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // Before anything starts a task: requests then run on the loops that read them.
        EventLoopExecutor.adopt()
        var overrides: [String: String] = [:]
        if let host { overrides[ConfigVariable.host.rawValue] = host }
        // STEWARD_PORT accepts 1 to 65535; port 0 (any free port) is a flag-only convenience.
        if let port, port > 0 { overrides[ConfigVariable.port.rawValue] = String(port) }
        let services = try database.openServices(overrides, standardOutputLog: true)
        let bindHost = services.config.host
        let bindPort = port == 0 ? 0 : services.config.port
        let logger = Logger(label: "http")
        logger.info("starting the HTTP API", metadata: [
            "environment": .string(services.config.environment.rawValue),
            "database": .string(services.config.databasePath),
        ])
        let server = StewardServer(services: services, logger: logger)
        do {
            try blocking { try await server.run(host: bindHost, port: bindPort) }
        } catch {
            logger.error("the HTTP API stopped on an error", metadata: ["error": .string("\(error)")])
            throw CLIError("cannot serve on \(bindHost):\(bindPort): \(error)")
        }
    }
}

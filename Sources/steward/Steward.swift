import ArgumentParser
import Foundation
import StewardCore

@main
struct Steward: ParsableCommand {
    /// Everything Steward writes is private to the account that runs it: the database and
    /// its `-wal`/`-shm`, the secret, backups, exports and logs hold password hashes,
    /// personal data and request details. Files are created 0600 and folders 0700.
    static func main() {
        umask(0o077)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "A small team's backend core over SQLite, with a terminal console and an HTTP API.",
        version: StewardCoreVersion.string,
        subcommands: [
            MigrateCommand.self, SeedCommand.self, UserCommand.self, BackupCommand.self,
            SanitizeCommand.self, ExportCommand.self,
            ServeCommand.self,
            LogsCommand.self,
            ConsoleCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
}

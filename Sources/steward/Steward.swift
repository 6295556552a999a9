import ArgumentParser
import Foundation
import StewardCore

@main
struct Steward: ParsableCommand {
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

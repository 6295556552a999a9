import ArgumentParser
import Foundation
import StewardCore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the live database consistently (SQLite online backup, or a verified pg_dump archive on PostgreSQL), safe while the server writes.",
        discussion: """
            --out names a new file, or a folder (a path ending in /, or an existing folder) to write \
            steward-YYYYMMDD-HHMMSS.sqlite into. The copy passes SQLite's integrity check before it \
            appears, with mode 0600; an existing file is replaced only with --force. --keep N then keeps \
            the newest N steward-*.sqlite files of that folder and deletes the rest. Audited as BACKUP. \
            On PostgreSQL the file is a pg_dump custom-format archive, steward-YYYYMMDD-HHMMSS.dump, \
            read back with pg_restore --list before it appears; the password reaches pg_dump in a \
            private password file, never on its command line.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "The backup file, or a folder for a time-stamped file.") var out: String
    @Option(name: .long, help: "Keep only the newest N steward-*.sqlite (or *.dump) backups in the output folder.") var keep: Int?
    @Flag(name: .long, help: "Replace the file named by --out if it exists.") var force = false

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        let config = try database.config()
        guard config.postgres != nil || FileManager.default.fileExists(atPath: config.databasePath) else {
            throw CLIError("no database at \(config.databasePath)")
        }
        let services = try database.openServices(migrate: false)
        let out = self.out, force = self.force, keep = self.keep
        let report = try blocking { try await services.operations.backup(.commandLine, to: out, force: force, keep: keep) }
        print("backed up \(config.databasePath) to \(report.path) (\(report.bytes / 1024) KiB, \(config.postgres == nil ? "integrity ok" : "archive verified"))")
        for path in report.pruned { print("pruned \(path)") }
    }
}

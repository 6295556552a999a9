import Foundation
import ArgumentParser
import StewardCore

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations to the database.")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "List the migrations and whether each is applied; change nothing.")
    var status = false
    @Option(name: .customLong("from-sqlite"), help: "Copy this Steward SQLite file into the PostgreSQL database STEWARD_DB names, which must be empty.")
    var fromSQLite: String?

    func validate() throws {
        if status && fromSQLite != nil { throw ValidationError("give either --status or --from-sqlite, not both") }
    }

    func run() throws {
        if let fromSQLite {
            let services = try database.openServices(migrate: true)
            let operations = services.operations
            let started = Date()
            let counts = try blocking {
                try await operations.migrateFromSQLite(.commandLine, path: fromSQLite) { table, rows in
                    print("copied \(table): \(rows) rows")
                }
            }
            let total = counts.reduce(0) { $0 + $1.rows }
            print("moved \(fromSQLite) into \(operations.databaseLocation): \(total) rows in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            return
        }
        let services = try database.openServices(migrate: false)
        let operations = services.operations
        if status {
            for migration in try blocking({ try await operations.migrationStatus(.commandLine) }) {
                print("\(migration.applied ? "applied" : "pending")  \(migration.id)")
            }
            return
        }
        let applied = try blocking { try await operations.migrate(.commandLine) }
        if applied.isEmpty {
            print("\(operations.databaseLocation): up to date")
        } else {
            for id in applied { print("applied  \(id)") }
        }
    }
}

import ArgumentParser
import StewardCore

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations to the database.")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "List the migrations and whether each is applied; change nothing.")
    var status = false

    func run() throws {
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

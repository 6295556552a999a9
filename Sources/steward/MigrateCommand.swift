import ArgumentParser
import StewardCore

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations to the database.")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "List the migrations and whether each is applied; change nothing.")
    var status = false

    func run() throws {
        let config = try database.config()
        let store: Store
        do { store = try Store(path: config.databasePath, migrate: false) } catch let error as StewardError { throw CLIError(error.description) }
        if status {
            for migration in try store.migrationStatus() {
                print("\(migration.applied ? "applied" : "pending")  \(migration.id)")
            }
            return
        }
        let applied = try store.migrate()
        if applied.isEmpty {
            print("\(config.databasePath): up to date")
        } else {
            for id in applied { print("applied  \(id)") }
        }
    }
}

import ArgumentParser
import Foundation
import StewardCore

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill an empty database: the demo set, or deterministic generated volumes.",
        discussion: "Generated data: user 1 is admin@example.com (admin), user 2 mod@example.com (moderator), the rest userN@example.com; every generated account's password is Passw0rd!x.")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "Load the demo set built into the binary (the files of data/demo/).") var demo = false
    @Option(name: .long, help: "Generated users.") var users: Int?
    @Option(name: .long, help: "Generated posts.") var posts: Int?
    @Option(name: .long, help: "Generated comments.") var comments: Int?
    @Option(name: .long, help: "Seed of the generator: the same seed gives the same rows.") var seed: UInt64 = 1

    static let generatedPassword = "Passw0rd!x"

    func validate() throws {
        let generated = users != nil || posts != nil || comments != nil
        if demo == generated {
            throw ValidationError("give either --demo or generated volumes (--users N --posts N --comments N)")
        }
        for (name, value) in [("--users", users), ("--posts", posts), ("--comments", comments)] {
            if let value, value < 0 { throw ValidationError("\(name) must be 0 or more") }
        }
        if let posts, posts == 0, (comments ?? 0) > 0 { throw ValidationError("--comments needs at least one post") }
    }

    func run() throws {
        let services = try database.openServices()
        let started = Date()
        if demo {
            let report = try blocking { try await services.operations.seedDemo(.commandLine) }
            print("demo set loaded into \(services.config.databasePath): \(report.users) users, \(report.posts) posts, \(report.comments) comments")
        } else {
            let volumes = Store.GeneratedVolumes(users: users ?? 10, posts: posts ?? 0, comments: comments ?? 0, seed: seed)
            let report = try blocking {
                try await services.operations.seedGenerated(.commandLine, volumes, password: SeedCommand.generatedPassword) { line in
                    printError("  \(line)")
                }
            }
            print("generated into \(services.config.databasePath): \(report.users) users, \(report.posts) posts, \(report.comments) comments")
        }
        print(String(format: "took %.1f s", Date().timeIntervalSince(started)))
    }
}

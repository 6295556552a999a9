import ArgumentParser
import StewardCore

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create accounts, reset passwords, set roles, unlock sign-ins.",
        subcommands: [Create.self, ResetPassword.self, SetRoles.self, Unlock.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long) var email: String
        @Option(name: .customLong("first-name")) var firstName: String
        @Option(name: .customLong("last-name")) var lastName: String
        @Option(name: .long, help: "Role names, comma-separated.") var role: String = "user"
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false

        func run() throws {
            let services = try database.openServices()
            let password = try readPassword(fromStdin: passwordStdin, prompt: "Password for \(email): ")
            let roles = role.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (email, firstName, lastName) = (self.email, self.firstName, self.lastName)
            let user = try blocking {
                try await services.users.create(.commandLine, email: email, password: password, firstName: firstName, lastName: lastName, roles: roles)
            }
            print("created user \(user.id) \(user.email) (\(user.roles.joined(separator: ",")))")
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (generated, or from --password-stdin) and end the user's sessions.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long) var email: String
        @Flag(name: .customLong("password-stdin"), help: "Read the new password from standard input instead of generating one.") var passwordStdin = false

        func run() throws {
            let services = try database.openServices()
            let given = passwordStdin ? try readPassword(fromStdin: true, prompt: "") : nil
            let email = self.email
            let password = try blocking {
                let user = try await services.users.find(.commandLine, email: email)
                return try await services.users.resetPassword(.commandLine, id: user.id, newPassword: given)
            }
            if given == nil {
                print("one-time password for \(Email.normalize(email)): \(password)")
            } else {
                print("password of \(Email.normalize(email)) changed")
            }
            print("every session of this user has been ended")
        }
    }

    struct SetRoles: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-roles", abstract: "Replace a user's roles.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long) var email: String
        @Option(name: .long, help: "Role names, comma-separated, e.g. admin,moderator.") var roles: String

        func run() throws {
            let services = try database.openServices()
            let email = self.email
            let names = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let user = try blocking {
                let user = try await services.users.find(.commandLine, email: email)
                return try await services.users.setRoles(.commandLine, id: user.id, roles: names)
            }
            print("\(user.email): \(user.roles.joined(separator: ","))")
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear the sign-in throttle for an email (recorded as ACCOUNT_UNLOCKED).")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "The email whose failed sign-ins are forgotten (an account need not exist).") var email: String

        func run() throws {
            let services = try database.openServices()
            let email = self.email
            let cleared = try blocking { try await services.users.unlock(.commandLine, email: email) }
            print("\(Email.normalize(email)): sign-ins unlocked\(cleared ? "" : " (it was not locked)")")
        }
    }
}

import Foundation
import Logging
import StewardCore
import StewardStore

/// Keyset paging at depth and the cost of a login against the bare argon2id hash.
///
/// `steward-bench core DB` where DB was filled by `steward seed --users … --posts …`.
enum CoreBench {
    static func run(_ arguments: [String]) async throws {
        guard let path = arguments.first else { throw BenchError("usage: steward-bench core DATABASE") }
        // The audit trail logs each login; this measurement is about the work, not a console.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        var config = StewardConfig()
        config.databasePath = path
        let services = try Services.open(config: config)
        // The paging figures measure the store itself, below the services.
        let store = try SQLiteStore(path: path)

        print("## Core: keyset paging and login cost\n")
        let postCount = try await store.postCount()
        print("Database: \(postCount) posts.\n")
        print("| list | page 1 (mean of 200) | page 10,000 (mean of 200) | query plan |")
        print("|---|---|---|---|")
        for visibility in [Store.PostVisibility.any, .published] {
            // Walk to page 10,000 by cursor, 20 rows a page.
            var cursor: String?
            for _ in 0..<9_999 {
                cursor = try await store.listPosts(Store.PostQuery(limit: 20, cursor: cursor), visibility: visibility).nextCursor
                if cursor == nil { break }
            }
            let deep = cursor
            // Alternate page 1 and page 10,000 so that outside load falls on both alike.
            var first = 0.0, far = 0.0
            for _ in 0..<200 {
                first += try await time(1) { _ = try await store.listPosts(Store.PostQuery(limit: 20), visibility: visibility) }
                far += try await time(1) { _ = try await store.listPosts(Store.PostQuery(limit: 20, cursor: deep), visibility: visibility) }
            }
            first /= 200
            far /= 200
            let plan = try await store.explainPostList(Store.PostQuery(limit: 20, cursor: deep), visibility: visibility).joined(separator: "; ")
            print("| \(visibility == .any ? "all posts (posts:read:any)" : "published (anonymous)") | \(ms(first)) | \(deep == nil ? "n/a (fewer pages)" : ms(far)) | `\(plan)` |")
        }

        // Login versus the bare hash, at the configured (default) cost.
        let hasher = PasswordHasher(parameters: config.argon2)
        let email = "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let password = "Bench#Passw0rd!"
        _ = try await services.users.create(.commandLine, email: email, password: password, firstName: "Bench", lastName: "Mark", roles: ["user"])
        let phc = try hasher.hash(password)
        // Alternate the two so that load from elsewhere on the machine falls on both alike.
        let rounds = 40
        var bare = 0.0, login = 0.0
        for _ in 0..<rounds {
            bare += try await time(1) { _ = hasher.verify(password, against: phc) }
            login += try await time(1) { _ = try await services.auth.login(email: email, password: password, caller: .anonymous(client: "bench")) }
        }
        bare /= Double(rounds)
        login /= Double(rounds)
        print("\nLogin at argon2id m=\(config.argon2.memoryKiB) KiB, t=\(config.argon2.iterations), p=\(config.argon2.parallelism) (mean of \(rounds)):\n")
        print("| bare argon2id verify | full login (throttle check, verify, tokens, audit) | overhead |")
        print("|---|---|---|")
        print("| \(ms(bare)) | \(ms(login)) | \(String(format: "%.1f%%", (login / bare - 1) * 100)) |")
    }

    static func time(_ rounds: Int, _ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { try await body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rounds) / 1e6
    }

    static func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

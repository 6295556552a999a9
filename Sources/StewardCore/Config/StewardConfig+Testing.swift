import Foundation

extension StewardConfig {
    /// The configuration every test world starts from: the test environment, a database
    /// `test.sqlite` in `folder`, a fixed JWT secret (tokens are reproducible) and the
    /// lowest argon2 cost. Tests sign in often; the cost is configuration, and the hashing
    /// path stays the real one.
    ///
    /// Here rather than in each test target so that what "a test configuration" means is
    /// written once. Nothing but tests may call it: the secret is public.
    public static func testing(databaseIn folder: URL) -> StewardConfig {
        var config = StewardConfig()
        config.environment = .test
        config.databasePath = folder.appendingPathComponent("test.sqlite").path
        config.argon2 = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)
        config.jwtSecret = Array("test-secret-test-secret-test-secret!!".utf8)
        if let url = testingPostgres {
            // The same suites on PostgreSQL: a fresh schema of the test server per world.
            var postgres = url
            postgres.schema = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            config.postgres = postgres
            config.databasePath = postgres.displayName
            config.databasePool = 4
        }
        return config
    }

    /// The PostgreSQL server the tests run against when `STEWARD_TEST_BACKEND=postgres`:
    /// `STEWARD_TEST_PG_URL` (scripts/pg-throwaway.sh starts one and prints it). `nil`
    /// runs them on SQLite.
    public static let testingPostgres: PostgresURL? = {
        let environment = ProcessInfo.processInfo.environment
        guard environment["STEWARD_TEST_BACKEND"] == "postgres" else { return nil }
        guard let text = environment["STEWARD_TEST_PG_URL"], let url = try? PostgresURL(parsing: text) else {
            fatalError("STEWARD_TEST_BACKEND=postgres needs STEWARD_TEST_PG_URL (eval \"$(scripts/pg-throwaway.sh start)\")")
        }
        return url
    }()
}

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
        return config
    }
}

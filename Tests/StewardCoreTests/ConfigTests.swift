import Foundation
import Logging
import XCTest
@testable import StewardCore

final class ConfigTests: XCTestCase {
    /// A folder of its own for each test that touches files, removed afterwards.
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-config-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Loads with the given sources, failing the test on an error.
    private func load(
        _ environment: [String: String] = [:], dotEnv: String? = nil, overrides: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> StewardConfig {
        do {
            return try StewardConfig.load(environment: environment, dotEnv: dotEnv, overrides: overrides)
        } catch {
            XCTFail("unexpected configuration error: \(error)", file: file, line: line)
            throw error
        }
    }

    /// The error that loading the given sources must produce.
    private func loadError(
        _ environment: [String: String] = [:], dotEnv: String? = nil, overrides: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) -> ConfigError? {
        do {
            let config = try StewardConfig.load(environment: environment, dotEnv: dotEnv, overrides: overrides)
            XCTFail("expected a configuration error, got a configuration for \(config.environment)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func permissions(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private let productionSecret = "0123456789abcdef0123456789abcdef" // exactly 32 bytes

    // MARK: - Defaults and layering

    func testNothingSetGivesTheDefaultsOfSpec() throws {
        let config = try load()
        XCTAssertEqual(config.environment, .development)
        XCTAssertEqual(config.databasePath, "data/steward.sqlite")
        XCTAssertEqual(config.host, "127.0.0.1")
        XCTAssertEqual(config.port, 8080)
        XCTAssertNil(config.jwtSecret)
        XCTAssertEqual(config.accessTTL, 15 * 60)
        XCTAssertEqual(config.refreshTTL, 7 * 24 * 3600)
        XCTAssertEqual(config.corsOrigins, [])
        XCTAssertEqual(config.logLevel, .info)
        XCTAssertEqual(config.logDirectory, "data/logs")
        XCTAssertEqual(config.argon2, Argon2Parameters(memoryKiB: 19456, iterations: 2, parallelism: 1))
        XCTAssertEqual(config.loginMaxFailures, 5)
        XCTAssertEqual(config.loginWindowSeconds, 15 * 60)
        XCTAssertEqual(config.rateLimit, RateLimit(requests: 600, windowSeconds: 60))
        XCTAssertEqual(config.theme, "default")
        XCTAssertEqual(config.themeDirectory, "data/themes")
        XCTAssertEqual(config.unrecognizedVariables, [])
    }

    func testLogDirectoryFollowsTheDatabaseUnlessSet() throws {
        XCTAssertEqual(try load(["STEWARD_DB": "/var/lib/steward/main.sqlite"]).logDirectory, "/var/lib/steward/logs")
        XCTAssertEqual(try load(["STEWARD_DB": "main.sqlite"]).logDirectory, "logs")
        XCTAssertEqual(try load(["STEWARD_DB": "/srv/a.sqlite", "STEWARD_LOG_DIR": "/var/log/steward"]).logDirectory, "/var/log/steward")
    }

    func testThemeDirectoryFollowsTheDatabaseUnlessSet() throws {
        XCTAssertEqual(try load(["STEWARD_DB": "/var/lib/steward/main.sqlite"]).themeDirectory, "/var/lib/steward/themes")
        XCTAssertEqual(try load(["STEWARD_DB": "main.sqlite"]).themeDirectory, "themes")
        XCTAssertEqual(try load(["STEWARD_DB": "/srv/a.sqlite", "STEWARD_THEME_DIR": "/etc/steward/themes"]).themeDirectory, "/etc/steward/themes")
    }

    func testEveryVariableIsRead() throws {
        let config = try load([
            "STEWARD_ENV": "test",
            "STEWARD_DB": "/tmp/x.sqlite",
            "STEWARD_HOST": "0.0.0.0",
            "STEWARD_PORT": "9000",
            "STEWARD_JWT_SECRET": "short but fine outside production",
            "STEWARD_ACCESS_TTL": "90s",
            "STEWARD_REFRESH_TTL": "24h",
            "STEWARD_CORS_ORIGINS": "https://app.example.com, http://localhost:3000",
            "STEWARD_LOG_LEVEL": "debug",
            "STEWARD_LOG_DIR": "/tmp/logs",
            "STEWARD_ARGON2_MEMORY_KIB": "65536",
            "STEWARD_ARGON2_ITERATIONS": "3",
            "STEWARD_ARGON2_PARALLELISM": "4",
            "STEWARD_LOGIN_MAX_FAILURES": "10",
            "STEWARD_LOGIN_WINDOW": "1h",
            "STEWARD_RATE_LIMIT": "20/10s",
            "STEWARD_THEME": "high-contrast",
            "STEWARD_THEME_DIR": "/tmp/themes",
        ])
        XCTAssertEqual(config.environment, .test)
        XCTAssertEqual(config.databasePath, "/tmp/x.sqlite")
        XCTAssertEqual(config.host, "0.0.0.0")
        XCTAssertEqual(config.port, 9000)
        XCTAssertEqual(config.jwtSecret, Array("short but fine outside production".utf8))
        XCTAssertEqual(config.accessTTL, 90)
        XCTAssertEqual(config.refreshTTL, 86_400)
        XCTAssertEqual(config.corsOrigins, ["https://app.example.com", "http://localhost:3000"])
        XCTAssertEqual(config.logLevel, .debug)
        XCTAssertEqual(config.logDirectory, "/tmp/logs")
        XCTAssertEqual(config.argon2, Argon2Parameters(memoryKiB: 65536, iterations: 3, parallelism: 4))
        XCTAssertEqual(config.loginMaxFailures, 10)
        XCTAssertEqual(config.loginWindowSeconds, 3600)
        XCTAssertEqual(config.rateLimit, RateLimit(requests: 20, windowSeconds: 10))
        XCTAssertEqual(config.theme, "high-contrast")
        XCTAssertEqual(config.themeDirectory, "/tmp/themes")
    }

    func testEnvironmentWinsOverDotEnv() throws {
        let dotEnv = "STEWARD_PORT=7000\nSTEWARD_THEME=light\n"
        let config = try load(["STEWARD_PORT": "9000"], dotEnv: dotEnv)
        XCTAssertEqual(config.port, 9000, "the real environment wins")
        XCTAssertEqual(config.theme, "light", ".env fills in what the environment leaves out")
    }

    func testOverridesWinOverEnvironmentAndDotEnv() throws {
        let config = try load(
            ["STEWARD_PORT": "9000", "STEWARD_HOST": "::1"],
            dotEnv: "STEWARD_PORT=7000\nSTEWARD_DB=from-file.sqlite\n",
            overrides: ["STEWARD_PORT": "9100"]
        )
        XCTAssertEqual(config.port, 9100)
        XCTAssertEqual(config.host, "::1")
        XCTAssertEqual(config.databasePath, "from-file.sqlite")
    }

    func testAnInvalidValueInALowerLayerIsHarmlessWhenOverridden() throws {
        let config = try load(["STEWARD_PORT": "not a port"], overrides: ["STEWARD_PORT": "8081"])
        XCTAssertEqual(config.port, 8081)
    }

    func testSurroundingWhitespaceIsIgnoredAndCaseOfNamedValuesIsForgiven() throws {
        let config = try load(["STEWARD_PORT": " 8443 ", "STEWARD_ENV": "Test", "STEWARD_LOG_LEVEL": "WARNING"])
        XCTAssertEqual(config.port, 8443)
        XCTAssertEqual(config.environment, .test)
        XCTAssertEqual(config.logLevel, .warning)
    }

    func testUnknownOverrideIsRefusedAndUnknownStewardVariablesAreReported() throws {
        XCTAssertEqual(loadError(overrides: ["STEWARD_PROT": "1"])?.variable, "STEWARD_PROT")

        let config = try load(["STEWARD_PROT": "9000", "PATH": "/bin"], dotEnv: "STEWARD_THEMES=light\nOTHER=1\n")
        XCTAssertEqual(config.unrecognizedVariables, ["STEWARD_PROT", "STEWARD_THEMES"])
    }

    // MARK: - Validation messages

    func testPortMessageReadsAsSpecified() {
        XCTAssertEqual(
            loadError(["STEWARD_PORT": "80x"])?.description,
            #"STEWARD_PORT: "80x" is not a port; expected a whole number from 1 to 65535"#
        )
    }

    func testEachInvalidValueNamesItsVariableAndTheAcceptedForm() {
        // (variable, invalid value, a piece of the accepted form the message must state)
        let cases: [(String, String, String)] = [
            ("STEWARD_ENV", "prod", "development, test or production"),
            ("STEWARD_DB", "", "data/steward.sqlite"),
            ("STEWARD_DB", "data/", "SQLite file"),
            ("STEWARD_HOST", "", "host name or IP address"),
            ("STEWARD_HOST", "exa mple.com", "host name or IP address"),
            ("STEWARD_HOST", "http://x", "host name or IP address"),
            ("STEWARD_PORT", "0", "1 to 65535"),
            ("STEWARD_PORT", "65536", "1 to 65535"),
            ("STEWARD_PORT", "-1", "1 to 65535"),
            ("STEWARD_PORT", "", "1 to 65535"),
            ("STEWARD_JWT_SECRET", "", "at least 32 bytes"),
            ("STEWARD_ACCESS_TTL", "15", "90s, 15m, 24h or 7d"),
            ("STEWARD_ACCESS_TTL", "0m", "positive whole number"),
            ("STEWARD_REFRESH_TTL", "1w", "90s, 15m, 24h or 7d"),
            ("STEWARD_REFRESH_TTL", "99999d", "up to 3650d"),
            ("STEWARD_CORS_ORIGINS", "https://app.example.com/", "without a path"),
            ("STEWARD_CORS_ORIGINS", "app.example.com", "http(s)://host[:port]"),
            ("STEWARD_CORS_ORIGINS", "ftp://example.com", "http(s)://host[:port]"),
            ("STEWARD_CORS_ORIGINS", "https://example.com:99999", "http(s)://host[:port]"),
            ("STEWARD_CORS_ORIGINS", "https://user@example.com", "http(s)://host[:port]"),
            ("STEWARD_CORS_ORIGINS", "https://ok.example.com,https://bad.example.com/app", "without a path"),
            ("STEWARD_CORS_ORIGINS", "*", "http(s)://host[:port]"),
            ("STEWARD_LOG_LEVEL", "verbose", "trace, debug, info, notice, warning, error, critical"),
            ("STEWARD_LOG_DIR", "", "a path"),
            ("STEWARD_ARGON2_MEMORY_KIB", "lots", "KiB"),
            ("STEWARD_ARGON2_MEMORY_KIB", "4", "from 8"),
            ("STEWARD_ARGON2_MEMORY_KIB", "4194305", "4 GiB"),
            ("STEWARD_ARGON2_ITERATIONS", "0", "1 to 100"),
            ("STEWARD_ARGON2_ITERATIONS", "101", "1 to 100"),
            ("STEWARD_ARGON2_PARALLELISM", "0", "1 to 64"),
            ("STEWARD_ARGON2_PARALLELISM", "65", "1 to 64"),
            ("STEWARD_LOGIN_MAX_FAILURES", "0", "1 to 1000"),
            ("STEWARD_LOGIN_MAX_FAILURES", "1001", "1 to 1000"),
            ("STEWARD_LOGIN_WINDOW", "15 m", "90s, 15m, 24h or 7d"),
            ("STEWARD_RATE_LIMIT", "600", "600/1m"),
            ("STEWARD_RATE_LIMIT", "0/1m", "at least 1 request"),
            ("STEWARD_RATE_LIMIT", "600/minute", "600/1m"),
            ("STEWARD_THEME", "../etc/passwd", "plain file name"),
            ("STEWARD_THEME", "themes/dark", "plain file name"),
            ("STEWARD_THEME", "..", "plain file name"),
            ("STEWARD_THEME", "", "plain file name"),
            ("STEWARD_THEME_DIR", "", "a path"),
            ("STEWARD_THEME_DIR", "/tmp/\u{7}", "control characters"),
        ]
        for (variable, value, acceptedForm) in cases {
            guard let error = loadError([variable: value]) else {
                XCTFail("\(variable)=\(value) was accepted")
                continue
            }
            XCTAssertEqual(error.variable, variable, "\(variable)=\(value)")
            XCTAssertTrue(error.description.hasPrefix("\(variable): "), error.description)
            XCTAssertTrue(error.message.contains(acceptedForm), "\(variable)=\(value): \(error.message)")
        }
    }

    func testArgon2MemoryMustCoverEightKiBPerLane() throws {
        XCTAssertEqual(try load(["STEWARD_ARGON2_MEMORY_KIB": "32", "STEWARD_ARGON2_PARALLELISM": "4"]).argon2.memoryKiB, 32)
        let error = loadError(["STEWARD_ARGON2_MEMORY_KIB": "31", "STEWARD_ARGON2_PARALLELISM": "4"])
        XCTAssertEqual(error?.variable, "STEWARD_ARGON2_MEMORY_KIB")
        XCTAssertTrue(error?.message.contains("from 32") ?? false, error?.message ?? "")
        // The default memory must also be checked against a raised lane count.
        XCTAssertEqual(try load(["STEWARD_ARGON2_PARALLELISM": "64"]).argon2.parallelism, 64)
        XCTAssertEqual(try load(["STEWARD_ARGON2_MEMORY_KIB": "4194304"]).argon2.memoryKiB, 4_194_304)
    }

    func testAccessLifetimeMayNotExceedRefreshLifetime() throws {
        XCTAssertEqual(try load(["STEWARD_ACCESS_TTL": "1h", "STEWARD_REFRESH_TTL": "60m"]).accessTTL, 3600)
        let error = loadError(["STEWARD_ACCESS_TTL": "8d"])
        XCTAssertEqual(error?.variable, "STEWARD_ACCESS_TTL")
        XCTAssertTrue(error?.message.contains("STEWARD_REFRESH_TTL") ?? false)
        XCTAssertEqual(loadError(["STEWARD_REFRESH_TTL": "10m"])?.variable, "STEWARD_ACCESS_TTL")
    }

    func testCORSOriginsAreNormalizedAsBrowsersSendThem() throws {
        let config = try load(["STEWARD_CORS_ORIGINS": "HTTPS://App.Example.com:443, http://localhost:3000,,http://[::1]:8080, http://localhost:3000, https://x.example:8443,"])
        XCTAssertEqual(config.corsOrigins, ["https://app.example.com", "http://localhost:3000", "http://[::1]:8080", "https://x.example:8443"])
        XCTAssertEqual(try load(["STEWARD_CORS_ORIGINS": ""]).corsOrigins, [])
    }

    func testValuesInMessagesAreEscaped() {
        let error = loadError(["STEWARD_THEME": "evil\u{1B}[2J/\"x\""])
        XCTAssertEqual(error?.variable, "STEWARD_THEME")
        XCTAssertFalse(error?.description.contains("\u{1B}") ?? true, "an escape character reached the message")
        XCTAssertTrue(error?.message.contains(#""evil\u{1b}[2J/\"x\"""#) ?? false, error?.message ?? "")
    }

    // MARK: - Durations and rate limits

    func testDurations() {
        XCTAssertEqual(DurationText.parseSeconds("90s"), 90)
        XCTAssertEqual(DurationText.parseSeconds("15m"), 900)
        XCTAssertEqual(DurationText.parseSeconds("24h"), 86_400)
        XCTAssertEqual(DurationText.parseSeconds("7d"), 604_800)
        XCTAssertEqual(DurationText.parseSeconds("1s"), 1)
        for refused in ["", "s", "15", "0s", "-5m", "+5m", "1.5h", "15M", "15 m", " 15m", "1h30m", "5w", "m15", "99999999999999999999s", "9223372036854775807d"] {
            XCTAssertNil(DurationText.parseSeconds(refused), "\(refused) should be refused")
        }
    }

    func testRateLimits() {
        XCTAssertEqual(RateLimit.parse("600/1m"), RateLimit(requests: 600, windowSeconds: 60))
        XCTAssertEqual(RateLimit.parse("1/1s"), RateLimit(requests: 1, windowSeconds: 1))
        XCTAssertEqual(RateLimit.parse("5000/1h"), RateLimit(requests: 5000, windowSeconds: 3600))
        for refused in ["", "600", "600/", "/1m", "0/1m", "-1/1m", "600/0m", "600/1m/2", "600/60", "six/1m", "600 / 1m"] {
            XCTAssertNil(RateLimit.parse(refused), "\(refused) should be refused")
        }
    }

    // MARK: - Production and the signing secret

    func testProductionWithoutSecretIsRefused() {
        let error = loadError(["STEWARD_ENV": "production"])
        XCTAssertEqual(error?.variable, "STEWARD_JWT_SECRET")
        XCTAssertTrue(error?.message.contains("required in production") ?? false)
    }

    func testProductionWithShortSecretIsRefusedWithoutRepeatingIt() {
        let shortSecret = "only-31-bytes-of-secret-text-xx"
        XCTAssertEqual(shortSecret.utf8.count, 31)
        let error = loadError(["STEWARD_ENV": "production", "STEWARD_JWT_SECRET": shortSecret])
        XCTAssertEqual(error?.variable, "STEWARD_JWT_SECRET")
        XCTAssertTrue(error?.message.contains("31 bytes") ?? false, error?.message ?? "")
        XCTAssertFalse(error?.description.contains(shortSecret) ?? true, "the secret was repeated in the error")
    }

    func testProductionSecretIsUsedAsGivenAndNeverWrittenToDisk() throws {
        let database = folder.appendingPathComponent("prod.sqlite").path
        let config = try load(["STEWARD_ENV": "production", "STEWARD_JWT_SECRET": productionSecret, "STEWARD_DB": database])
        XCTAssertEqual(try config.resolveJWTSecret(), Array(productionSecret.utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: config.jwtSecretFilePath))
    }

    func testProductionSecretIsCheckedAgainWhenResolved() throws {
        var config = try load(["STEWARD_ENV": "production", "STEWARD_JWT_SECRET": productionSecret])
        config.jwtSecret = Array("too short".utf8)
        XCTAssertThrowsError(try config.resolveJWTSecret()) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, "STEWARD_JWT_SECRET")
        }
        config.jwtSecret = nil
        XCTAssertThrowsError(try config.resolveJWTSecret())
    }

    func testPrintingOrDumpingTheConfigurationHidesTheSecret() throws {
        let config = try load(["STEWARD_ENV": "production", "STEWARD_JWT_SECRET": productionSecret])
        XCTAssertFalse(String(describing: config).contains(productionSecret))
        XCTAssertTrue(String(describing: config).contains("jwtSecret=set (32 bytes)"))
        var dumped = ""
        dump(config, to: &dumped)
        // dump() writes an array one element a line; the secret starts with "0", byte 48.
        let dumpedLines = dumped.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertFalse(dumpedLines.contains("- 48"), "the secret's bytes were dumped:\n\(dumped)")
        XCTAssertTrue(dumped.contains("<32 bytes, hidden>"))
        XCTAssertTrue(dumped.contains("8080"))
    }

    func testSecretIsGeneratedOnceWithMode0600AndReused() throws {
        let database = folder.appendingPathComponent("nested/dev.sqlite").path
        let config = try load(["STEWARD_DB": database])
        XCTAssertEqual(config.jwtSecretFilePath, database + ".secret")

        let first = try config.resolveJWTSecret()
        XCTAssertEqual(first.count, 48)
        XCTAssertEqual(try permissions(of: config.jwtSecretFilePath), 0o600)
        let stored = try Data(contentsOf: URL(fileURLWithPath: config.jwtSecretFilePath))
        XCTAssertEqual(Array(stored), first)

        let again = try load(["STEWARD_DB": database]).resolveJWTSecret()
        XCTAssertEqual(again, first, "a later start must read the same secret back")

        let otherDatabase = try load(["STEWARD_DB": folder.appendingPathComponent("other.sqlite").path]).resolveJWTSecret()
        XCTAssertNotEqual(otherDatabase, first, "each database gets its own secret")

        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("nested").path)
        XCTAssertEqual(leftovers.sorted(), ["dev.sqlite.secret"], "no pending files may be left behind")
    }

    func testExplicitSecretOutsideProductionWritesNoFile() throws {
        let database = folder.appendingPathComponent("dev.sqlite").path
        let config = try load(["STEWARD_DB": database, "STEWARD_JWT_SECRET": "dev"])
        XCTAssertEqual(try config.resolveJWTSecret(), Array("dev".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: config.jwtSecretFilePath))
    }

    func testInMemoryDatabaseGetsAnEphemeralSecret() throws {
        let config = try load(["STEWARD_DB": ":memory:"])
        let secret = try config.resolveJWTSecret()
        XCTAssertEqual(secret.count, 48)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ":memory:.secret"))
    }

    func testProcessesStartingTogetherAgreeOnOneSecret() throws {
        let database = folder.appendingPathComponent("race.sqlite").path
        let config = try load(["STEWARD_DB": database])
        let starters = 16
        let results = ResultsBox(count: starters)
        DispatchQueue.concurrentPerform(iterations: starters) { index in
            results.set(index, Result { () throws(ConfigError) in try config.resolveJWTSecret() })
        }
        let secrets = try results.values.map { try XCTUnwrap($0).get() }
        XCTAssertEqual(Set(secrets).count, 1, "every starter must end up with the same secret")
        XCTAssertEqual(secrets.first, Array(try Data(contentsOf: URL(fileURLWithPath: config.jwtSecretFilePath))))
    }

    func testSecretFileReadableByOthersIsRefused() throws {
        let database = folder.appendingPathComponent("loose.sqlite").path
        let config = try load(["STEWARD_DB": database])
        _ = try config.resolveJWTSecret()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.jwtSecretFilePath)

        XCTAssertThrowsError(try config.resolveJWTSecret()) { error in
            let configError = error as? ConfigError
            XCTAssertEqual(configError?.variable, config.jwtSecretFilePath)
            XCTAssertTrue(configError?.message.contains("0644") ?? false, configError?.message ?? "")
            XCTAssertTrue(configError?.message.contains("0600") ?? false, configError?.message ?? "")
        }

        // Stricter than 0600 is fine: the owner can still read it.
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: config.jwtSecretFilePath)
        XCTAssertEqual(try config.resolveJWTSecret().count, 48)
    }

    func testSecretFileOfWrongLengthIsRefused() throws {
        let database = folder.appendingPathComponent("short.sqlite").path
        let config = try load(["STEWARD_DB": database])
        XCTAssertTrue(FileManager.default.createFile(atPath: config.jwtSecretFilePath, contents: Data(repeating: 7, count: 47), attributes: [.posixPermissions: 0o600]))

        XCTAssertThrowsError(try config.resolveJWTSecret()) { error in
            let configError = error as? ConfigError
            XCTAssertEqual(configError?.variable, config.jwtSecretFilePath)
            XCTAssertTrue(configError?.message.contains("47 bytes") ?? false, configError?.message ?? "")
        }
    }

    func testSecretFileThatIsASymbolicLinkIsRefused() throws {
        let database = folder.appendingPathComponent("linked.sqlite").path
        let config = try load(["STEWARD_DB": database])
        let target = folder.appendingPathComponent("elsewhere").path
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(repeating: 1, count: 48), attributes: [.posixPermissions: 0o600]))
        try FileManager.default.createSymbolicLink(atPath: config.jwtSecretFilePath, withDestinationPath: target)

        XCTAssertThrowsError(try config.resolveJWTSecret()) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, config.jwtSecretFilePath)
            XCTAssertTrue((error as? ConfigError)?.message.contains("symbolic link") ?? false)
        }
    }

    // MARK: - .env

    func testDotEnvQuotingCommentsAndExport() throws {
        let text = """
        \u{FEFF}# Steward settings for this checkout

        export STEWARD_PORT=9000
        STEWARD_HOST = 0.0.0.0   # listen everywhere
        PLAIN=pa#ss word  # the hash inside a word stays
        HASH_FIRST=#kept
        EMPTY=
        EMPTY_WITH_COMMENT= # nothing
        SINGLE='it is $HOME \\n literally' # comment after quote
        DOUBLE="line one\\nline \\"two\\" \\\\ done"
        SPACES="  padded  "
        CRLF=windows\r
        REPEATED=first
        REPEATED=second
        """
        let values = try DotEnv.parse(text)
        XCTAssertEqual(values["STEWARD_PORT"], "9000")
        XCTAssertEqual(values["STEWARD_HOST"], "0.0.0.0")
        XCTAssertEqual(values["PLAIN"], "pa#ss word")
        XCTAssertEqual(values["HASH_FIRST"], "#kept")
        XCTAssertEqual(values["EMPTY"], "")
        XCTAssertEqual(values["EMPTY_WITH_COMMENT"], "")
        XCTAssertEqual(values["SINGLE"], #"it is $HOME \n literally"#)
        XCTAssertEqual(values["DOUBLE"], "line one\nline \"two\" \\ done")
        XCTAssertEqual(values["SPACES"], "  padded  ")
        XCTAssertEqual(values["CRLF"], "windows")
        XCTAssertEqual(values["REPEATED"], "second")
        XCTAssertEqual(values.count, 11)
    }

    func testMalformedDotEnvLineNamesTheFileAndLine() {
        let malformed: [(String, String)] = [
            ("OK=1\nthis is not an assignment\n", "line 2"),
            ("OK=1\n\n# fine\n=value\n", "line 4"),
            ("1KEY=value", "line 1"),
            ("KEY value", "line 1"),
            ("A=1\nKEY='unterminated\n", "line 2"),
            ("KEY=\"unterminated", "line 1"),
            ("KEY=\"bad \\t escape\"", "line 1"),
            ("KEY=\"done\" trailing", "line 1"),
            ("KEY-NAME=1", "line 1"),
        ]
        for (text, line) in malformed {
            XCTAssertThrowsError(try DotEnv.parse(text), text) { error in
                let configError = error as? ConfigError
                XCTAssertEqual(configError?.variable, ".env", text)
                XCTAssertTrue(configError?.message.hasPrefix(line + ":") ?? false, "\(text): \(configError?.message ?? "")")
            }
        }
    }

    func testMalformedDotEnvStopsLoading() {
        let error = loadError(dotEnv: "STEWARD_PORT=1\nSTEWARD_THEME='light\n")
        XCTAssertEqual(error?.variable, ".env")
        XCTAssertTrue(error?.description.hasPrefix(".env: line 2:") ?? false, error?.description ?? "")
    }

    func testInvalidValueFromDotEnvNamesTheVariable() {
        XCTAssertEqual(loadError(dotEnv: "STEWARD_PORT=80x")?.description,
                       #"STEWARD_PORT: "80x" is not a port; expected a whole number from 1 to 65535"#)
    }

    func testDotEnvFileIsOptionalButMustBeReadableText() throws {
        let path = folder.appendingPathComponent(".env").path

        let withoutFile = try StewardConfig.load(environment: [:], dotEnvFile: path, overrides: [:])
        XCTAssertEqual(withoutFile.port, 8080)

        try "STEWARD_PORT=7001\n".write(toFile: path, atomically: true, encoding: .utf8)
        let withFile = try StewardConfig.load(environment: ["STEWARD_THEME": "light"], dotEnvFile: path, overrides: [:])
        XCTAssertEqual(withFile.port, 7001)
        XCTAssertEqual(withFile.theme, "light")

        try "STEWARD_PORT=7001\nbroken line\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StewardConfig.load(environment: [:], dotEnvFile: path, overrides: [:])) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, path)
            XCTAssertTrue((error as? ConfigError)?.message.hasPrefix("line 2:") ?? false)
        }

        try Data([0x53, 0x3D, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StewardConfig.load(environment: [:], dotEnvFile: path, overrides: [:])) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, path)
            XCTAssertTrue((error as? ConfigError)?.message.contains("UTF-8") ?? false)
        }

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        XCTAssertThrowsError(try StewardConfig.load(environment: [:], dotEnvFile: path, overrides: [:])) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, path)
        }
    }
}

/// Collects one result per concurrent starter; the lock makes the writes from
/// `concurrentPerform`'s threads safe.
private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<[UInt8], ConfigError>?]

    init(count: Int) {
        stored = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: Result<[UInt8], ConfigError>) {
        lock.lock()
        defer { lock.unlock() }
        stored[index] = result
    }

    var values: [Result<[UInt8], ConfigError>?] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

import Foundation
import Logging

/// Everything Steward reads from its environment at start-up, validated.
///
/// Values come from three layers, the later winning: the `.env` file in the working folder,
/// the real process environment, and command-line flags (passed in as `overrides`, keyed by
/// variable name). A variable missing from every layer takes docs/configuration.md's default, which is what
/// ``init()`` holds.
///
/// Every value is checked when it is loaded, so that a typo stops start-up with a message
/// naming the variable and the accepted form instead of surfacing later as a strange failure.
/// Whitespace around a value is ignored, except in `STEWARD_JWT_SECRET`, which is taken byte
/// for byte. A variable that is present but empty counts as given: `STEWARD_PORT=` is an
/// error, not a request for the default.
public struct StewardConfig: Sendable {
    /// `STEWARD_ENV`: development, test or production.
    public var environment: DeploymentEnvironment
    /// `STEWARD_DB`: the SQLite file; for a PostgreSQL database, its URL without the
    /// password (``PostgresURL/displayName``), which is what every display of it shows.
    public var databasePath: String
    /// `STEWARD_DB` when it names a PostgreSQL database (SPEC §8), password included:
    /// only the store reads it. `nil` for SQLite.
    public var postgres: PostgresURL?
    /// `STEWARD_DB_POOL`: PostgreSQL connections per instance.
    public var databasePool: Int
    /// `STEWARD_HOST`: the address the HTTP listener binds to.
    public var host: String
    /// `STEWARD_PORT`: the HTTP listener's port, 1 to 65535.
    public var port: Int
    /// `STEWARD_JWT_SECRET` as given, as UTF-8 bytes; `nil` when not set. Use
    /// ``resolveJWTSecret()`` for the key to sign with, which generates one when this is `nil`.
    public var jwtSecret: [UInt8]?
    /// `STEWARD_ACCESS_TTL`: how long an access token lives, in seconds.
    public var accessTTL: Int
    /// `STEWARD_REFRESH_TTL`: how long a refresh token lives, in seconds; never shorter than
    /// ``accessTTL``, since an access token outliving the session it came from makes no sense.
    public var refreshTTL: Int
    /// `STEWARD_CORS_ORIGINS`: browser origins allowed to call the API with credentials,
    /// each `http(s)://host[:port]`, lower-cased as browsers send them in `Origin`.
    public var corsOrigins: [String]
    /// `STEWARD_LOG_LEVEL`: the least severe level written to the log.
    public var logLevel: Logging.Logger.Level
    /// `STEWARD_LOG_DIR`: where the JSON-lines log files go; by default a `logs` folder
    /// beside the database file, so one database's logs stay with it.
    public var logDirectory: String
    /// `STEWARD_ARGON2_MEMORY_KIB`, `_ITERATIONS`, `_PARALLELISM`: the cost of new password hashes.
    public var argon2: Argon2Parameters
    /// `STEWARD_LOGIN_MAX_FAILURES`: failed logins for one email inside the window before
    /// further attempts are refused.
    public var loginMaxFailures: Int
    /// `STEWARD_LOGIN_WINDOW`: the window those failures are counted in, in seconds.
    public var loginWindowSeconds: Int
    /// `STEWARD_RATE_LIMIT`: requests allowed per client IP.
    public var rateLimit: RateLimit
    /// `STEWARD_TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [AddressRange]
    /// `STEWARD_THEME`: the console theme, a built-in one or a file in ``themeDirectory``.
    public var theme: String
    /// `STEWARD_THEME_DIR`: a folder of `NAME.theme` files that add themes and override the
    /// built-in ones of the same name; by default a `themes` folder beside the database file,
    /// which need not exist. The built-in themes are compiled into the binary.
    public var themeDirectory: String
    /// Names starting with `STEWARD_` found in the environment or `.env` that Steward does not
    /// read, sorted; most likely typos (`STEWARD_PROT`), worth a warning in the log. They do
    /// not stop start-up, since other tools may share the prefix.
    public var unrecognizedVariables: [String]

    /// docs/configuration.md's defaults: what ``load(environment:dotEnv:overrides:)`` gives when nothing is set.
    public init() {
        environment = .development
        databasePath = Self.defaultDatabasePath
        postgres = nil
        databasePool = 10
        host = "127.0.0.1"
        port = 8080
        jwtSecret = nil
        accessTTL = 15 * 60
        refreshTTL = 7 * 86_400
        corsOrigins = []
        logLevel = .info
        logDirectory = Self.logDirectory(besideDatabase: Self.defaultDatabasePath)
        argon2 = .default
        loginMaxFailures = 5
        loginWindowSeconds = 15 * 60
        rateLimit = .default
        trustedProxies = []
        theme = "default"
        themeDirectory = Self.themeDirectory(besideDatabase: Self.defaultDatabasePath)
        unrecognizedVariables = []
    }

    static let defaultDatabasePath = "data/steward.sqlite"

    /// The shortest `STEWARD_JWT_SECRET` production accepts: HS256 keys should carry at least
    /// the hash's 256 bits.
    public static let minimumProductionSecretBytes = 32

    /// Loads and validates the configuration.
    ///
    /// - Parameters:
    ///   - environment: the process environment, usually `ProcessInfo.processInfo.environment`.
    ///   - dotEnv: the text of `.env`, or `nil` when there is none; see ``DotEnv`` for the format.
    ///   - overrides: values from command-line flags keyed by variable name (see ``ConfigVariable``);
    ///     a key that is not a Steward variable is refused, as it can only be a programming slip.
    /// - Throws: ``ConfigError`` for the first invalid value, in the order of docs/configuration.md's table.
    public static func load(
        environment: [String: String], dotEnv: String?, overrides: [String: String] = [:]
    ) throws(ConfigError) -> StewardConfig {
        var fileValues: [String: String] = [:]
        if let dotEnv {
            fileValues = try DotEnv.parse(dotEnv)
        }
        return try resolve(fileValues: fileValues, environment: environment, overrides: overrides)
    }

    /// Loads the configuration from this process: its environment, `./.env` when present, and
    /// the given flag values.
    ///
    /// A missing `.env` is fine; one that cannot be read, is not UTF-8 or has a malformed line
    /// is an error naming the file (and the line).
    public static func fromProcess(overrides: [String: String] = [:]) throws(ConfigError) -> StewardConfig {
        try load(environment: ProcessInfo.processInfo.environment, dotEnvFile: ".env", overrides: overrides)
    }

    /// ``load(environment:dotEnv:overrides:)`` with the `.env` text read from `dotEnvFile`,
    /// which may be absent; errors about the file name it as given.
    static func load(
        environment: [String: String], dotEnvFile: String, overrides: [String: String]
    ) throws(ConfigError) -> StewardConfig {
        var fileValues: [String: String] = [:]
        if let text = try readDotEnvFile(at: dotEnvFile) {
            fileValues = try DotEnv.parse(text, fileName: dotEnvFile)
        }
        return try resolve(fileValues: fileValues, environment: environment, overrides: overrides)
    }

    /// Layers the three sources (file, then environment, then flags) and validates the result.
    private static func resolve(
        fileValues: [String: String], environment: [String: String], overrides: [String: String]
    ) throws(ConfigError) -> StewardConfig {
        for key in overrides.keys.sorted() where ConfigVariable(rawValue: key) == nil {
            throw ConfigError(variable: key, message: "is not a Steward setting; expected one of \(ConfigVariable.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var merged = fileValues
        merged.merge(environment) { _, fromEnvironment in fromEnvironment }
        merged.merge(overrides) { _, fromFlag in fromFlag }

        var config = StewardConfig()
        try config.apply(ConfigValues(merged))
        config.unrecognizedVariables = Set(fileValues.keys).union(environment.keys)
            .filter { $0.hasPrefix(ConfigVariable.prefix) && ConfigVariable(rawValue: $0) == nil }
            .sorted()
        return config
    }

    /// The contents of a `.env` file, or `nil` when there is no such file.
    static func readDotEnvFile(at path: String) throws(ConfigError) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue {
            throw ConfigError(variable: path, message: "is a folder; expected a text file of KEY=VALUE lines")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(variable: path, message: "cannot be read; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(variable: path, message: "is not UTF-8 text; expected KEY=VALUE lines in UTF-8")
        }
        return text
    }

    /// The default log folder: `logs` in the folder that holds the database file.
    static func logDirectory(besideDatabase databasePath: String) -> String {
        folder(named: "logs", besideDatabase: databasePath)
    }

    /// The default folder of theme files: `themes` in the folder that holds the database file.
    static func themeDirectory(besideDatabase databasePath: String) -> String {
        folder(named: "themes", besideDatabase: databasePath)
    }

    /// Where a PostgreSQL-backed instance keeps its own files (logs, themes), there being no
    /// database file to sit beside: `$XDG_STATE_HOME/steward/NAME`, else
    /// `~/.local/state/steward/NAME`, so that nothing depends on the working folder.
    static func stateFolder(named name: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/steward/" + name }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/steward/" + name
    }

    private static func folder(named name: String, besideDatabase databasePath: String) -> String {
        guard let slash = databasePath.lastIndex(of: "/") else { return name }
        return String(databasePath[...slash]) + name
    }
}

extension StewardConfig: CustomStringConvertible, CustomReflectable {
    /// A one-line summary for the start-up log. The signing secret shows only whether it is
    /// set and how long it is: `print(config)` and log interpolation must never leak it.
    public var description: String {
        let secret = jwtSecret.map { "set (\($0.count) bytes)" } ?? "generated"
        let origins = corsOrigins.isEmpty ? "none" : corsOrigins.joined(separator: ",")
        return "environment=\(environment.rawValue) db=\(databasePath) listen=\(host):\(port)"
            + " jwtSecret=\(secret) accessTTL=\(accessTTL)s refreshTTL=\(refreshTTL)s cors=\(origins)"
            + " logLevel=\(logLevel.rawValue) logDir=\(logDirectory)"
            + " argon2=m\(argon2.memoryKiB)KiB,t\(argon2.iterations),p\(argon2.parallelism)"
            + " login=\(loginMaxFailures)/\(loginWindowSeconds)s rateLimit=\(rateLimit.requests)/\(rateLimit.windowSeconds)s"
            + " theme=\(theme) themeDir=\(themeDirectory)"
    }

    /// What `dump(config)` and debuggers show: every field but the secret's bytes.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "environment": environment,
            "databasePath": databasePath,
            "host": host,
            "port": port,
            "jwtSecret": jwtSecret.map { "<\($0.count) bytes, hidden>" } ?? "<not set>",
            "accessTTL": accessTTL,
            "refreshTTL": refreshTTL,
            "corsOrigins": corsOrigins,
            "logLevel": logLevel,
            "logDirectory": logDirectory,
            "argon2": argon2,
            "loginMaxFailures": loginMaxFailures,
            "loginWindowSeconds": loginWindowSeconds,
            "rateLimit": rateLimit,
            "theme": theme,
            "themeDirectory": themeDirectory,
            "unrecognizedVariables": unrecognizedVariables,
        ], displayStyle: .struct)
    }
}

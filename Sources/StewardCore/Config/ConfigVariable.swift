/// The environment variables Steward reads, named once so that the command line can map
/// its flags onto them (`--port 9000` becomes `overrides["STEWARD_PORT"] = "9000"`).
///
/// The raw value is the variable's name. The order of the cases is the order in which
/// ``StewardConfig/load(environment:dotEnv:overrides:)`` checks them, which is the order of
/// docs/configuration.md's table, so the first error reported is always the first one in that table.
public enum ConfigVariable: String, Sendable, CaseIterable {
    case environment = "STEWARD_ENV"
    case database = "STEWARD_DB"
    case host = "STEWARD_HOST"
    case port = "STEWARD_PORT"
    case jwtSecret = "STEWARD_JWT_SECRET"
    case accessTTL = "STEWARD_ACCESS_TTL"
    case refreshTTL = "STEWARD_REFRESH_TTL"
    case corsOrigins = "STEWARD_CORS_ORIGINS"
    case logLevel = "STEWARD_LOG_LEVEL"
    case logDirectory = "STEWARD_LOG_DIR"
    case argon2MemoryKiB = "STEWARD_ARGON2_MEMORY_KIB"
    case argon2Iterations = "STEWARD_ARGON2_ITERATIONS"
    case argon2Parallelism = "STEWARD_ARGON2_PARALLELISM"
    case loginMaxFailures = "STEWARD_LOGIN_MAX_FAILURES"
    case loginWindow = "STEWARD_LOGIN_WINDOW"
    case rateLimit = "STEWARD_RATE_LIMIT"
    case trustedProxies = "STEWARD_TRUSTED_PROXIES"
    case databasePool = "STEWARD_DB_POOL"
    case theme = "STEWARD_THEME"
    case themeDirectory = "STEWARD_THEME_DIR"

    /// The prefix every Steward variable shares; a variable with it that is not one of the
    /// cases above is most likely a typo, reported in ``StewardConfig/unrecognizedVariables``.
    public static let prefix = "STEWARD_"
}

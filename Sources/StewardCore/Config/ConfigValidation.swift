import Foundation
import Logging

/// The layered variable values, looked up by ``ConfigVariable``.
struct ConfigValues {
    private let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    /// The value exactly as given; only `STEWARD_JWT_SECRET` is read this way.
    func raw(_ variable: ConfigVariable) -> String? {
        values[variable.rawValue]
    }

    /// The value with surrounding whitespace removed, which no setting but the secret could
    /// mean on purpose and which `.env` files and shell scripts easily pick up.
    subscript(_ variable: ConfigVariable) -> String? {
        values[variable.rawValue]?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension StewardConfig {
    /// The longest duration any setting accepts, ten years. Lifetimes are added to the current
    /// time when tokens are issued, so a value with room to overflow that sum is refused here
    /// rather than trapping at the first login.
    static let longestDurationSeconds = 3_650 * 86_400

    /// The most memory argon2 may be told to use per hash, 4 GiB in KiB.
    static let largestArgon2MemoryKiB = 4 * 1_024 * 1_024

    /// Replaces the defaults with every value that is set, checking each one.
    ///
    /// The order follows docs/configuration.md's table so that the first error reported is the first in it;
    /// checks that relate two values (the TTLs, argon2's memory and lanes) run once both are read.
    mutating func apply(_ values: ConfigValues) throws(ConfigError) {
        if let text = values[.environment] {
            guard let parsed = DeploymentEnvironment(rawValue: text.lowercased()) else {
                throw ConfigError(variable: ConfigVariable.environment.rawValue, message: "\(ConfigError.quoted(text)) is not an environment; expected development, test or production")
            }
            environment = parsed
        }

        if let text = values[.database], PostgresURL.isPostgres(text) {
            let url = try PostgresURL(parsing: text)
            postgres = url
            databasePath = url.displayName
            logDirectory = Self.stateFolder(named: "logs")
            themeDirectory = Self.stateFolder(named: "themes")
        } else if let text = values[.database] {
            if text.hasSuffix("/") {
                throw ConfigError(variable: ConfigVariable.database.rawValue, message: "\(ConfigError.quoted(text)) names a folder; expected the path of an SQLite file such as data/steward.sqlite")
            }
            databasePath = try Self.parseFilePath(text, variable: .database, example: "data/steward.sqlite")
        }
        if postgres == nil {
            logDirectory = Self.logDirectory(besideDatabase: databasePath)
            themeDirectory = Self.themeDirectory(besideDatabase: databasePath)
        }

        if let text = values[.host] {
            host = try Self.parseHost(text)
        }

        if let text = values[.port] {
            guard let parsed = Self.parseWholeNumber(text), (1...65_535).contains(parsed) else {
                throw ConfigError(variable: ConfigVariable.port.rawValue, message: "\(ConfigError.quoted(text)) is not a port; expected a whole number from 1 to 65535")
            }
            port = parsed
        }

        if let secret = values.raw(.jwtSecret) {
            guard !secret.isEmpty else {
                throw ConfigError(variable: ConfigVariable.jwtSecret.rawValue, message: "is empty; expected secret text of at least \(Self.minimumProductionSecretBytes) bytes, or leave it unset outside production to have one generated")
            }
            jwtSecret = Array(secret.utf8)
        }
        if environment == .production {
            try Self.checkProductionSecret(jwtSecret)
        }

        if let text = values[.accessTTL] {
            accessTTL = try Self.parseDuration(text, variable: .accessTTL)
        }
        if let text = values[.refreshTTL] {
            refreshTTL = try Self.parseDuration(text, variable: .refreshTTL)
        }
        if accessTTL > refreshTTL {
            let accessShown = values[.accessTTL].map(ConfigError.quoted) ?? "the default 15m"
            let refreshShown = values[.refreshTTL].map(ConfigError.quoted) ?? "the default 7d"
            throw ConfigError(variable: ConfigVariable.accessTTL.rawValue, message: "\(accessShown) is longer than STEWARD_REFRESH_TTL (\(refreshShown)); expected an access token lifetime no longer than the refresh token lifetime")
        }

        if let text = values[.corsOrigins] {
            corsOrigins = try Self.parseOrigins(text)
        }

        if let text = values[.trustedProxies] {
            var ranges: [AddressRange] = []
            for item in text.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let range = AddressRange(String(item)) else {
                    throw ConfigError(variable: ConfigVariable.trustedProxies.rawValue,
                                      message: "\(ConfigError.quoted(String(item))) is not an address range; expected \(AddressRange.acceptedForm)")
                }
                ranges.append(range)
            }
            trustedProxies = ranges
        }

        if let text = values[.databasePool] {
            guard let parsed = Self.parseWholeNumber(text), (1...1_000).contains(parsed) else {
                throw ConfigError(variable: ConfigVariable.databasePool.rawValue, message: "\(ConfigError.quoted(text)) is not a pool size; expected a whole number from 1 to 1000")
            }
            databasePool = parsed
        }

        if let text = values[.logLevel] {
            guard let parsed = Logging.Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigError(variable: ConfigVariable.logLevel.rawValue, message: "\(ConfigError.quoted(text)) is not a log level; expected one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = parsed
        }

        if let text = values[.logDirectory] {
            logDirectory = try Self.parseFilePath(text, variable: .logDirectory, example: "logs")
        }

        try applyArgon2(values)

        if let text = values[.loginMaxFailures] {
            guard let parsed = Self.parseWholeNumber(text), (1...1_000).contains(parsed) else {
                throw ConfigError(variable: ConfigVariable.loginMaxFailures.rawValue, message: "\(ConfigError.quoted(text)) is not a failure count; expected a whole number from 1 to 1000")
            }
            loginMaxFailures = parsed
        }
        if let text = values[.loginWindow] {
            loginWindowSeconds = try Self.parseDuration(text, variable: .loginWindow)
        }

        if let text = values[.rateLimit] {
            guard let parsed = RateLimit.parse(text), parsed.windowSeconds <= Self.longestDurationSeconds else {
                throw ConfigError(variable: ConfigVariable.rateLimit.rawValue, message: "\(ConfigError.quoted(text)) is not a rate limit; expected \(RateLimit.acceptedForm)")
            }
            rateLimit = parsed
        }

        if let text = values[.theme] {
            theme = try Self.parseThemeName(text)
        }
        if let text = values[.themeDirectory] {
            themeDirectory = try Self.parseFilePath(text, variable: .themeDirectory, example: "/etc/steward/themes")
        }
    }

    /// Production signs tokens only with a secret the operator chose and can keep across
    /// machines; a generated one would silently differ between two servers.
    static func checkProductionSecret(_ secret: [UInt8]?) throws(ConfigError) {
        guard let secret else {
            throw ConfigError(variable: ConfigVariable.jwtSecret.rawValue, message: "is required in production; expected a secret of at least \(minimumProductionSecretBytes) bytes, such as the output of `openssl rand -base64 48`")
        }
        guard secret.count >= minimumProductionSecretBytes else {
            throw ConfigError(variable: ConfigVariable.jwtSecret.rawValue, message: "is \(secret.count) bytes long; expected at least \(minimumProductionSecretBytes) bytes in production")
        }
    }

    private mutating func applyArgon2(_ values: ConfigValues) throws(ConfigError) {
        var memory = Int(argon2.memoryKiB)
        var iterations = Int(argon2.iterations)
        var parallelism = Int(argon2.parallelism)
        if let text = values[.argon2MemoryKiB] {
            guard let parsed = Self.parseWholeNumber(text) else {
                throw ConfigError(variable: ConfigVariable.argon2MemoryKiB.rawValue, message: "\(ConfigError.quoted(text)) is not an amount of memory; expected a whole number of KiB from 8 × STEWARD_ARGON2_PARALLELISM to \(Self.largestArgon2MemoryKiB) (4 GiB)")
            }
            memory = parsed
        }
        if let text = values[.argon2Iterations] {
            guard let parsed = Self.parseWholeNumber(text), (1...100).contains(parsed) else {
                throw ConfigError(variable: ConfigVariable.argon2Iterations.rawValue, message: "\(ConfigError.quoted(text)) is not an iteration count; expected a whole number from 1 to 100")
            }
            iterations = parsed
        }
        if let text = values[.argon2Parallelism] {
            guard let parsed = Self.parseWholeNumber(text), (1...64).contains(parsed) else {
                throw ConfigError(variable: ConfigVariable.argon2Parallelism.rawValue, message: "\(ConfigError.quoted(text)) is not a lane count; expected a whole number from 1 to 64")
            }
            parallelism = parsed
        }
        // argon2 needs at least 8 KiB per lane; the upper bound keeps a typo from asking
        // every login to allocate more than a server has.
        let leastMemory = 8 * parallelism
        guard (leastMemory...Self.largestArgon2MemoryKiB).contains(memory) else {
            throw ConfigError(variable: ConfigVariable.argon2MemoryKiB.rawValue, message: "\(memory) KiB is out of range; expected a whole number of KiB from \(leastMemory) (8 × STEWARD_ARGON2_PARALLELISM of \(parallelism)) to \(Self.largestArgon2MemoryKiB) (4 GiB)")
        }
        argon2 = Argon2Parameters(memoryKiB: UInt32(memory), iterations: UInt32(iterations), parallelism: UInt32(parallelism))
    }

    /// Digits only: no sign, no spaces, no separators, and small enough for an `Int`.
    static func parseWholeNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text)
    }

    static func parseDuration(_ text: String, variable: ConfigVariable) throws(ConfigError) -> Int {
        guard let seconds = DurationText.parseSeconds(text), seconds <= longestDurationSeconds else {
            throw ConfigError(variable: variable.rawValue, message: "\(ConfigError.quoted(text)) is not a duration; expected \(DurationText.acceptedForm), up to 3650d")
        }
        return seconds
    }

    static func parseFilePath(_ text: String, variable: ConfigVariable, example: String) throws(ConfigError) -> String {
        guard !text.isEmpty else {
            throw ConfigError(variable: variable.rawValue, message: "is empty; expected a path such as \(example)")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ConfigError(variable: variable.rawValue, message: "\(ConfigError.quoted(text)) contains control characters; expected a path such as \(example)")
        }
        return text
    }

    /// A host name (letters, digits, dots, hyphens), an IPv4 address, or an IPv6 address with
    /// an optional `%zone`; written without brackets, as the listener's bind call takes it.
    static func parseHost(_ text: String) throws(ConfigError) -> String {
        let accepted = "expected a host name or IP address such as 127.0.0.1, 0.0.0.0, ::1 or localhost"
        guard !text.isEmpty else {
            throw ConfigError(variable: ConfigVariable.host.rawValue, message: "is empty; \(accepted)")
        }
        let isHostCharacter: (Character) -> Bool = { character in
            character.isASCII && (character.isLetter || character.isNumber || ".-:%_".contains(character))
        }
        guard text.allSatisfy(isHostCharacter), !text.hasPrefix("-"), !text.hasPrefix(".") else {
            throw ConfigError(variable: ConfigVariable.host.rawValue, message: "\(ConfigError.quoted(text)) is not a host name or IP address; \(accepted)")
        }
        return text
    }

    static func parseOrigins(_ text: String) throws(ConfigError) -> [String] {
        var origins: [String] = []
        for entry in text.split(separator: ",") {
            let candidate = entry.trimmingCharacters(in: .whitespaces)
            if candidate.isEmpty { continue }
            if candidate == "*" {
                throw ConfigError(variable: ConfigVariable.corsOrigins.rawValue, message: "\"*\" is not allowed, because credentials are sent to every listed origin; expected comma-separated origins of the form http(s)://host[:port], such as https://app.example.com")
            }
            guard let origin = normalizedOrigin(candidate) else {
                throw ConfigError(variable: ConfigVariable.corsOrigins.rawValue, message: "\(ConfigError.quoted(candidate)) is not an origin; expected comma-separated origins of the form http(s)://host[:port] without a path, such as https://app.example.com or http://localhost:3000")
            }
            if !origins.contains(origin) { origins.append(origin) }
        }
        return origins
    }

    /// The origin as a browser writes it in its `Origin` header, or `nil` when `text` is not
    /// an http(s) origin.
    ///
    /// Browsers send the scheme and host in lower case and leave out the scheme's default
    /// port, so the same is done here: the stored form compares equal to the header byte for
    /// byte. Paths (even a lone `/`), queries, fragments and user names are refused, since an
    /// origin has none and a configured one would never match.
    static func normalizedOrigin(_ text: String) -> String? {
        let lowered = text.lowercased()
        let scheme: String
        let defaultPort: Int
        if lowered.hasPrefix("https://") {
            (scheme, defaultPort) = ("https", 443)
        } else if lowered.hasPrefix("http://") {
            (scheme, defaultPort) = ("http", 80)
        } else {
            return nil
        }
        let authority = lowered.dropFirst(scheme.count + 3)
        guard !authority.isEmpty, authority.allSatisfy({ $0.isASCII }),
              !authority.contains(where: { "/?#@\\ ".contains($0) })
        else { return nil }

        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let inside = authority[authority.index(after: authority.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                return nil
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            let labelsAreValid = labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
            }
            guard labelsAreValid else { return nil }
        }

        var origin = scheme + "://" + host
        if let portText {
            guard let port = parseWholeNumber(String(portText)), (1...65_535).contains(port) else { return nil }
            if port != defaultPort { origin += ":\(port)" }
        }
        return origin
    }

    /// A theme may be looked up as a file in the themes folder, so its name must stay inside it.
    static func parseThemeName(_ text: String) throws(ConfigError) -> String {
        let isPlainFileName = !text.isEmpty
            && text.utf8.count <= 255
            && !text.contains("/") && !text.contains("\\") && !text.contains("..")
            && !text.hasPrefix(".")
            && !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        guard isPlainFileName else {
            throw ConfigError(variable: ConfigVariable.theme.rawValue, message: "\(ConfigError.quoted(text)) is not a theme name; expected a plain file name such as default, light or high-contrast (no slash, no .., not hidden)")
        }
        return text
    }
}

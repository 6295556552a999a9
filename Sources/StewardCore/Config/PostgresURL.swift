import Foundation

/// `STEWARD_DB` when it names a PostgreSQL database (SPEC §8):
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`, with `postgresql://` accepted too, the
/// user and password percent-decoded, the port 5432 when left out, and two optional query
/// parameters: `sslmode` (`disable`, `prefer` as libpq's default, or `require`) and
/// `schema` (a schema of its own inside the database).
///
/// The password never leaves this value except towards the server: ``displayName`` is what
/// the status bar, the log and every error show.
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var schema: String?
    public var sslMode: String

    /// The URL without its password.
    public var displayName: String {
        var text = "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        if let schema { text += "?schema=\(schema)" }
        return text
    }

    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    static let form = "postgres://USER:PASSWORD@HOST:PORT/DATABASE"

    /// Parses `text`; the error message never repeats the text (it may hold a password).
    public init(parsing text: String) throws(ConfigError) {
        func failure(_ why: String) -> ConfigError {
            ConfigError(variable: ConfigVariable.database.rawValue, message: "is not a usable PostgreSQL URL: \(why); expected \(Self.form)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else { throw failure("it does not parse as a URL") }
        guard let host = components.host, !host.isEmpty else { throw failure("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw failure("it names no user") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { throw failure("it names no database (the path after the port)") }
        if let port = components.port, !(1...65_535).contains(port) { throw failure("the port is not 1 to 65535") }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        username = components.percentEncodedUser?.removingPercentEncoding ?? user
        password = components.percentEncodedPassword?.removingPercentEncoding
        database = path.removingPercentEncoding ?? path
        schema = nil
        sslMode = "prefer"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require"].contains(value) else {
                    throw failure("sslmode must be disable, prefer or require")
                }
                sslMode = value
            case "schema":
                guard let value = item.value, !value.isEmpty, value.count <= 63,
                      value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw failure("schema must be 1 to 63 letters, digits or underscores")
                }
                schema = value
            default:
                throw failure("unknown parameter \(item.name) (sslmode and schema are understood)")
            }
        }
    }
}

/// One failing input field: the field's name as the client sent it, and what is wrong.
public struct FieldError: Sendable, Equatable, Codable, Hashable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The one error type every service throws.
///
/// Both doors turn it into their own form (a problem+json answer, a console message,
/// a CLI line on stderr). `message` is always safe to show: it never holds SQL, a path,
/// a password or a token. Internal failures keep their cause in `underlying` for the log.
public struct StewardError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case badInput, unauthenticated, forbidden, notFound, conflict, throttled, internalError
    }

    public var kind: Kind
    public var message: String
    public var fieldErrors: [FieldError]
    /// Seconds until a throttled client may try again.
    public var retryAfter: Int?
    /// The cause of an internal error, for the log only; never shown to a client.
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, fieldErrors: [FieldError] = [], retryAfter: Int? = nil, underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.fieldErrors = fieldErrors
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    public static func badInput(_ fields: [FieldError], message: String = "The input is not valid.") -> StewardError {
        StewardError(.badInput, message, fieldErrors: fields)
    }
    public static func badInput(field: String, _ message: String) -> StewardError {
        StewardError(.badInput, "The input is not valid.", fieldErrors: [FieldError(field: field, message: message)])
    }
    public static var unauthenticated: StewardError { StewardError(.unauthenticated, "Sign in to continue.") }
    /// A console session that no longer holds: the account was deactivated, demoted,
    /// signed out or changed. The console goes back to its sign-in screen.
    public static func sessionEnded(_ reason: String) -> StewardError {
        StewardError(.unauthenticated, "Your session has ended: \(reason). Sign in again.", underlying: "session ended")
    }
    /// True for ``sessionEnded(_:)`` errors.
    public var isSessionEnded: Bool { kind == .unauthenticated && underlying == "session ended" }
    public static func forbidden(_ permission: String) -> StewardError {
        StewardError(.forbidden, "You do not have the permission \(permission).")
    }
    public static func notFound(_ what: String) -> StewardError { StewardError(.notFound, "\(what) was not found.") }
    public static func conflict(_ message: String) -> StewardError { StewardError(.conflict, message) }
    public static func throttled(retryAfter: Int, _ message: String = "Too many requests; try again later.") -> StewardError {
        StewardError(.throttled, message, retryAfter: max(1, retryAfter))
    }
    public static func internalError(_ cause: String) -> StewardError {
        StewardError(.internalError, "Something went wrong on our side.", underlying: cause)
    }

    public var description: String {
        var text = message
        for field in fieldErrors { text += "\n  \(field.field): \(field.message)" }
        return text
    }
}

/// One check a value must pass, with the message to show when it does not.
///
/// A rule answers `nil` for a good value and a short message for a bad one. Messages are
/// written to follow the field's name, as a client shows them: "password" + "must contain
/// a digit". They never repeat the submitted value, so a password or an attacker's markup
/// can never come back in an error answer or a log line.
///
/// The rules Steward uses are static members (`.email`, `.password(list)`, `.personName`,
/// `.length(5...200)`, `.oneOf(...)`, `.tags`, `.range(1...100)`), so a check reads like
/// the rule book: `validator.check("title", title, .length(5...200))`.
public struct Rule<Value>: Sendable {
    private let firstProblem: @Sendable (Value) -> String?

    /// Makes a rule from a check that returns a message when the value fails.
    public init(_ check: @escaping @Sendable (Value) -> String?) {
        self.firstProblem = check
    }

    /// Why `value` breaks this rule, or `nil` when it keeps it.
    public func failure(for value: Value) -> String? {
        firstProblem(value)
    }
}

/// Collects every failing field of one request, so the client hears about all of them at
/// once instead of fixing one field per round trip.
///
/// ```swift
/// var validator = Validator()
/// validator.check("email", email, .email)
/// validator.check("password", password, .password(commonPasswords))
/// validator.check("status", status, required: false, .oneOf(["draft", "published", "archived"]))
/// try validator.validate()   // throws StewardError.badInput with both fields if both fail
/// ```
///
/// Each field gets at most one message from `check`: its rules run in order and the first
/// one that fails speaks for the field, because "must be 8 to 128 characters" followed by
/// four more complaints about the same short password helps nobody.
public struct Validator: Sendable {
    /// The failures recorded so far, in the order the fields were checked.
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// Starts with the problems the door found while reading the input (a field of the
    /// wrong JSON type, say), so that they are reported together with every rule that
    /// fails, and nothing is written while any of them stands.
    public init(inputErrors: [FieldError]) {
        errors = inputErrors
    }

    /// Whether every check so far has passed.
    public var isValid: Bool { errors.isEmpty }

    /// Checks `value` against `rules` in order and records the first failing rule's message for `field`.
    public mutating func check<Value>(_ field: String, _ value: Value, _ rules: Rule<Value>...) {
        record(field, value, rules)
    }

    /// For optional fields: `nil` passes unless `required` is true (then "is required").
    /// A value that is present is checked against `rules` like any other.
    public mutating func check<Value>(_ field: String, _ value: Value?, required: Bool, _ rules: Rule<Value>...) {
        guard let value else {
            if required { add(field, "is required") }
            return
        }
        record(field, value, rules)
    }

    /// Refuses a submitted value longer than `maximum` Unicode code points *as sent*, before
    /// any trimming or cleaning: the form in which a client (and the OpenAPI document's
    /// `maxLength`) counts it. The rules then judge the cleaned value.
    public mutating func limitSubmitted(_ field: String, _ value: String?, to maximum: Int) {
        guard let value, value.unicodeScalars.count > maximum else { return }
        add(field, "must be at most \(maximum) characters as submitted")
    }

    /// Records a failure that no rule expresses, such as a parent comment on another post.
    /// A field that already failed keeps its first message.
    public mutating func add(_ field: String, _ message: String) {
        guard !errors.contains(where: { $0.field == field }) else { return }
        errors.append(FieldError(field: field, message: message))
    }

    /// Throws `StewardError.badInput` carrying every recorded failure, if there is any.
    public func validate() throws(StewardError) {
        if !errors.isEmpty {
            throw StewardError.badInput(errors)
        }
    }

    private mutating func record<Value>(_ field: String, _ value: Value, _ rules: [Rule<Value>]) {
        for rule in rules {
            if let message = rule.failure(for: value) {
                add(field, message)
                return
            }
        }
    }
}

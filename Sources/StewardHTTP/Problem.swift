import StewardCore

/// An error answer in the form of RFC 9457 (`application/problem+json`).
///
/// ```json
/// {"type":"about:blank","title":"Bad Request","status":400,
///  "detail":"The input is not valid.","requestId":"8f2c…",
///  "errors":[{"field":"title","message":"must be 5 to 200 characters"}]}
/// ```
///
/// `type` is `about:blank`, so `title` is the status's reason phrase; `detail` says what
/// went wrong in words safe to show (never SQL, paths or stack traces); `requestId` matches
/// the `X-Request-Id` header and the log; `errors` lists each failing field (validation only).
public struct Problem: Codable, Sendable, Equatable {
    /// The media type of problem answers.
    public static let mediaType = "application/problem+json"
    /// The only detail a 500 ever carries.
    public static let internalErrorDetail = "Something went wrong on our side."

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var requestId: String
    public var errors: [FieldError]?

    public init(status: Int, title: String, detail: String, requestId: String, errors: [FieldError]? = nil) {
        self.type = "about:blank"
        self.title = title
        self.status = status
        self.detail = detail
        self.requestId = requestId
        self.errors = errors?.isEmpty == true ? nil : errors
    }
}

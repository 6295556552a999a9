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

    /// The answer's bytes, members always in this order: `type`, `title`, `status`,
    /// `detail`, `requestId`, `errors` (a client or a test may compare answers as text).
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        bytes.append(contentsOf: #"{"type":"#.utf8)
        JSONText.appendString(type, to: &bytes)
        bytes.append(contentsOf: #","title":"#.utf8)
        JSONText.appendString(title, to: &bytes)
        bytes.append(contentsOf: #","status":"#.utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(contentsOf: #","detail":"#.utf8)
        JSONText.appendString(detail, to: &bytes)
        bytes.append(contentsOf: #","requestId":"#.utf8)
        JSONText.appendString(requestId, to: &bytes)
        if let errors {
            bytes.append(contentsOf: #","errors":["#.utf8)
            for (index, error) in errors.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: #"{"field":"#.utf8)
                JSONText.appendString(error.field, to: &bytes)
                bytes.append(contentsOf: #","message":"#.utf8)
                JSONText.appendString(error.message, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}

import Foundation
import Hummingbird
import Logging
import StewardCore

/// Turns every error thrown further in into a problem+json answer (see ``Problem``).
///
/// Sits inside ``RequestIDMiddleware``, ``SecurityHeadersMiddleware`` and
/// ``CrossOriginMiddleware``, none of which throw, so error answers still carry the request
/// id, the security headers and the CORS grant, and are logged like any other.
///
/// | error | status |
/// |---|---|
/// | `StewardError` `.badInput` | 400, with `errors` for the failing fields |
/// | `.unauthenticated` | 401, with `WWW-Authenticate: Bearer realm="steward"` |
/// | `.forbidden` / `.notFound` / `.conflict` | 403 / 404 / 409 |
/// | `.throttled` | 429, with `Retry-After` |
/// | `.tooLarge` / `.unsupportedMediaType` | 413 / 415 |
/// | `.internalError` | 500 |
/// | `DecodingError` | 400, mapped to field errors by ``JSONBody`` |
/// | Hummingbird's `HTTPError` and other `HTTPResponseError`s | their own status (an unknown route is 404) |
/// | anything else | 500 |
///
/// A 500's `detail` is always ``Problem/internalErrorDetail``; the real cause goes only to
/// the log, at `error`, with the request id.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    let renderer: ProblemRenderer

    /// - Parameter logger: where the causes of 500s are logged.
    public init(logger: Logger) {
        self.renderer = ProblemRenderer(logger: logger)
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return renderer.response(for: error, requestID: context.requestID)
        }
    }
}

/// Builds problem answers; shared by ``ProblemMiddleware`` and ``RequestIDMiddleware``.
struct ProblemRenderer: Sendable {
    let logger: Logger

    func response(for error: any Error, requestID: String) -> Response {
        let (problem, extraHeaders) = self.problem(for: error, requestID: requestID)
        let body = problem.json
        var headers = HTTPFields()
        headers[.contentType] = Problem.mediaType
        headers[.contentLength] = String(body.count)
        headers.append(contentsOf: extraHeaders)
        return Response(
            status: HTTPResponse.Status(code: problem.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    func problem(for error: any Error, requestID: String) -> (Problem, HTTPFields) {
        switch error {
        case let error as StewardError:
            return stewardProblem(error, requestID: requestID)
        case let error as DecodingError:
            return stewardProblem(JSONBody.problem(for: error), requestID: requestID)
        case let error as any HTTPResponseError:
            let status = error.status.code
            guard status < 500 else {
                return internalProblem(cause: String(reflecting: error), requestID: requestID)
            }
            var headers = HTTPFields()
            var detail = Self.defaultDetail(status)
            if let httpError = error as? HTTPError {
                headers = httpError.headers
                headers[.contentType] = nil
                headers[.contentLength] = nil
                if let message = httpError.body, !message.isEmpty { detail = message }
            }
            if status == 401 && headers[.wwwAuthenticate] == nil {
                headers[.wwwAuthenticate] = Self.wwwAuthenticate
            }
            return (Problem(status: status, title: Self.title(status), detail: detail, requestId: requestID), headers)
        default:
            return internalProblem(cause: String(reflecting: error), requestID: requestID)
        }
    }

    private func stewardProblem(_ error: StewardError, requestID: String) -> (Problem, HTTPFields) {
        let status = Self.status(of: error.kind)
        guard error.kind != .internalError else {
            return internalProblem(cause: error.underlying ?? error.message, requestID: requestID)
        }
        var headers = HTTPFields()
        if error.kind == .unauthenticated {
            headers[.wwwAuthenticate] = Self.wwwAuthenticate
        }
        if let retryAfter = error.retryAfter ?? (error.kind == .throttled ? 1 : nil) {
            headers[.retryAfter] = String(max(1, retryAfter))
        }
        let problem = Problem(
            status: status,
            title: Self.title(status),
            detail: error.message,
            requestId: requestID,
            errors: error.fieldErrors
        )
        return (problem, headers)
    }

    private func internalProblem(cause: String, requestID: String) -> (Problem, HTTPFields) {
        logger.error("request failed", metadata: ["requestId": .string(requestID), "error": .string(cause)])
        let problem = Problem(status: 500, title: Self.title(500), detail: Problem.internalErrorDetail, requestId: requestID)
        return (problem, HTTPFields())
    }

    static let wwwAuthenticate = #"Bearer realm="steward""#

    /// The HTTP status of each kind of ``StewardError``.
    static func status(of kind: StewardError.Kind) -> Int {
        switch kind {
        case .badInput: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .throttled: 429
        case .internalError: 500
        }
    }

    /// The reason phrase of `status` (RFC 9110), the `title` of an `about:blank` problem.
    static func title(_ status: Int) -> String {
        reasonPhrases[status] ?? (status >= 500 ? "Server Error" : "Client Error")
    }

    private static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
        411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large", 414: "URI Too Long",
        415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
        421: "Misdirected Request", 422: "Unprocessable Content", 428: "Precondition Required",
        429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout",
    ]

    static func defaultDetail(_ status: Int) -> String {
        switch status {
        case 400: "The request is not valid."
        case 401: "Sign in to continue."
        case 403: "You are not allowed to do this."
        case 404: "No route matches this method and path."
        case 405: "This method is not allowed on this path."
        case 409: "The request conflicts with the current state."
        case 413: "The request body is too large."
        case 415: "The request body must be JSON, sent with Content-Type: application/json."
        case 429: "Too many requests; try again later."
        default: "\(title(status))."
        }
    }
}

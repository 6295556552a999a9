import Hummingbird
import NIOCore
import StewardCore

/// Reads the request body once, bounded, and checks that it is a JSON object.
///
/// In order:
/// 1. a `Content-Length` over the limit is refused with 413 before a byte is read;
/// 2. a body that is not `application/json` (or `application/…+json`; a `charset`, if given,
///    must be UTF-8) is refused with 415;
/// 3. the body is read up to the limit, counting the bytes actually streamed, so a chunked
///    body without `Content-Length` is held to the same limit (413);
/// 4. a body that is not well-formed JSON, or not an object, is refused with 400.
///
/// The checked body is put back on the request and kept in
/// ``StewardRequestContext/jsonBody`` (empty when there is none) for
/// ``StewardRequestContext/decodeJSON(_:as:)``. Requests without a body pass untouched:
/// `GET`, `HEAD` and `OPTIONS` bodies are only looked at when a `Content-Length` announces one.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    /// 1 MiB, the limit of docs/http-api.md.
    public static let defaultMaximumBytes = 1 << 20

    let maximumBytes: Int

    public init(maximumBytes: Int = BodyLimitMiddleware.defaultMaximumBytes) {
        self.maximumBytes = maximumBytes
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        var context = context
        context.jsonBody = ByteBuffer()

        let declaredLength = request.headers[.contentLength].flatMap { Int($0) }
        if let declaredLength, declaredLength > maximumBytes {
            throw tooLarge
        }
        let mayHaveBody = declaredLength.map { $0 > 0 } ?? Self.methodsWithBody.contains(request.method)
        guard mayHaveBody else {
            return try await next(request, context)
        }
        if declaredLength != nil, !Self.isJSON(request.headers[.contentType]) {
            throw Self.unsupportedMediaType
        }
        let body = try await Self.collect(request.body, upTo: maximumBytes, orThrow: tooLarge)
        if body.readableBytes > 0 {
            if !Self.isJSON(request.headers[.contentType]) {
                throw Self.unsupportedMediaType
            }
            try JSONBody.validateObject(body)
        }
        request.body = RequestBody(buffer: body)
        context.jsonBody = body
        return try await next(request, context)
    }

    /// Methods whose requests are read even without a `Content-Length` (a chunked body).
    static let methodsWithBody: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// True for `application/json` and `application/…+json`, with no charset or UTF-8.
    public static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        let mediaType = parts[0].trimmingASCIISpaces().lowercased()
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            return false
        }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIISpaces().lowercased() == "charset" else { continue }
            var charset = pair[1].trimmingASCIISpaces().lowercased()
            if charset.hasPrefix("\""), charset.hasSuffix("\""), charset.count >= 2 {
                charset = String(charset.dropFirst().dropLast())
            }
            if charset != "utf-8" && charset != "utf8" { return false }
        }
        return true
    }

    /// Reads `body` into one buffer, throwing `error` as soon as more than `limit` bytes
    /// have arrived (nothing beyond the limit is kept).
    static func collect(_ body: RequestBody, upTo limit: Int, orThrow error: HTTPError) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await part in body {
            guard collected.readableBytes + part.readableBytes <= limit else { throw error }
            var part = part
            collected.writeBuffer(&part)
        }
        return collected
    }

    var tooLarge: HTTPError {
        let limit = maximumBytes == Self.defaultMaximumBytes ? "1 MiB" : "\(maximumBytes) bytes"
        return HTTPError(.contentTooLarge, message: "The request body is larger than \(limit).")
    }

    static var unsupportedMediaType: HTTPError {
        HTTPError(.unsupportedMediaType, message: "The request body must be JSON, sent with Content-Type: application/json.")
    }
}

extension StewardRequestContext {
    /// Decodes the request body into `type`, as described on ``JSONBody``.
    ///
    /// Uses the body ``BodyLimitMiddleware`` already read and checked; without that
    /// middleware it reads the body itself, up to the same 1 MiB limit. A request without a
    /// body decodes as `{}`, so missing required fields are reported by name.
    ///
    /// ```swift
    /// router.post("/api/posts") { request, context in
    ///     let input = try await context.decodeJSON(request, as: NewPost.self)
    ///     return try await posts.create(input, by: context.caller)
    /// }
    /// ```
    public func decodeJSON<T: Decodable>(_ request: Request, as type: T.Type = T.self) async throws -> T {
        let body: ByteBuffer
        if let jsonBody {
            body = jsonBody
        } else {
            body = try await BodyLimitMiddleware.collect(
                request.body,
                upTo: maxUploadSize,
                orThrow: BodyLimitMiddleware(maximumBytes: maxUploadSize).tooLarge
            )
        }
        return try JSONBody.decode(type, from: body)
    }
}

extension StringProtocol {
    func trimmingASCIISpaces() -> String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

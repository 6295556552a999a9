import Foundation
import HTTPTypes
import Hummingbird

/// Cross-origin resource sharing for the origins listed in `STEWARD_CORS_ORIGINS`.
///
/// - A request from a listed origin gets `Access-Control-Allow-Origin` echoing that origin,
///   `Access-Control-Allow-Credentials: true` (cookies may be sent) and
///   `Access-Control-Expose-Headers` for the headers scripts need to read.
/// - A preflight (`OPTIONS` with `Access-Control-Request-Method`) from a listed origin is
///   answered here with 204, the allowed methods and request headers, and a max age; it never
///   reaches a route.
/// - An origin not listed gets no CORS header at all, so the browser refuses to hand the
///   answer to the page. Its preflight is still answered 204 (without any grant) rather
///   than 403: the browser blocks the call either way, a 403 body would be unreadable to the
///   page, and a 204 keeps the preflight path identical for every origin.
/// - `Vary: Origin` is set whenever origins are configured, because answers then differ by
///   origin.
///
/// Origins compare case-insensitively and without a trailing slash. It is named
/// `CrossOriginMiddleware` so as not to clash with Hummingbird's own `CORSMiddleware`.
public struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Methods a listed origin may use.
    public static var allowedMethods: String { "GET, HEAD, POST, PUT, PATCH, DELETE" }
    /// Request headers a listed origin may send.
    public static var allowedHeaders: String { "Authorization, Content-Type, X-CSRF-Token, X-Request-Id" }
    /// Response headers a listed origin's scripts may read.
    public static var exposedHeaders: String { "X-Request-Id, Retry-After, WWW-Authenticate" }
    /// How long a browser may cache a preflight answer, in seconds.
    public static var maxAge: String { "600" }

    let allowedOrigins: Set<String>

    /// - Parameter allowedOrigins: origins such as `https://app.example.com`.
    public init(allowedOrigins: some Sequence<String>) {
        self.allowedOrigins = Set(allowedOrigins.map(Self.normalized).filter { !$0.isEmpty })
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let origin = request.headers[.origin]
        let allowed = origin.map { allowedOrigins.contains(Self.normalized($0)) } ?? false
        let isPreflight = origin != nil && request.method == .options
            && request.headers[.accessControlRequestMethod] != nil

        var response: Response
        if isPreflight {
            response = Response(status: .noContent)
            if allowed {
                response.headers[.accessControlAllowMethods] = Self.allowedMethods
                response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
                response.headers[.accessControlMaxAge] = Self.maxAge
            }
        } else {
            response = try await next(request, context)
            if allowed {
                response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
            }
        }
        if allowed, let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
        }
        if !allowedOrigins.isEmpty {
            Self.addVaryOrigin(to: &response.headers)
        }
        return response
    }

    static func normalized(_ origin: String) -> String {
        var value = origin.trimmingCharacters(in: .whitespaces).lowercased()
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }

    static func addVaryOrigin(to headers: inout HTTPFields) {
        let present = headers[values: .vary].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "origin" }
        }
        if !present {
            headers.append(HTTPField(name: .vary, value: "Origin"))
        }
    }
}

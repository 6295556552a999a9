import Hummingbird

/// Adds the security headers of docs/http-api.md to every response and removes headers that name the
/// server software.
///
/// It never throws: placed outside ``ProblemMiddleware``, it decorates error answers too.
///
/// | header | value |
/// |---|---|
/// | `Content-Security-Policy` | `default-src 'self'` |
/// | `X-Content-Type-Options` | `nosniff` |
/// | `X-Frame-Options` | `DENY` |
/// | `Referrer-Policy` | `no-referrer` |
/// | `Cross-Origin-Opener-Policy` | `same-origin` |
/// | `Cross-Origin-Resource-Policy` | `same-origin` |
/// | `Strict-Transport-Security` | `max-age=31536000; includeSubDomains`, production only |
/// | `Cache-Control` | `no-store`, unless the route chose a policy: answers carry tokens and private data |
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The `Strict-Transport-Security` value sent in production.
    public static var strictTransportSecurity: String { "max-age=31536000; includeSubDomains" }

    let production: Bool

    /// - Parameter production: send `Strict-Transport-Security` (only meaningful behind TLS,
    ///   which production deployments terminate in front of Steward).
    public init(production: Bool) {
        self.production = production
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        var headers = response.headers
        headers[.contentSecurityPolicy] = "default-src 'self'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "no-referrer"
        headers[.crossOriginOpenerPolicy] = "same-origin"
        headers[.crossOriginResourcePolicy] = "same-origin"
        if production {
            headers[.strictTransportSecurity] = Self.strictTransportSecurity
        }
        if headers[.cacheControl] == nil {
            headers[.cacheControl] = "no-store"
        }
        headers[.server] = nil
        headers[.xPoweredBy] = nil
        response.headers = headers
        return response
    }
}

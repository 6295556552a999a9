import HTTPTypes
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

    /// The fields every answer gets, made once: a field's name and value are checked when
    /// it is made, and every answer would otherwise pay for that again.
    private let fields: [HTTPField]
    /// Names whose presence on an answer needs more than appending ``fields``: ours (a
    /// route never sets them, but if one did, ours must replace its value, not join it)
    /// and the ones that name the server software.
    private let namesToReplace: Set<String>
    private let noStore = HTTPField(name: .cacheControl, value: "no-store")

    /// - Parameter production: send `Strict-Transport-Security` (only meaningful behind TLS,
    ///   which production deployments terminate in front of Steward).
    public init(production: Bool) {
        var fields = [
            HTTPField(name: .contentSecurityPolicy, value: "default-src 'self'"),
            HTTPField(name: .xContentTypeOptions, value: "nosniff"),
            HTTPField(name: .xFrameOptions, value: "DENY"),
            HTTPField(name: .referrerPolicy, value: "no-referrer"),
            HTTPField(name: .crossOriginOpenerPolicy, value: "same-origin"),
            HTTPField(name: .crossOriginResourcePolicy, value: "same-origin"),
        ]
        if production {
            fields.append(HTTPField(name: .strictTransportSecurity, value: Self.strictTransportSecurity))
        }
        self.fields = fields
        self.namesToReplace = Set((fields.map(\.name) + [.server, .xPoweredBy]).map(\.canonicalName))
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        decorate(&response.headers)
        return response
    }

    /// Adds the fields in place. One look at what the answer already has decides: usually
    /// none of these names is there, and the fields are appended as they are.
    func decorate(_ headers: inout HTTPFields) {
        var hasCacheControl = false
        var needsReplacing = false
        for field in headers {
            let name = field.name.canonicalName
            if name == noStore.name.canonicalName { hasCacheControl = true }
            if namesToReplace.contains(name) { needsReplacing = true }
        }
        if needsReplacing {
            for field in fields { headers[field.name] = field.value }
            headers[.server] = nil
            headers[.xPoweredBy] = nil
        } else {
            headers.append(contentsOf: fields)
        }
        if !hasCacheControl { headers.append(noStore) }
    }
}


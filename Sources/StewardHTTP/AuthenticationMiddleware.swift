import Hummingbird
import StewardCore

/// Identifies the caller from an access token and enforces CSRF on cookie sessions.
///
/// The token comes from `Authorization: Bearer <token>` or, when that header is absent, from
/// the `access_token` cookie a browser holds after signing in. A valid token sets
/// ``StewardRequestContext/principal``. Without a token the caller is anonymous and the route
/// decides through the services, which answer `unauthenticated` (401 with
/// `WWW-Authenticate: Bearer`) when they need a signed-in caller.
///
/// A token that is *presented* but malformed, expired or revoked is refused with 401 on
/// every route, open ones included (RFC 6750 §3.1): a client whose session ended must learn
/// it, not silently read the anonymous view. The exceptions are the routes that must work
/// without a valid access token: `/healthz`, `/metrics`, `/openapi.json`, and the auth routes
/// that sign in, register, renew or sign out (logout accepts the refresh token instead). A
/// failure to *check* a token (the database does not answer) is a 500, never "anonymous".
///
/// ## CSRF
///
/// A browser attaches cookies to any request a hostile page makes it send, so a request
/// authenticated by cookie that changes state (POST, PUT, PATCH, DELETE) must also prove it
/// comes from Steward's own pages: header `X-CSRF-Token` must equal the `csrf_token` cookie
/// (double submit) *and* be valid for the session the access token names (the token is an
/// HMAC over that session id, see `AuthService.csrfToken(sessionID:)`), else 403. A page on
/// another origin can neither read the cookie nor mint a token for the victim's session.
/// `Authorization: Bearer` requests need no CSRF token: a browser never adds that header on
/// its own.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = StewardRequestContext

    let auth: AuthService

    public init(auth: AuthService) {
        self.auth = auth
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let token = Self.bearerToken(in: request) {
            context.principal = try await verify(token, request)
        } else if let token = request.cookies[SessionCookies.accessToken]?.value, !token.isEmpty {
            if let principal = try await verify(token, request) {
                if Self.changesState(request.method) {
                    try checkCSRF(request, sessionID: principal.sessionID)
                }
                context.principal = principal
                context.authenticatedByCookie = true
            }
        }
        return try await next(request, context)
    }

    /// The principal of a presented token; `nil` when it does not verify on a route that
    /// works without one; otherwise the 401 (or the 500 of a failed check) propagates.
    private func verify(_ token: String, _ request: Request) async throws -> Principal? {
        do {
            return try await auth.authenticate(accessToken: token)
        } catch let error as StewardError where error.kind == .unauthenticated {
            if Self.worksWithoutAccessToken(request.uri.path) { return nil }
            throw StewardError(.unauthenticated, "The access token is invalid, expired or revoked; sign in again.")
        }
    }

    /// The paths that answer whatever access token comes with them.
    static func worksWithoutAccessToken(_ path: String) -> Bool {
        switch path {
        case "/healthz", "/metrics", "/openapi.json",
             "/api/auth/login", "/api/auth/register", "/api/auth/refresh", "/api/auth/logout": true
        default: false
        }
    }

    /// Throws 403 unless the request's `X-CSRF-Token` matches its `csrf_token` cookie and
    /// was issued for `sessionID`.
    func checkCSRF(_ request: Request, sessionID: String?) throws {
        guard CSRFCheck.passes(request, sessionID: sessionID, auth: auth) else {
            throw CSRFCheck.failure
        }
    }

    /// True for the methods that may change state.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        switch method {
        case .get, .head, .options: false
        default: true
        }
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme compared without
    /// regard to case), or `nil` when there is no such header.
    static func bearerToken(in request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        return bearerToken(inHeader: value)
    }

    /// The token of `Bearer TOKEN` (the scheme in any case, spaces or tabs around the
    /// token), read byte by byte: every authenticated request passes here, and splitting,
    /// lower-casing and Foundation's trimming cost 3% of a list request's CPU.
    static func bearerToken(inHeader value: String) -> String? {
        let bytes = value.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard var index = bytes.firstIndex(where: { !isBlank($0) }) else { return nil }
        for expected in "bearer".utf8 {
            guard index < bytes.endIndex, bytes[index] | 0x20 == expected else { return nil }
            index = bytes.index(after: index)
        }
        guard index < bytes.endIndex, bytes[index] == 0x20 else { return nil }
        guard let start = bytes[index...].firstIndex(where: { !isBlank($0) }),
              let last = bytes[start...].lastIndex(where: { !isBlank($0) }) else { return nil }
        return String(value[start...last])
    }
}

/// The signed double-submit check, shared by the middleware and the cookie refresh.
enum CSRFCheck {
    static let failure = StewardError(.forbidden, "The CSRF token is missing or does not match this session; send the csrf_token cookie's value in X-CSRF-Token.")

    /// True when `X-CSRF-Token` equals the `csrf_token` cookie and verifies for `sessionID`.
    static func passes(_ request: Request, sessionID: String?, auth: AuthService) -> Bool {
        guard let sessionID,
              let header = request.headers[.xCSRFToken], !header.isEmpty,
              let cookie = request.cookies[SessionCookies.csrfToken]?.value,
              Crypto.constantTimeEquals(Array(header.utf8), Array(cookie.utf8))
        else { return false }
        return auth.verifyCSRF(token: header, sessionID: sessionID)
    }
}

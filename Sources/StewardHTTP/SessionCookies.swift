import Foundation
import Hummingbird
import StewardCore

/// The cookies a browser session lives in (docs/http-api.md), set at login and refresh and cleared
/// at logout.
///
/// | cookie | holds | attributes |
/// |---|---|---|
/// | `access_token` | the access JWT | HttpOnly, SameSite=Strict, Path=/, Max-Age = access TTL |
/// | `refresh_token` | the opaque refresh token | HttpOnly, SameSite=Strict, Path=/api/auth, Max-Age = refresh TTL |
/// | `csrf_token` | the session's CSRF token | readable by the page's scripts, SameSite=Strict, Path=/ |
///
/// Every one is `Secure` in production, where Steward is served over HTTPS. The refresh
/// cookie's narrow path keeps the long-lived token off every request but those to
/// `/api/auth/…`. The CSRF cookie must be readable: the page copies it into `X-CSRF-Token`.
struct SessionCookies: Sendable {
    static let accessToken = "access_token"
    static let refreshToken = "refresh_token"
    static let csrfToken = "csrf_token"
    static let refreshPath = "/api/auth"

    /// True in production: adds `Secure`.
    let secure: Bool

    /// The three cookies of a new or refreshed session.
    func issue(_ session: AuthService.Session, csrfToken: String, accessTTL: Int, refreshTTL: Int) -> [Cookie] {
        [
            cookie(Self.accessToken, session.accessToken, maxAge: accessTTL, path: "/", httpOnly: true),
            cookie(Self.refreshToken, session.refreshToken, maxAge: refreshTTL, path: Self.refreshPath, httpOnly: true),
            cookie(Self.csrfToken, csrfToken, maxAge: refreshTTL, path: "/", httpOnly: false),
        ]
    }

    /// Cookies that make a browser forget the session: empty values, `Max-Age=0`.
    func clear() -> [Cookie] {
        [
            cookie(Self.accessToken, "", maxAge: 0, path: "/", httpOnly: true),
            cookie(Self.refreshToken, "", maxAge: 0, path: Self.refreshPath, httpOnly: true),
            cookie(Self.csrfToken, "", maxAge: 0, path: "/", httpOnly: false),
        ]
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int, path: String, httpOnly: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: httpOnly, sameSite: .strict)
    }
}

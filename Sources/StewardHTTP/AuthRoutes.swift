import Hummingbird
import StewardCore

/// `/api/auth/…`: registration, sign-in, refresh, sign-out, the signed-in user and password
/// changes. Sign-in and refresh answer the token pair in the body *and* as cookies, so both
/// API clients and browser pages can use them (see ``SessionCookies``).
extension APIRoutes {
    struct RegisterBody: LenientBody {
        @Lenient var email: String?
        @Lenient var password: String?
        @Lenient var firstName: String?
        @Lenient var lastName: String?
    }

    struct LoginBody: LenientBody {
        @Lenient var email: String?
        @Lenient var password: String?
    }

    struct RefreshBody: Decodable {
        var refreshToken: String?
    }

    struct PasswordBody: LenientBody {
        @Lenient var currentPassword: String?
        @Lenient var newPassword: String?
    }

    func addAuthRoutes(to router: StewardRouter) {
        let auth = services.auth
        let metrics = self.metrics
        let cookies = self.cookies

        router.post("/api/auth/register") { request, context -> Response in
            let body = try await context.decodeJSON(request, as: RegisterBody.self)
            let user = try await auth.register(email: body.email ?? "", password: body.password ?? "",
                                               firstName: body.firstName ?? "", lastName: body.lastName ?? "",
                                               caller: context.caller, inputErrors: body.inputErrors)
            return .json(user, status: .created)
        }

        router.post("/api/auth/login") { request, context -> Response in
            let body = try await context.decodeJSON(request, as: LoginBody.self)
            let session: AuthService.Session
            do {
                session = try await auth.login(email: body.email ?? "", password: body.password ?? "", caller: context.caller,
                                               inputErrors: body.inputErrors)
            } catch let error as StewardError {
                switch error.kind {
                case .throttled: metrics.recordLogin(.throttled)
                case .unauthenticated: metrics.recordLogin(.failure)
                default: break
                }
                throw error
            }
            metrics.recordLogin(.success)
            return sessionResponse(session, auth: auth, cookies: cookies)
        }

        router.post("/api/auth/refresh") { request, context -> Response in
            let body = try await context.decodeJSON(request, as: RefreshBody.self)
            let token: String
            if let fromBody = body.refreshToken, !fromBody.isEmpty {
                token = fromBody
            } else if let fromCookie = request.cookies[SessionCookies.refreshToken]?.value, !fromCookie.isEmpty {
                // A browser sends the cookie to any request a hostile page triggers: the
                // CSRF token of this refresh token's session must come along.
                let sessionID = try await auth.sessionID(ofRefreshToken: fromCookie)
                guard sessionID != nil else { throw StewardError.unauthenticated }
                guard CSRFCheck.passes(request, sessionID: sessionID, auth: auth) else { throw CSRFCheck.failure }
                token = fromCookie
            } else {
                throw StewardError(.unauthenticated, "A refresh token is required, in the body or the refresh_token cookie.")
            }
            let session = try await auth.refresh(refreshToken: token, caller: context.caller)
            return sessionResponse(session, auth: auth, cookies: cookies)
        }

        router.post("/api/auth/logout") { request, context -> Response in
            if context.principal != nil {
                try await auth.logout(context.caller)
            } else {
                // The access token expired (or was never sent): the refresh token, from the
                // body or the cookie (with the CSRF header), still names the session to end.
                let body = try await context.decodeJSON(request, as: RefreshBody.self)
                if let fromBody = body.refreshToken, !fromBody.isEmpty {
                    try await auth.logout(refreshToken: fromBody, caller: context.caller)
                } else if let fromCookie = request.cookies[SessionCookies.refreshToken]?.value, !fromCookie.isEmpty {
                    let sessionID = try await auth.sessionID(ofRefreshToken: fromCookie)
                    guard sessionID != nil else { throw StewardError.unauthenticated }
                    guard CSRFCheck.passes(request, sessionID: sessionID, auth: auth) else { throw CSRFCheck.failure }
                    try await auth.logout(refreshToken: fromCookie, caller: context.caller)
                } else {
                    throw StewardError.unauthenticated
                }
            }
            var response = Response.noContent
            for cookie in cookies.clear() { response.setCookie(cookie) }
            return response
        }

        router.get("/api/auth/me") { _, context -> Response in
            let (user, permissions) = try await auth.me(context.caller)
            return .json(UserWithPermissions(user: user, permissions: permissions))
        }

        router.post("/api/auth/password") { request, context -> Response in
            let body = try await context.decodeJSON(request, as: PasswordBody.self)
            try await auth.changePassword(context.caller, currentPassword: body.currentPassword ?? "",
                                          newPassword: body.newPassword ?? "", inputErrors: body.inputErrors)
            // Every session of the account ended, this one included: let the browser forget it.
            var response = Response.noContent
            for cookie in cookies.clear() { response.setCookie(cookie) }
            return response
        }
    }
}

/// The token pair as JSON, with the session cookies and a fresh CSRF token bound to it.
private func sessionResponse(_ session: AuthService.Session, auth: AuthService, cookies: SessionCookies) -> Response {
    var response = Response.json(session)
    let csrf = auth.csrfToken(sessionID: session.sessionID)
    for cookie in cookies.issue(session, csrfToken: csrf, accessTTL: auth.accessTTL, refreshTTL: auth.refreshTTL) {
        response.setCookie(cookie)
    }
    return response
}

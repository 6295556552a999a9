import Foundation
import StewardCore
import StewardHTTP
import XCTest

final class AuthRoutesTests: XCTestCase {
    func testRegisterAnswers201WithTheUserAndNeverTheHash() async throws {
        try await withAPI { api in
            let response = try await api.postJSON("/api/auth/register",
                #"{"email":"  Ada@Example.COM ","password":"Str0ng!Passphrase","firstName":"Ada","lastName":"Lovelace","isAdmin":true}"#)
            XCTAssertEqual(response.status, 201, response.text)
            let user = try response.json(UserBody.self)
            XCTAssertEqual(user.email, "ada@example.com")
            XCTAssertEqual(user.roles, ["user"])
            XCTAssertTrue(user.isActive)
            XCTAssertTrue(user.createdAt.hasSuffix("Z"), user.createdAt)
            XCTAssertFalse(response.text.contains("argon2"), response.text)
            XCTAssertFalse(response.text.lowercased().contains("hash"), response.text)
        }
    }

    func testRegisterReportsEveryBadFieldAndDuplicates() async throws {
        try await withAPI { api in
            let bad = try await api.postJSON("/api/auth/register", #"{"email":"nope","password":"short","firstName":"A"}"#)
            XCTAssertProblem(bad, 400)
            let fields = Set(bad.problem?.errors?.map(\.field) ?? [])
            XCTAssertEqual(fields, ["email", "password", "firstName", "lastName"])

            let body = #"{"email":"twin@example.com","password":"Str0ng!Passphrase","firstName":"Ada","lastName":"Twin"}"#
            XCTAssertStatus(try await api.postJSON("/api/auth/register", body), 201)
            XCTAssertProblem(try await api.postJSON("/api/auth/register", body), 409)

            let wrongType = try await api.postJSON("/api/auth/register", #"{"email":5}"#)
            XCTAssertProblem(wrongType, 400)
            XCTAssertEqual(wrongType.problem?.errors?.first?.field, "email")
        }
    }

    func testLoginAnswersTheTokenPairAndSetsTheSessionCookies() async throws {
        try await withAPI { api in
            _ = try await api.services.users.create(.commandLine, email: "cookie@example.com", password: APIWorld.password,
                                                    firstName: "Coo", lastName: "Kie", roles: ["user"])
            let response = try await api.postJSON("/api/auth/login", #"{"email":"cookie@example.com","password":"\#(APIWorld.password)"}"#)
            XCTAssertEqual(response.status, 200, response.text)
            let pair = try response.json(TokenPairBody.self)
            XCTAssertEqual(pair.tokenType, "Bearer")
            XCTAssertEqual(pair.expiresIn, api.services.config.accessTTL)
            XCTAssertEqual(pair.user.email, "cookie@example.com")
            XCTAssertEqual(pair.accessToken.split(separator: ".").count, 3)

            let access = try XCTUnwrap(response.setCookie("access_token"))
            XCTAssertTrue(access.contains("HttpOnly"), access)
            XCTAssertTrue(access.contains("SameSite=Strict"), access)
            XCTAssertFalse(access.contains("Secure"), "not in production: \(access)")
            let refresh = try XCTUnwrap(response.setCookie("refresh_token"))
            XCTAssertTrue(refresh.contains("Path=/api/auth"), refresh)
            XCTAssertTrue(refresh.contains("HttpOnly"), refresh)
            let csrf = try XCTUnwrap(response.setCookie("csrf_token"))
            XCTAssertFalse(csrf.contains("HttpOnly"), "the page must read it: \(csrf)")
            XCTAssertEqual(response.cookies["access_token"], pair.accessToken)
            XCTAssertEqual(response.cookies["refresh_token"], pair.refreshToken)
            XCTAssertEqual(api.listener.pipeline.metrics.loginCount(.success), 1)
        }
    }

    func testProductionCookiesAreSecure() async throws {
        try await withAPI({ $0.environment = .production }) { api in
            let account = try await api.account("user")
            _ = account
            let response = try await api.postJSON("/api/auth/login", #"{"email":"\#(account.email)","password":"\#(APIWorld.password)"}"#)
            for name in ["access_token", "refresh_token", "csrf_token"] {
                XCTAssertTrue(response.setCookie(name)?.contains("Secure") == true, name)
            }
            XCTAssertNotNil(response.header("Strict-Transport-Security"))
        }
    }

    func testUnknownEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let unknown = try await api.postJSON("/api/auth/login", #"{"email":"nobody@example.com","password":"Wr0ng!Password"}"#)
            let wrong = try await api.postJSON("/api/auth/login", #"{"email":"\#(account.email)","password":"Wr0ng!Password"}"#)
            XCTAssertProblem(unknown, 401)
            XCTAssertProblem(wrong, 401)
            XCTAssertEqual(unknown.problem?.detail, wrong.problem?.detail)
            XCTAssertEqual(unknown.problem?.title, wrong.problem?.title)
            XCTAssertEqual(unknown.header("WWW-Authenticate"), wrong.header("WWW-Authenticate"))
            XCTAssertEqual(unknown.headers.map(\.name).sorted(), wrong.headers.map(\.name).sorted())
            XCTAssertEqual(api.listener.pipeline.metrics.loginCount(.failure), 2)
        }
    }

    func testRepeatedFailuresAreThrottledWithRetryAfter() async throws {
        try await withAPI({ $0.loginMaxFailures = 3 }) { api in
            let body = #"{"email":"victim@example.com","password":"Wr0ng!Password"}"#
            for _ in 0..<3 { XCTAssertStatus(try await api.postJSON("/api/auth/login", body), 401) }
            let throttled = try await api.postJSON("/api/auth/login", body)
            XCTAssertProblem(throttled, 429)
            let retryAfter = try XCTUnwrap(Int(throttled.header("Retry-After") ?? ""))
            XCTAssertGreaterThan(retryAfter, 0)
            XCTAssertEqual(api.listener.pipeline.metrics.loginCount(.throttled), 1)
            let metrics = try await api.get("/metrics")
            XCTAssertTrue(metrics.text.contains(#"steward_logins_total{outcome="throttled"} 1"#), metrics.text)
            XCTAssertTrue(metrics.text.contains(#"steward_logins_total{outcome="failure"} 3"#), metrics.text)
        }
    }

    func testMeAnswersTheUserWithPermissions() async throws {
        try await withAPI { api in
            let moderator = try await api.account("moderator")
            let response = try await api.get("/api/auth/me", as: moderator)
            XCTAssertEqual(response.status, 200, response.text)
            let me = try response.json(MeBody.self)
            XCTAssertEqual(me.id, moderator.id)
            XCTAssertEqual(me.roles, ["moderator"])
            XCTAssertTrue(me.permissions.contains("posts:publish"))
            XCTAssertFalse(me.permissions.contains("users:update"))
            XCTAssertEqual(me.permissions, me.permissions.sorted())
        }
    }

    func testMissingOrBadCredentialsAre401WithWWWAuthenticate() async throws {
        try await withAPI { api in
            for headers in [[], [("Authorization", "Bearer not.a.token")], [("Authorization", "Basic Zm9vOmJhcg==")],
                            [("Cookie", "access_token=garbage")]] {
                let response = try await api.get("/api/auth/me", headers: headers)
                XCTAssertProblem(response, 401)
                XCTAssertEqual(response.header("WWW-Authenticate"), #"Bearer realm="steward""#)
            }
            // A presented token that is bad is refused on open routes too (RFC 6750 §3.1)…
            for headers in [[("Authorization", "Bearer not.a.token")], [("Cookie", "access_token=garbage")]] {
                let list = try await api.get("/api/posts", headers: headers)
                XCTAssertProblem(list, 401)
                XCTAssertEqual(list.header("WWW-Authenticate"), #"Bearer realm="steward""#)
            }
            // … but not where a client must get through without one.
            for path in ["/healthz", "/metrics", "/openapi.json"] {
                let open = try await api.get(path, headers: [("Authorization", "Bearer not.a.token")])
                XCTAssertEqual(open.status, 200, path)
            }
            let login = try await api.postJSON("/api/auth/login", #"{"email":"nobody@example.com","password":"x"}"#,
                                               headers: [("Authorization", "Bearer expired.token.here")])
            XCTAssertProblem(login, 401)
            XCTAssertEqual(login.problem?.detail, "The email or password is not correct.")
            // Without any token the public list reads as anonymous.
            let anonymous = try await api.get("/api/posts")
            XCTAssertEqual(anonymous.status, 200)
        }
    }

    func testARevokedTokenIsRefusedOnOpenRoutesAndLogoutWorksWithTheRefreshToken() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let logout = try await api.postJSON("/api/auth/logout", "{}", headers: account.bearer)
            XCTAssertEqual(logout.status, 204)
            let list = try await api.get("/api/posts", headers: account.bearer)
            XCTAssertProblem(list, 401)

            // An access token that no longer works cannot sign out; its refresh token can.
            let second = try await api.account("user")
            let refreshed = try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(second.refreshToken)"}"#)
            let pair = try refreshed.json(TokenPairBody.self)
            let stale = [("Authorization", "Bearer garbage.token.value")]
            let byRefresh = try await api.postJSON("/api/auth/logout", #"{"refreshToken":"\#(pair.refreshToken)"}"#, headers: stale)
            XCTAssertEqual(byRefresh.status, 204)
            let reuse = try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(pair.refreshToken)"}"#)
            XCTAssertProblem(reuse, 401)
            let nothing = try await api.postJSON("/api/auth/logout", "{}")
            XCTAssertProblem(nothing, 401)
        }
    }

    func testRefreshFromTheBodyRotatesAndAReusedTokenIsRefused() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let first = try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(account.refreshToken)"}"#)
            XCTAssertEqual(first.status, 200, first.text)
            let pair = try first.json(TokenPairBody.self)
            XCTAssertNotEqual(pair.refreshToken, account.refreshToken)
            XCTAssertNotNil(first.setCookie("csrf_token"))
            XCTAssertStatus(try await api.get("/api/auth/me", headers: [("Authorization", "Bearer \(pair.accessToken)")]), 200)

            let reused = try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(account.refreshToken)"}"#)
            XCTAssertProblem(reused, 401)
            // The whole family is revoked: the newest token no longer works either.
            XCTAssertProblem(try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(pair.refreshToken)"}"#), 401)
            XCTAssertProblem(try await api.postJSON("/api/auth/refresh", "{}"), 401)
            XCTAssertProblem(try await api.postJSON("/api/auth/refresh", #"{"refreshToken":7}"#), 400)
        }
    }

    func testRefreshFromTheCookieNeedsTheSessionsCSRFToken() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let login = try await api.postJSON("/api/auth/login", #"{"email":"\#(account.email)","password":"\#(APIWorld.password)"}"#)
            let refresh = try XCTUnwrap(login.cookies["refresh_token"])
            let csrf = try XCTUnwrap(login.cookies["csrf_token"])
            // The other session's CSRF token, valid but bound to another family.
            let otherCSRF = api.services.auth.csrfToken(sessionID: "another-session")

            let without = try await api.postJSON("/api/auth/refresh", "{}", headers: [("Cookie", "refresh_token=\(refresh)")])
            XCTAssertProblem(without, 403)
            let moved = try await api.postJSON("/api/auth/refresh", "{}", headers: [
                ("Cookie", "refresh_token=\(refresh); csrf_token=\(otherCSRF)"), ("X-CSRF-Token", otherCSRF)])
            XCTAssertProblem(moved, 403)
            let good = try await api.postJSON("/api/auth/refresh", "{}", headers: [
                ("Cookie", "refresh_token=\(refresh); csrf_token=\(csrf)"), ("X-CSRF-Token", csrf)])
            XCTAssertEqual(good.status, 200, good.text)
            XCTAssertNotEqual(good.cookies["refresh_token"], refresh)
        }
    }

    func testLogoutClearsTheCookiesAndEndsTheSession() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let response = try await api.postJSON("/api/auth/logout", "{}", as: account)
            XCTAssertEqual(response.status, 204, response.text)
            XCTAssertEqual(response.cookies["access_token"], "")
            XCTAssertTrue(response.setCookie("refresh_token")?.contains("Max-Age=0") == true)
            XCTAssertProblem(try await api.get("/api/auth/me", as: account), 401)
            XCTAssertProblem(try await api.postJSON("/api/auth/refresh", #"{"refreshToken":"\#(account.refreshToken)"}"#), 401)
            XCTAssertProblem(try await api.postJSON("/api/auth/logout", "{}"), 401)
        }
    }

    func testAnAccessTokenIsRefusedRightAfterAPasswordChange() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let wrongCurrent = try await api.postJSON("/api/auth/password",
                #"{"currentPassword":"Wr0ng!Password","newPassword":"An0ther!Passphrase"}"#, as: account)
            XCTAssertProblem(wrongCurrent, 400)
            XCTAssertEqual(wrongCurrent.problem?.errors?.first?.field, "currentPassword")
            let weak = try await api.postJSON("/api/auth/password",
                #"{"currentPassword":"\#(APIWorld.password)","newPassword":"weak"}"#, as: account)
            XCTAssertProblem(weak, 400)

            let changed = try await api.postJSON("/api/auth/password",
                #"{"currentPassword":"\#(APIWorld.password)","newPassword":"An0ther!Passphrase"}"#, as: account)
            XCTAssertEqual(changed.status, 204, changed.text)
            XCTAssertProblem(try await api.get("/api/auth/me", as: account), 401)
            XCTAssertProblem(try await api.postJSON("/api/auth/password", "{}"), 401)
            let again = try await api.postJSON("/api/auth/login", #"{"email":"\#(account.email)","password":"An0ther!Passphrase"}"#)
            XCTAssertEqual(again.status, 200)
        }
    }
}

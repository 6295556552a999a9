import Foundation
import StewardHTTP
import XCTest

/// Cookie sessions must echo the CSRF token to change state; bearer requests need none.
final class CSRFTests: XCTestCase {
    /// Signs in over HTTP and returns the session cookies.
    private func cookieSession(_ api: APIWorld) async throws -> (cookie: String, csrf: String) {
        let account = try await api.account("user")
        let login = try await api.postJSON("/api/auth/login", #"{"email":"\#(account.email)","password":"\#(APIWorld.password)"}"#)
        let access = try XCTUnwrap(login.cookies["access_token"])
        let csrf = try XCTUnwrap(login.cookies["csrf_token"])
        return ("access_token=\(access); csrf_token=\(csrf)", csrf)
    }

    private let post = #"{"title":"Cookie post","content":"<p>Written from a browser page.</p>"}"#

    func testACookieSessionReadsWithoutTheHeader() async throws {
        try await withAPI { api in
            let session = try await cookieSession(api)
            let me = try await api.get("/api/auth/me", headers: [("Cookie", session.cookie)])
            XCTAssertEqual(me.status, 200, me.text)
        }
    }

    func testACookieSessionChangingStateWithoutTheHeaderIs403() async throws {
        try await withAPI { api in
            let session = try await cookieSession(api)
            let response = try await api.postJSON("/api/posts", post, headers: [("Cookie", session.cookie)])
            XCTAssertProblem(response, 403)
            XCTAssertTrue(response.problem?.detail.contains("CSRF") == true)
        }
    }

    func testAHeaderThatDiffersFromTheCookieIs403() async throws {
        try await withAPI { api in
            let session = try await cookieSession(api)
            let forged = api.services.auth.csrfToken(sessionID: "someone-else")
            let response = try await api.postJSON("/api/posts", post, headers: [("Cookie", session.cookie), ("X-CSRF-Token", forged)])
            XCTAssertProblem(response, 403)
        }
    }

    func testATokenOfAnotherSessionIs403EvenWhenCookieAndHeaderAgree() async throws {
        try await withAPI { api in
            let session = try await cookieSession(api)
            let access = session.cookie.split(separator: ";")[0]
            let moved = api.services.auth.csrfToken(sessionID: "someone-else")
            let response = try await api.postJSON("/api/posts", post, headers: [
                ("Cookie", "\(access); csrf_token=\(moved)"), ("X-CSRF-Token", moved)])
            XCTAssertProblem(response, 403)
        }
    }

    func testACookieSessionWithTheRightHeaderChangesState() async throws {
        try await withAPI { api in
            let session = try await cookieSession(api)
            let response = try await api.postJSON("/api/posts", post, headers: [("Cookie", session.cookie), ("X-CSRF-Token", session.csrf)])
            XCTAssertEqual(response.status, 201, response.text)
        }
    }

    func testBearerRequestsNeedNoCSRFToken() async throws {
        try await withAPI { api in
            let account = try await api.account("user")
            let response = try await api.postJSON("/api/posts", post, as: account)
            XCTAssertEqual(response.status, 201, response.text)
        }
    }
}

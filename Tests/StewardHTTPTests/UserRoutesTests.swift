import Foundation
import StewardHTTP
import XCTest

final class UserRoutesTests: XCTestCase {
    func testTheUserListFiltersAndValidatesItsParameters() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            _ = try await api.account("user", email: "findme@example.com")

            let all = try await api.get("/api/users", as: moderator)
            XCTAssertEqual(all.status, 200, all.text)
            let page = try all.json(ListBody<UserBody>.self)
            XCTAssertEqual(page.items.count, 3)
            XCTAssertTrue(all.hasNullField("nextCursor"))

            let byRole = try await api.get("/api/users?role=admin", as: admin).json(ListBody<UserBody>.self)
            XCTAssertEqual(byRole.items.map(\.id), [admin.id])
            let byText = try await api.get("/api/users?q=findme", as: admin).json(ListBody<UserBody>.self)
            XCTAssertEqual(byText.items.map(\.email), ["findme@example.com"])
            let inactive = try await api.get("/api/users?active=false", as: admin).json(ListBody<UserBody>.self)
            XCTAssertEqual(inactive.items.count, 0)

            let bad = try await api.get("/api/users?active=maybe&limit=ten", as: admin)
            XCTAssertProblem(bad, 400)
            XCTAssertEqual(Set(bad.problem?.errors?.map(\.field) ?? []), ["active", "limit"])
            XCTAssertProblem(try await api.get("/api/users?limit=0", as: admin), 400)
            XCTAssertProblem(try await api.get("/api/users?limit=101", as: admin), 400)
            XCTAssertProblem(try await api.get("/api/users?limit=ten", as: admin), 400)
        }
    }

    func testUsersNeedUsersRead() async throws {
        try await withAPI { api in
            let user = try await api.account("user")
            XCTAssertProblem(try await api.get("/api/users"), 401)
            XCTAssertProblem(try await api.get("/api/users", as: user), 403)
            XCTAssertProblem(try await api.get("/api/users/\(user.id)", as: user), 403)
        }
    }

    func testOneUserAnd404() async throws {
        try await withAPI { api in
            let moderator = try await api.account("moderator")
            let response = try await api.get("/api/users/\(moderator.id)", as: moderator)
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(try response.json(UserBody.self).id, moderator.id)
            XCTAssertProblem(try await api.get("/api/users/999999", as: moderator), 404)
            XCTAssertProblem(try await api.get("/api/users/abc", as: moderator), 404)
        }
    }

    func testPatchEditsNamesAndDeactivationEndsSessions() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            let target = try await api.account("user")

            XCTAssertProblem(try await api.json("PATCH", "/api/users/\(target.id)", #"{"firstName":"Zed"}"#, as: moderator), 403)
            XCTAssertProblem(try await api.json("PATCH", "/api/users/\(target.id)", #"{"firstName":"Z"}"#, as: admin), 400)
            XCTAssertProblem(try await api.json("PATCH", "/api/users/\(target.id)", #"{"isActive":"no"}"#, as: admin), 400)
            XCTAssertProblem(try await api.json("PATCH", "/api/users/999999", #"{"firstName":"Zed"}"#, as: admin), 404)
            XCTAssertProblem(try await api.json("PATCH", "/api/users/\(target.id)", #"{"firstName":"Zed"}"#), 401)

            let renamed = try await api.json("PATCH", "/api/users/\(target.id)", #"{"firstName":"Zed","role":"admin"}"#, as: admin)
            XCTAssertEqual(renamed.status, 200, renamed.text)
            let user = try renamed.json(UserBody.self)
            XCTAssertEqual(user.firstName, "Zed")
            XCTAssertEqual(user.roles, ["user"])

            let off = try await api.json("PATCH", "/api/users/\(target.id)", #"{"isActive":false}"#, as: admin)
            XCTAssertEqual(try off.json(UserBody.self).isActive, false)
            XCTAssertProblem(try await api.get("/api/auth/me", as: target), 401)
        }
    }

    func testResetPasswordAnswersATemporaryPasswordAndEndsSessions() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            let target = try await api.account("user")
            XCTAssertProblem(try await api.postJSON("/api/users/\(target.id)/reset-password", "{}", as: moderator), 403)
            XCTAssertProblem(try await api.postJSON("/api/users/999999/reset-password", "{}", as: admin), 404)
            XCTAssertProblem(try await api.postJSON("/api/users/\(target.id)/reset-password", "{}"), 401)

            let response = try await api.postJSON("/api/users/\(target.id)/reset-password", "{}", as: admin)
            XCTAssertEqual(response.status, 200, response.text)
            struct Temporary: Decodable { var temporaryPassword: String }
            let temporary = try response.json(Temporary.self).temporaryPassword
            XCTAssertGreaterThanOrEqual(temporary.count, 12)
            XCTAssertProblem(try await api.get("/api/auth/me", as: target), 401)
            let login = try await api.postJSON("/api/auth/login", #"{"email":"\#(target.email)","password":"\#(temporary)"}"#)
            XCTAssertEqual(login.status, 200)
        }
    }

    func testSetRolesNeedsRolesAssign() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            let target = try await api.account("user")
            XCTAssertProblem(try await api.json("PUT", "/api/users/\(target.id)/roles", #"{"roles":["moderator"]}"#, as: moderator), 403)
            XCTAssertProblem(try await api.json("PUT", "/api/users/\(target.id)/roles", #"{"roles":[]}"#, as: admin), 400)
            XCTAssertProblem(try await api.json("PUT", "/api/users/\(target.id)/roles", #"{}"#, as: admin), 400)
            XCTAssertProblem(try await api.json("PUT", "/api/users/999999/roles", #"{"roles":["user"]}"#, as: admin), 404)
            let response = try await api.json("PUT", "/api/users/\(target.id)/roles", #"{"roles":["moderator","user"]}"#, as: admin)
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertEqual(try response.json(UserBody.self).roles, ["moderator", "user"])
            // A role change ends the user's sessions.
            XCTAssertProblem(try await api.get("/api/auth/me", as: target), 401)
        }
    }

    func testRolesListAndPermissionEdits() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            XCTAssertProblem(try await api.get("/api/roles"), 401)
            XCTAssertProblem(try await api.get("/api/roles", as: moderator), 403)
            let list = try await api.get("/api/roles", as: admin)
            XCTAssertEqual(list.status, 200, list.text)
            struct Roles: Decodable { var items: [RoleBody] }
            let roles = try list.json(Roles.self).items
            XCTAssertEqual(Set(roles.map(\.name)), ["admin", "moderator", "user"])

            let path = "/api/roles/moderator/permissions"
            XCTAssertProblem(try await api.json("PUT", path, #"{"permissions":["posts:publish"]}"#, as: moderator), 403)
            XCTAssertProblem(try await api.json("PUT", path, #"{"permissions":["posts:fly"]}"#, as: admin), 400)
            XCTAssertProblem(try await api.json("PUT", "/api/roles/pilot/permissions", #"{"permissions":["posts:publish"]}"#, as: admin), 404)
            let changed = try await api.json("PUT", path, #"{"permissions":["posts:publish","users:read"]}"#, as: admin)
            XCTAssertEqual(changed.status, 200, changed.text)
            XCTAssertEqual(try changed.json(RoleBody.self).permissions, ["posts:publish", "users:read"])
            // Permissions are read on every request: the moderator lost comments:hide at once.
            let me = try await api.get("/api/auth/me", as: moderator).json(MeBody.self)
            XCTAssertFalse(me.permissions.contains("comments:hide"))
        }
    }

    func testSecurityEventsNeedLogsReadAndFilter() async throws {
        try await withAPI { api in
            let admin = try await api.account("admin")
            let moderator = try await api.account("moderator")
            _ = try await api.postJSON("/api/auth/login", #"{"email":"\#(moderator.email)","password":"Wr0ng!Password"}"#)

            XCTAssertProblem(try await api.get("/api/security-events"), 401)
            XCTAssertProblem(try await api.get("/api/security-events", as: moderator), 403)
            let failed = try await api.get("/api/security-events?event=FAILED_LOGIN", as: admin)
            XCTAssertEqual(failed.status, 200, failed.text)
            let events = try failed.json(ListBody<EventBody>.self).items
            XCTAssertEqual(events.map(\.event), ["FAILED_LOGIN"])
            XCTAssertEqual(events.first?.userId, moderator.id)
            XCTAssertEqual(events.first?.client, "127.0.0.1")
            XCTAssertFalse(failed.text.contains("Wr0ng"), "no password in the trail")

            let mine = try await api.get("/api/security-events?userId=\(admin.id)&since=2000-01-01", as: admin)
                .json(ListBody<EventBody>.self).items
            XCTAssertTrue(mine.allSatisfy { $0.userId == admin.id })
            XCTAssertFalse(mine.isEmpty)
            let future = try await api.get("/api/security-events?since=2999-01-01T00:00:00Z", as: admin).json(ListBody<EventBody>.self)
            XCTAssertTrue(future.items.isEmpty)

            let bad = try await api.get("/api/security-events?event=NOPE&userId=x&since=yesterday&limit=500", as: admin)
            XCTAssertProblem(bad, 400)
            XCTAssertEqual(Set(bad.problem?.errors?.map(\.field) ?? []), ["event", "userId", "since"])
        }
    }
}

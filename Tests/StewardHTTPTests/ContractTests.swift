import Foundation
import StewardCore
@testable import StewardHTTP
import XCTest

/// The contract's last corners: every bad field at once, type errors included; empty tags;
/// plain-digit integers; one member order for problems.
final class ContractTests: XCTestCase {
    func testTypeErrorsAreFieldErrorsLikeAnyOther() async throws {
        try await withAPI { api in
            let register = try await api.postJSON("/api/auth/register", #"{"email":5,"password":["x"],"firstName":{},"lastName":null}"#)
            XCTAssertProblem(register, 400)
            XCTAssertEqual(Set(register.problem?.errors?.map(\.field) ?? []), ["email", "password", "firstName", "lastName"])

            let admin = try await api.account("admin")
            let target = try await api.account("user")
            let patch = try await api.send("PATCH", "/api/users/\(target.id)",
                                           headers: admin.bearer + [("Content-Type", "application/json")],
                                           body: Data(#"{"firstName":"X","lastName":"123","isActive":"yes"}"#.utf8))
            XCTAssertProblem(patch, 400)
            XCTAssertEqual(Set(patch.problem?.errors?.map(\.field) ?? []), ["firstName", "lastName", "isActive"])
            // Nothing was written, not even the fields that were fine.
            let fine = try await api.send("PATCH", "/api/users/\(target.id)", headers: admin.bearer + [("Content-Type", "application/json")],
                                          body: Data(#"{"firstName":"Valid","isActive":"no"}"#.utf8))
            XCTAssertProblem(fine, 400)
            let user = try await api.services.users.get(.commandLine, id: target.id)
            XCTAssertEqual(user.firstName, "Test")

            let post = try await api.postJSON("/api/posts", #"{"title":7,"content":"<p>Fine content here.</p>","tags":["ok",3]}"#, as: admin)
            XCTAssertProblem(post, 400)
            XCTAssertEqual(Set(post.problem?.errors?.map(\.field) ?? []), ["title", "tags[1]"])
        }
    }

    func testAnEmptyOrOneCharacterTagIs400() async throws {
        try await withAPI { api in
            let user = try await api.account("user")
            for tags in [#"[""]"#, #"["a"]"#] {
                let answer = try await api.postJSON("/api/posts", #"{"title":"A fine title","content":"<p>Fine content here.</p>","tags":\#(tags)}"#, as: user)
                XCTAssertProblem(answer, 400)
                XCTAssertEqual(answer.problem?.errors?.first?.field, "tags")
            }
        }
    }

    func testQueryIntegersArePlainDigits() async throws {
        try await withAPI { api in
            for limit in ["%2B5", "%205", "05x"] {
                let answer = try await api.get("/api/posts?limit=\(limit)")
                XCTAssertProblem(answer, 400)
            }
            let ok = try await api.get("/api/posts?limit=5")
            XCTAssertEqual(ok.status, 200)
        }
    }

    func testProblemMembersComeInOneOrder() async throws {
        try await withAPI { api in
            let answer = try await api.postJSON("/api/auth/register", #"{"email":"nope"}"#)
            let text = answer.text
            let order = ["\"type\"", "\"title\"", "\"status\"", "\"detail\"", "\"requestId\"", "\"errors\""].map { text.range(of: $0)?.lowerBound }
            XCTAssertFalse(order.contains(nil), text)
            XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), text)
        }
    }

    func testAKnownPathWithAnotherMethodIs405WithAllow() async throws {
        try await withAPI { api in
            let trace = try await api.send("TRACE", "/api/posts")
            XCTAssertEqual(trace.status, 405)
            XCTAssertEqual(trace.header("Allow"), "GET, POST")
            let put = try await api.send("PUT", "/api/posts/1")
            XCTAssertEqual(put.status, 405)
            XCTAssertEqual(put.header("Allow"), "DELETE, GET, PATCH")
            let unknown = try await api.send("TRACE", "/api/nothing")
            XCTAssertEqual(unknown.status, 404)
        }
    }
}

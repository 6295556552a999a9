import Foundation
import StewardHTTP
import XCTest

final class PostRoutesTests: XCTestCase {
    private let content = "<p>Some content that is long enough.</p>"

    func testCreateAnswers201WithTagsAuthorAndCleanContent() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let response = try await api.postJSON("/api/posts",
                #"{"title":"  Hello world  ","content":"<p onclick=\"x()\">Hi <script>alert(1)</script>there, friends</p>","tags":["Swift","HTTP"],"views":99}"#,
                as: author)
            XCTAssertEqual(response.status, 201, response.text)
            let post = try response.json(PostBody.self)
            XCTAssertEqual(post.title, "Hello world")
            XCTAssertEqual(post.status, "draft")
            XCTAssertEqual(Set(post.tags), ["swift", "http"])
            XCTAssertEqual(post.authorId, author.id)
            XCTAssertEqual(post.author.id, author.id)
            XCTAssertFalse(post.content.contains("script"), post.content)
            XCTAssertFalse(post.content.contains("onclick"), post.content)
            XCTAssertFalse(response.text.contains("views"))
        }
    }

    func testCreateValidatesEveryFieldAndNeedsPermission() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let bad = try await api.postJSON("/api/posts", #"{"title":"Hey","content":"short","status":"secret","tags":["x"]}"#, as: author)
            XCTAssertProblem(bad, 400)
            XCTAssertEqual(Set(bad.problem?.errors?.map(\.field) ?? []), ["title", "content", "status", "tags"])
            XCTAssertProblem(try await api.postJSON("/api/posts", #"{"title":"A fine title","content":"\#(content)"}"#), 401)
            XCTAssertProblem(try await api.postJSON("/api/posts", #"{"title":5}"#, as: author), 400)
            XCTAssertProblem(try await api.postJSON("/api/posts", #"{"title":"#, as: author), 400)

            let title = #"{"title":"Same title","content":"\#(content)"}"#
            XCTAssertStatus(try await api.postJSON("/api/posts", title, as: author), 201)
            XCTAssertProblem(try await api.postJSON("/api/posts", #"{"title":"SAME TITLE","content":"\#(content)"}"#, as: author), 409)

            // A role without posts:create.
            let admin = try await api.account("admin")
            let stripped = try await api.json("PUT", "/api/roles/user/permissions", #"{"permissions":["comments:create"]}"#, as: admin)
            XCTAssertEqual(stripped.status, 200)
            XCTAssertProblem(try await api.postJSON("/api/posts", #"{"title":"Not allowed","content":"\#(content)"}"#, as: author), 403)
        }
    }

    func testTheEleventhPostOfTheDayIs429WithRetryAfter() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            for _ in 0..<10 { _ = try await api.createPost(as: author) }
            let response = try await api.postJSON("/api/posts", #"{"title":"One too many","content":"\#(content)"}"#, as: author)
            XCTAssertProblem(response, 429)
            XCTAssertNotNil(Int(response.header("Retry-After") ?? ""))
        }
    }

    /// Who sees which post: anonymous, the author, another user, a moderator, an admin.
    func testVisibilityMatrix() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let other = try await api.account("user")
            let moderator = try await api.account("moderator")
            let admin = try await api.account("admin")
            let draft = try await api.createPost(as: author, status: "draft")
            let published = try await api.createPost(as: author, status: "published")

            let cases: [(APIWorld.Account?, Int64, Int)] = [
                (nil, published, 200), (nil, draft, 404),
                (author, published, 200), (author, draft, 200),
                (other, published, 200), (other, draft, 404),
                (moderator, draft, 200), (admin, draft, 200),
            ]
            for (account, id, status) in cases {
                let response = try await api.get("/api/posts/\(id)", as: account)
                XCTAssertEqual(response.status, status, "\(account?.email ?? "anonymous") → post \(id)")
            }
            func listed(_ account: APIWorld.Account?) async throws -> Set<Int64> {
                Set(try await api.get("/api/posts", as: account).json(ListBody<PostBody>.self).items.map(\.id))
            }
            let anonymous = try await listed(nil)
            let mine = try await listed(author)
            let others = try await listed(other)
            let moderators = try await listed(moderator)
            XCTAssertEqual(anonymous, [published])
            XCTAssertEqual(mine, [published, draft])
            XCTAssertEqual(others, [published])
            XCTAssertEqual(moderators, [published, draft])
            XCTAssertProblem(try await api.get("/api/posts/999999"), 404)
        }
    }

    /// A list page is answered from memory until something is committed: the bytes are
    /// the same each time, and a write is in the very next list, also when requests race it.
    func testAListFromMemoryIsTheSameAndAWriteShowsAtOnce() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let first = try await api.createPost(as: author, status: "published")
            let fresh = try await api.get("/api/posts?limit=5")
            let again = try await api.get("/api/posts?limit=5")
            XCTAssertEqual(fresh.status, 200)
            XCTAssertEqual(fresh.text, again.text)
            XCTAssertEqual(try again.json(ListBody<PostBody>.self).items.map(\.id), [first])
            for round in 1...5 {
                // Readers keep the page warm while the write goes in.
                async let readers: [Int] = withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 { group.addTask { try await api.get("/api/posts?limit=5").status } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let created = try await api.createPost(as: author, status: "published")
                let listed = try await api.get("/api/posts?limit=5").json(ListBody<PostBody>.self).items.map(\.id)
                XCTAssertEqual(listed.first, created, "round \(round): the new post heads the next list")
                let statuses = try await readers
                XCTAssertEqual(Set(statuses), [200])
            }
        }
    }

    func testListFiltersAndParameterErrors() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            _ = try await api.createPost(as: author, title: "Swift on servers", status: "published", tags: ["swift"])
            _ = try await api.createPost(as: author, title: "Gardening notes", status: "published", tags: ["garden"])
            let byTag = try await api.get("/api/posts?tag=Swift").json(ListBody<PostBody>.self)
            XCTAssertEqual(byTag.items.map(\.title), ["Swift on servers"])
            let byAuthor = try await api.get("/api/posts?author=\(author.id)").json(ListBody<PostBody>.self)
            XCTAssertEqual(byAuthor.items.count, 2)
            let byText = try await api.get("/api/posts?q=gardening").json(ListBody<PostBody>.self)
            XCTAssertEqual(byText.items.map(\.title), ["Gardening notes"])

            let bad = try await api.get("/api/posts?status=lost&author=me&limit=x")
            XCTAssertProblem(bad, 400)
            XCTAssertEqual(Set(bad.problem?.errors?.map(\.field) ?? []), ["status", "author", "limit"])
            XCTAssertProblem(try await api.get("/api/posts?limit=0"), 400)
            XCTAssertProblem(try await api.get("/api/posts?limit=101"), 400)
            XCTAssertProblem(try await api.get("/api/posts?cursor=garbage"), 400)
        }
    }

    func testAFullWalkOfAPaginatedListSeesEveryPostOnce() async throws {
        try await withAPI { api in
            var expected: Set<Int64> = []
            for _ in 0..<3 {
                let author = try await api.account("user")
                for _ in 0..<9 { expected.insert(try await api.createPost(as: author, status: "published")) }
            }
            var seen: [Int64] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/api/posts?limit=4" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                let response = try await api.get(path)
                XCTAssertEqual(response.status, 200, response.text)
                let page = try response.json(ListBody<PostBody>.self)
                XCTAssertLessThanOrEqual(page.items.count, 4)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 20
            XCTAssertEqual(seen.count, 27)
            XCTAssertEqual(Set(seen), expected)
            XCTAssertEqual(pages, 7)
        }
    }

    func testAuthorsEditTheirOwnAndModeratorsNeedPostsUpdate() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let other = try await api.account("user")
            let moderator = try await api.account("moderator")
            let admin = try await api.account("admin")
            let id = try await api.createPost(as: author, status: "published")

            let edited = try await api.json("PATCH", "/api/posts/\(id)", #"{"title":"A better title","tags":["news"]}"#, as: author)
            XCTAssertEqual(edited.status, 200, edited.text)
            XCTAssertEqual(try edited.json(PostBody.self).title, "A better title")
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/\(id)", #"{"status":"archived"}"#, as: author), 400)
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/\(id)", #"{"title":"x"}"#, as: author), 400)
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/\(id)", #"{"title":"Hijacked title"}"#, as: other), 403)
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/\(id)", #"{"title":"Moderated title"}"#, as: moderator), 403)
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/\(id)", #"{"title":"Anonymous title"}"#), 401)
            XCTAssertProblem(try await api.json("PATCH", "/api/posts/999999", #"{"title":"Nowhere title"}"#, as: admin), 404)
            let archived = try await api.json("PATCH", "/api/posts/\(id)", #"{"status":"archived"}"#, as: admin)
            XCTAssertEqual(try archived.json(PostBody.self).status, "archived")
        }
    }

    func testDeleteByAuthorOrModerator() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let other = try await api.account("user")
            let moderator = try await api.account("moderator")
            let first = try await api.createPost(as: author, status: "published")
            let second = try await api.createPost(as: author, status: "published")

            XCTAssertProblem(try await api.delete("/api/posts/\(first)"), 401)
            XCTAssertProblem(try await api.delete("/api/posts/\(first)", as: other), 403)
            XCTAssertStatus(try await api.delete("/api/posts/\(first)", as: author), 204)
            XCTAssertProblem(try await api.get("/api/posts/\(first)"), 404)
            XCTAssertProblem(try await api.delete("/api/posts/\(first)", as: author), 404)
            XCTAssertStatus(try await api.delete("/api/posts/\(second)", as: moderator), 204)
        }
    }

    func testPublishAndArchiveAreModeration() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let moderator = try await api.account("moderator")
            let id = try await api.createPost(as: author, status: "draft")
            XCTAssertProblem(try await api.postJSON("/api/posts/\(id)/publish", "{}"), 401)
            XCTAssertProblem(try await api.postJSON("/api/posts/\(id)/publish", "{}", as: author), 403)
            XCTAssertProblem(try await api.postJSON("/api/posts/999999/publish", "{}", as: moderator), 404)
            let published = try await api.postJSON("/api/posts/\(id)/publish", "{}", as: moderator)
            XCTAssertEqual(published.status, 200, published.text)
            XCTAssertEqual(try published.json(PostBody.self).status, "published")
            XCTAssertStatus(try await api.get("/api/posts/\(id)"), 200)
            XCTAssertProblem(try await api.postJSON("/api/posts/\(id)/archive", "{}", as: author), 403)
            let archived = try await api.postJSON("/api/posts/\(id)/archive", "{}", as: moderator)
            XCTAssertEqual(try archived.json(PostBody.self).status, "archived")
            XCTAssertProblem(try await api.get("/api/posts/\(id)"), 404)
        }
    }

    func testCommentsThreadCreateHideAndDelete() async throws {
        try await withAPI { api in
            let author = try await api.account("user")
            let reader = try await api.account("user")
            let moderator = try await api.account("moderator")
            let post = try await api.createPost(as: author, status: "published")
            let draft = try await api.createPost(as: author, status: "draft")

            let first = try await api.postJSON("/api/posts/\(post)/comments", #"{"content":"First!"}"#, as: reader)
            XCTAssertEqual(first.status, 201, first.text)
            let parent = try first.json(CommentBody.self)
            XCTAssertNil(parent.parentId)
            XCTAssertTrue(first.hasNullField("parentId"))
            let reply = try await api.postJSON("/api/posts/\(post)/comments", #"{"content":"A reply","parentId":\#(parent.id)}"#, as: author)
            XCTAssertEqual(try reply.json(CommentBody.self).parentId, parent.id)

            XCTAssertProblem(try await api.postJSON("/api/posts/\(post)/comments", #"{"content":""}"#, as: reader), 400)
            XCTAssertProblem(try await api.postJSON("/api/posts/\(post)/comments", #"{"content":"x","parentId":999999}"#, as: reader), 404)
            XCTAssertProblem(try await api.postJSON("/api/posts/\(post)/comments", #"{"content":"Hello"}"#), 401)
            XCTAssertProblem(try await api.postJSON("/api/posts/\(draft)/comments", #"{"content":"Hello"}"#, as: reader), 404)
            XCTAssertProblem(try await api.get("/api/posts/\(draft)/comments"), 404)
            XCTAssertProblem(try await api.get("/api/posts/\(post)/comments?limit=0"), 400)

            let thread = try await api.get("/api/posts/\(post)/comments").json(ListBody<CommentBody>.self)
            XCTAssertEqual(thread.items.count, 2)

            XCTAssertProblem(try await api.postJSON("/api/comments/\(parent.id)/hide", "{}", as: author), 403)
            XCTAssertProblem(try await api.postJSON("/api/comments/999999/hide", "{}", as: moderator), 404)
            let hidden = try await api.postJSON("/api/comments/\(parent.id)/hide", "{}", as: moderator)
            XCTAssertEqual(try hidden.json(CommentBody.self).status, "hidden")
            let visible = try await api.get("/api/posts/\(post)/comments").json(ListBody<CommentBody>.self)
            XCTAssertFalse(visible.items.contains { $0.id == parent.id })

            let replyID = try reply.json(CommentBody.self).id
            XCTAssertProblem(try await api.delete("/api/comments/\(replyID)", as: reader), 403)
            XCTAssertProblem(try await api.delete("/api/comments/\(replyID)"), 401)
            XCTAssertStatus(try await api.delete("/api/comments/\(replyID)", as: author), 204)
            XCTAssertProblem(try await api.delete("/api/comments/\(replyID)", as: moderator), 404)
        }
    }
}

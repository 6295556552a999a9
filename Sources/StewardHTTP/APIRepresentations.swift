import Foundation
import StewardCore

// The JSON shapes of docs/http-api.md, one conformance per answer type. `openapi.json` documents
// each (components/schemas), and the route tests check them field by field.

/// `{"id":1,"email":…,"firstName":…,"lastName":…,"isActive":true,"roles":["user"],"createdAt":…}`:
/// never the password hash, which `User` does not even carry.
extension User: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in writeFields(to: &json) }
    }

    func writeFields(to json: inout JSONWriter) {
        json.field("id", id)
        json.field("email", email)
        json.field("firstName", firstName)
        json.field("lastName", lastName)
        json.field("isActive", isActive)
        json.field("roles", roles)
        json.field("createdAt", createdAt)
    }
}

/// `GET /api/auth/me`: the user object plus its effective `permissions`, sorted.
struct UserWithPermissions: JSONRepresentable {
    var user: User
    var permissions: [String]

    func write(to json: inout JSONWriter) {
        json.object { json in
            user.writeFields(to: &json)
            json.field("permissions", permissions)
        }
    }
}

/// The answer of login and refresh: `{accessToken, tokenType:"Bearer", expiresIn, refreshToken, user}`.
extension AuthService.Session: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("accessToken", accessToken)
            json.field("tokenType", "Bearer")
            json.field("expiresIn", expiresIn)
            json.field("refreshToken", refreshToken)
            json.field("user", user)
        }
    }
}

/// `{"id":3,"firstName":"Ada","lastName":"Lovelace"}`.
extension AuthorSummary: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("firstName", firstName)
            json.field("lastName", lastName)
        }
    }
}

/// A post with its tags and author; `content` is the sanitized HTML.
extension Post: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("title", title)
            json.field("content", content)
            json.field("status", status.rawValue)
            json.field("authorId", author.id)
            json.field("author", author)
            json.field("tags", tags)
            json.field("createdAt", createdAt)
            json.field("updatedAt", updatedAt)
        }
    }

    /// The text, a little for escapes, and the rest of the fields (~250 bytes).
    public var estimatedJSONSize: Int {
        (title.utf8.count + content.utf8.count) * 9 / 8 + author.firstName.utf8.count + author.lastName.utf8.count
            + tags.reduce(0) { $0 + $1.utf8.count + 3 } + 250
    }
}

/// A comment; `parentId` is `null` for a top-level comment.
extension Comment: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("postId", postID)
            json.field("parentId", parentID)
            json.field("content", content)
            json.field("status", status.rawValue)
            json.field("authorId", author.id)
            json.field("author", author)
            json.field("createdAt", createdAt)
        }
    }
}

/// `{"name":"moderator","description":…,"permissions":[…]}`.
extension Role: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("name", name)
            json.field("description", description)
            json.field("permissions", permissions)
        }
    }
}

/// One audit record; `details` is a flat map of strings, keys sorted.
extension SecurityEvent: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("time", createdAt)
            json.field("event", event.rawValue)
            json.field("userId", userID)
            json.field("actorId", actorID)
            json.field("client", client)
            json.key("details")
            json.object { json in
                for key in details.keys.sorted() {
                    json.key(dynamic: key)
                    json.string(details[key] ?? "")
                }
            }
        }
    }
}

/// A list page: `{"items":[…],"nextCursor":"…"}`, `nextCursor` `null` on the last page.
extension Page: JSONRepresentable where Item: JSONRepresentable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("items")
            json.array(items) { json, item in item.write(to: &json) }
            json.field("nextCursor", nextCursor)
        }
    }

    public var estimatedJSONSize: Int { items.reduce(64) { $0 + $1.estimatedJSONSize } }
    // `rendering` is Page's own stored property, which satisfies the requirement.
}

/// `{"items":[…]}` without a cursor: the roles list, which is never long.
struct ItemList<Item: JSONRepresentable>: JSONRepresentable {
    var items: [Item]

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("items")
            json.array(items) { json, item in item.write(to: &json) }
        }
    }
}

/// `{"temporaryPassword":"…"}`: shown once, to hand to the user.
struct TemporaryPassword: JSONRepresentable {
    var temporaryPassword: String

    func write(to json: inout JSONWriter) {
        json.object { json in json.field("temporaryPassword", temporaryPassword) }
    }
}

/// `{"status":"ok"}`: the answer of `GET /healthz`.
struct Health: JSONRepresentable {
    var status: String

    func write(to json: inout JSONWriter) {
        json.object { json in json.field("status", status) }
    }
}

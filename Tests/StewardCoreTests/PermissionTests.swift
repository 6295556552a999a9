import XCTest
@testable import StewardCore

/// Every permission of docs/security.md, allowed and denied through the services.
final class PermissionTests: XCTestCase {
    let content = "<p>Enough words to pass the rule.</p>"

    func testBuiltinRolesMatchTheSpec() async throws {
        let world = try TestWorld()
        let roles = try await world.services.store.listRoles()
        let byName = Dictionary(uniqueKeysWithValues: roles.map { ($0.name, Set($0.permissions)) })
        XCTAssertEqual(byName["user"], ["posts:create", "posts:update:own", "posts:delete:own", "comments:create", "comments:delete:own"])
        XCTAssertEqual(byName["moderator"]!.subtracting(byName["user"]!),
                       ["posts:read:any", "posts:publish", "posts:archive", "posts:delete", "comments:hide", "comments:delete", "users:read"])
        XCTAssertEqual(byName["admin"]!.subtracting(byName["moderator"]!),
                       ["posts:update", "users:create", "users:update", "users:reset-password", "roles:read", "roles:update", "roles:assign", "logs:read", "server:control"])
    }

    func testUserPermissions() async throws {
        let world = try TestWorld()
        let s = world.services
        let alice = try await world.actor("user")
        let bob = try await world.actor("user")
        let anonymous = Caller.anonymous(client: "t")

        // posts:create
        let post = try await s.posts.create(alice, title: "Alice writes", content: content, status: "published")
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await s.posts.create(anonymous, title: "Nobody writes", content: self.content) }
        // posts:update:own — own yes, other's no
        _ = try await s.posts.update(alice, id: post.id, title: "Alice rewrites")
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.posts.update(bob, id: post.id, title: "Bob rewrites") }
        // authors may not archive their own post through an edit
        await XCTAssertThrowsKind(.badInput) { _ = try await s.posts.update(alice, id: post.id, status: "archived") }
        // comments:create and comments:delete:own
        let comment = try await s.comments.create(bob, postID: post.id, content: "Nice post")
        await XCTAssertThrowsKind(.forbidden) { try await s.comments.delete(alice, id: comment.id) }
        try await s.comments.delete(bob, id: comment.id)
        // moderation is not for users
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.posts.publish(bob, id: post.id) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.posts.archive(bob, id: post.id) }
        let other = try await s.comments.create(alice, postID: post.id, content: "Reply to myself")
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.comments.setHidden(bob, id: other.id) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.users.list(bob, Store.UserQuery()) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.roles.list(bob) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.securityEvents.list(bob, SecurityEventService.ListRequest()) }
        // posts:delete:own
        await XCTAssertThrowsKind(.forbidden) { try await s.posts.delete(bob, id: post.id) }
        try await s.posts.delete(alice, id: post.id)

        let denied = try await s.store.listSecurityEvents(SecurityEventService.ListRequest(event: .permissionDenied, limit: 100))
        XCTAssertGreaterThanOrEqual(denied.items.count, 8)
        XCTAssertTrue(denied.items.allSatisfy { $0.actorID == bob.userID || $0.actorID == alice.userID })
    }

    func testVisibilityOfDrafts() async throws {
        let world = try TestWorld()
        let s = world.services
        let author = try await world.actor("user")
        let reader = try await world.actor("user")
        let moderator = try await world.actor("moderator")
        let draft = try await s.posts.create(author, title: "A quiet draft", content: content)
        XCTAssertEqual(draft.status, .draft)
        await XCTAssertThrowsKind(.notFound) { _ = try await s.posts.get(reader, id: draft.id) }
        await XCTAssertThrowsKind(.notFound) { _ = try await s.posts.get(.anonymous(client: "t"), id: draft.id) }
        _ = try await s.posts.get(author, id: draft.id)
        _ = try await s.posts.get(moderator, id: draft.id)
        let readerList = try await s.posts.list(reader, PostService.ListRequest())
        XCTAssertFalse(readerList.items.contains { $0.id == draft.id })
        let authorList = try await s.posts.list(author, PostService.ListRequest())
        XCTAssertTrue(authorList.items.contains { $0.id == draft.id })
        let moderatorList = try await s.posts.list(moderator, PostService.ListRequest(status: .draft))
        XCTAssertTrue(moderatorList.items.contains { $0.id == draft.id })
    }

    func testModeratorPermissions() async throws {
        let world = try TestWorld()
        let s = world.services
        let author = try await world.actor("user")
        let moderator = try await world.actor("moderator")
        let post = try await s.posts.create(author, title: "Needs review", content: content)
        // posts:read:any, posts:publish, posts:archive
        let value1 = try await s.posts.publish(moderator, id: post.id).status
        XCTAssertEqual(value1, .published)
        let value2 = try await s.posts.archive(moderator, id: post.id).status
        XCTAssertEqual(value2, .archived)
        let value3 = try await s.posts.unpublish(moderator, id: post.id).status
        XCTAssertEqual(value3, .draft)
        // posts:update is admin-only
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.posts.update(moderator, id: post.id, title: "Moderator edit") }
        // comments:hide, comments:delete
        _ = try await s.posts.publish(moderator, id: post.id)
        let comment = try await s.comments.create(author, postID: post.id, content: "A comment")
        let value4 = try await s.comments.setHidden(moderator, id: comment.id).status
        XCTAssertEqual(value4, .hidden)
        let visible = try await s.comments.thread(.anonymous(client: "t"), postID: post.id)
        XCTAssertTrue(visible.items.isEmpty)
        try await s.comments.delete(moderator, id: comment.id)
        // users:read yes; users:update, users:reset-password, roles:* no
        _ = try await s.users.list(moderator, Store.UserQuery())
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.users.update(moderator, id: author.userID!, isActive: false) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.users.resetPassword(moderator, id: author.userID!) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.users.setRoles(moderator, id: author.userID!, roles: ["admin"]) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await s.roles.setPermissions(moderator, role: "user", permissions: []) }
        await XCTAssertThrowsKind(.forbidden) {
            _ = try await s.users.create(moderator, email: "x@example.com", password: "Str0ng!Passphrase", firstName: "Xa", lastName: "Xb", roles: ["user"])
        }
        // posts:delete
        try await s.posts.delete(moderator, id: post.id)
        let moderated = try await s.store.listSecurityEvents(SecurityEventService.ListRequest(event: .contentModerated, limit: 50))
        XCTAssertGreaterThanOrEqual(moderated.items.count, 5)
        XCTAssertTrue(moderated.items.allSatisfy { $0.actorID == moderator.userID && $0.client == "127.0.0.1" })
    }

    func testAdminPermissions() async throws {
        let world = try TestWorld()
        let s = world.services
        let admin = try await world.actor("admin")
        let author = try await world.actor("user")
        let post = try await s.posts.create(author, title: "Admin can edit", content: content)
        // posts:update with any status
        let value5 = try await s.posts.update(admin, id: post.id, status: "archived").status
        XCTAssertEqual(value5, .archived)
        // users:create, users:update, users:reset-password, roles:assign, roles:read, roles:update, logs:read
        let made = try await s.users.create(admin, email: "new@example.com", password: "Str0ng!Passphrase", firstName: "New", lastName: "Person", roles: ["user"])
        let value6 = try await s.users.update(admin, id: made.id, firstName: "Renamed").firstName
        XCTAssertEqual(value6, "Renamed")
        let temporary = try await s.users.resetPassword(admin, id: made.id)
        _ = try await s.auth.login(email: "new@example.com", password: temporary, caller: .anonymous(client: "t"))
        let value7 = try await s.users.setRoles(admin, id: made.id, roles: ["moderator"]).roles
        XCTAssertEqual(value7, ["moderator"])
        let value8 = try await s.roles.list(admin).count
        XCTAssertEqual(value8, 3)
        let role = try await s.roles.setPermissions(admin, role: "user", permissions: ["posts:create"])
        XCTAssertEqual(role.permissions, ["posts:create"])
        // The change applies at once to holders' next request.
        let refreshed = try await s.store.tokenSubject(userID: author.userID!, sessionID: "x", fromMemory: false)
        XCTAssertEqual(refreshed?.permissions, ["posts:create"])
        await XCTAssertThrowsKind(.badInput) { _ = try await s.roles.setPermissions(admin, role: "user", permissions: ["posts:fly"]) }
        await XCTAssertThrowsKind(.notFound) { _ = try await s.roles.setPermissions(admin, role: "ghost", permissions: []) }
        let value9 = try await s.securityEvents.list(admin, SecurityEventService.ListRequest()).items.isEmpty
        XCTAssertFalse(value9)
        // The last admin keeps the admin role.
        await XCTAssertThrowsKind(.conflict) { _ = try await s.users.setRoles(admin, id: admin.userID!, roles: ["user"]) }
        let roleChanges = try await s.store.listSecurityEvents(SecurityEventService.ListRequest(event: .roleChange))
        XCTAssertEqual(roleChanges.items.count, 2)
    }

    func testRoleChangeEndsTheUsersSessions() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        let user = try await world.actor("user")
        _ = try await world.services.users.setRoles(admin, id: user.userID!, roles: ["moderator"])
        let subject = try await world.services.store.tokenSubject(userID: user.userID!, sessionID: user.principal!.sessionID!, fromMemory: false)
        XCTAssertEqual(subject?.tokenVersion, 1)
    }
}

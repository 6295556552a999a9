import Foundation
import XCTest
@testable import StewardCore

/// The abuse a public service meets, through the services.
final class HardeningTests: XCTestCase {
    func testParallelGuessesForOneEmailVerifyAtMostTheLimit() async throws {
        let world = try TestWorld()
        _ = try await world.services.users.create(.commandLine, email: "target@example.com", password: "Str0ng!Passphrase",
                                                  firstName: "Tar", lastName: "Get", roles: ["user"])
        let services = world.services
        let outcomes = await withTaskGroup(of: StewardError.Kind?.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        _ = try await services.auth.login(email: "target@example.com", password: "Wrong#Guess\(index)",
                                                          caller: .anonymous(client: "10.1.\(index).1"))
                        return nil
                    } catch let error as StewardError { return error.kind } catch { return .internalError }
                }
            }
            var kinds: [StewardError.Kind?] = []
            for await kind in group { kinds.append(kind) }
            return kinds
        }
        XCTAssertEqual(outcomes.filter { $0 == .unauthenticated }.count, 5, "only the reserved attempts were verified")
        XCTAssertEqual(outcomes.filter { $0 == .throttled }.count, 35)
        let failed = try await world.events(.failedLogin)
        let locked = try await world.events(.accountLocked)
        XCTAssertEqual(failed.count, 5)
        XCTAssertFalse(locked.isEmpty)
    }

    func testUnlockAndAResetClearTheThrottle() async throws {
        let world = try TestWorld()
        let user = try await world.services.users.create(.commandLine, email: "locked@example.com", password: "Str0ng!Passphrase",
                                                         firstName: "Lo", lastName: "Cked", roles: ["user"])
        for index in 0..<5 {
            await XCTAssertThrowsKind(.unauthenticated) {
                _ = try await world.services.auth.login(email: "locked@example.com", password: "Wrong#\(index)", caller: .anonymous(client: "t"))
            }
        }
        await XCTAssertThrowsKind(.throttled) {
            _ = try await world.services.auth.login(email: "locked@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        }
        let moderator = try await world.actor("moderator")
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.users.unlock(moderator, email: "locked@example.com") }
        let unlocked = try await world.services.users.unlock(.commandLine, email: "LOCKED@example.com")
        XCTAssertTrue(unlocked)
        let events = try await world.events(.accountUnlocked)
        XCTAssertEqual(events.first?.userID, user.id)
        _ = try await world.services.auth.login(email: "locked@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))

        for index in 0..<5 {
            await XCTAssertThrowsKind(.unauthenticated) {
                _ = try await world.services.auth.login(email: "locked@example.com", password: "Wrong#\(index)", caller: .anonymous(client: "t"))
            }
        }
        let password = try await world.services.users.resetPassword(.commandLine, id: user.id)
        _ = try await world.services.auth.login(email: "locked@example.com", password: password, caller: .anonymous(client: "t"))
    }

    func testWrongCurrentPasswordsCountUnderTheThrottle() async throws {
        let world = try TestWorld()
        let user = try await world.actor("user", email: "changer@example.com")
        for index in 0..<5 {
            await XCTAssertThrowsKind(.badInput) {
                try await world.services.auth.changePassword(user, currentPassword: "Wrong#\(index)", newPassword: "N3w!Passphrase")
            }
        }
        await XCTAssertThrowsKind(.throttled) {
            try await world.services.auth.changePassword(user, currentPassword: "Str0ng!Passphrase", newPassword: "N3w!Passphrase")
        }
    }

    func testAFailedLoginRecordsTheEmailOnlyWhenItIsAnAddress() async throws {
        let world = try TestWorld()
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.auth.login(email: "Hunter2#Secret!", password: "x", caller: .anonymous(client: "t"))
        }
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.auth.login(email: "someone@example.com", password: "x", caller: .anonymous(client: "t"))
        }
        let details = try await world.events(.failedLogin).map { $0.details["email"] ?? "" }
        XCTAssertEqual(Set(details), ["someone@example.com", "(not an email address)"])
    }

    func testRegistrationHasABudgetPerClient() async throws {
        let world = try TestWorld()
        for index in 0..<50 {
            _ = try? await world.services.auth.register(email: "bad\(index)", password: "x", firstName: "A", lastName: "B",
                                                        caller: .anonymous(client: "198.51.100.1"))
        }
        await XCTAssertThrowsKind(.throttled) {
            _ = try await world.services.auth.register(email: "fine@example.com", password: "Str0ng!Passphrase", firstName: "Fi",
                                                       lastName: "Ne", caller: .anonymous(client: "198.51.100.1"))
        }
        _ = try await world.services.auth.register(email: "fine@example.com", password: "Str0ng!Passphrase", firstName: "Fi",
                                                   lastName: "Ne", caller: .anonymous(client: "198.51.100.2"))
    }

    func testTheLastActiveAdminCanBeNeitherDemotedNorDeactivated() async throws {
        let world = try TestWorld()
        let admin = try await world.services.users.create(.commandLine, email: "only@example.com", password: "Str0ng!Passphrase",
                                                          firstName: "On", lastName: "Ly", roles: ["admin"])
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.users.update(.commandLine, id: admin.id, isActive: false) }
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.users.setRoles(.commandLine, id: admin.id, roles: ["user"]) }
        let still = try await world.services.users.get(.commandLine, id: admin.id)
        XCTAssertTrue(still.isActive)
        let second = try await world.services.users.create(.commandLine, email: "two@example.com", password: "Str0ng!Passphrase",
                                                           firstName: "Tw", lastName: "Oo", roles: ["admin"])
        _ = try await world.services.users.update(.commandLine, id: admin.id, isActive: false)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.users.setRoles(.commandLine, id: second.id, roles: ["moderator"]) }
    }

    func testThePrivilegeCeiling() async throws {
        let world = try TestWorld()
        // An admin whose role lost users:reset-password… no: a custom weaker admin-like account.
        let trimmed = BuiltinRoles.adminPermissions.map(\.name).filter { $0 != Permission.logsRead.name }
        _ = try await world.services.roles.setPermissions(.commandLine, role: "moderator", permissions: trimmed)
        let almostAdmin = try await world.actor("moderator")
        let admin = try await world.services.users.create(.commandLine, email: "boss@example.com", password: "Str0ng!Passphrase",
                                                          firstName: "Bo", lastName: "Ss", roles: ["admin"])
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.users.resetPassword(almostAdmin, id: admin.id) }
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.users.update(almostAdmin, id: admin.id, isActive: false) }
        await XCTAssertThrowsKind(.forbidden) {
            _ = try await world.services.users.setRoles(almostAdmin, id: almostAdmin.principal!.userID, roles: ["admin"])
        }
        await XCTAssertThrowsKind(.forbidden) {
            _ = try await world.services.roles.setPermissions(almostAdmin, role: "user", permissions: [Permission.logsRead.name])
        }
        let ceiling = try await world.events(.permissionDenied).filter { $0.details["rule"] == "privilege ceiling" }
        XCTAssertEqual(ceiling.count, 4)
        // Acting within one's own permissions still works.
        let user = try await world.services.users.create(.commandLine, email: "plain@example.com", password: "Str0ng!Passphrase",
                                                         firstName: "Pl", lastName: "Ain", roles: ["user"])
        _ = try await world.services.users.resetPassword(almostAdmin, id: user.id)
    }

    func testGeneratedVolumesAreRefusedInProduction() async throws {
        let world = try TestWorld()
        let production = OperationsService(context: world.services.context, production: true)
        await XCTAssertThrowsKind(.badInput) {
            _ = try await production.seedGenerated(.commandLine, Store.GeneratedVolumes(users: 3, posts: 0, comments: 0, seed: 1), password: "Passw0rd!x")
        }
    }

    func testAnEmptyTagIsRefused() async throws {
        let world = try TestWorld()
        let user = try await world.actor("user")
        for tags in [[""], ["a"], ["ok", " "]] {
            await XCTAssertThrowsKind(.badInput) {
                _ = try await world.services.posts.create(user, title: "Tagged post", content: "<p>Enough content here.</p>", tags: tags)
            }
        }
    }

    func testTheSQLPromptCapsCellsAndResults() async throws {
        try skipOnPostgres("the SQL prompt reads SQLite only")
        let world = try TestWorld()
        let limits = ReadOnlySQLLimits(maximumCellCharacters: 10, maximumResultBytes: 100)
        let ring = LogRing(capacity: 4)
        let wide = try await world.services.logQueries(limits: limits).query(.commandLine, sql: "SELECT printf('%.50c', 'x')", ring: ring)
        XCTAssertEqual(wide.rows.first?.first??.count, 11, "ten characters and an ellipsis")
        let many = try await world.services.logQueries(limits: limits)
            .query(.commandLine, sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 500) SELECT printf('%.9c', 'y') FROM n", ring: ring)
        XCTAssertTrue(many.isTruncated)
        XCTAssertLessThan(many.rows.count, 20)
    }

    func testTrustedProxyRanges() {
        let ranges = [AddressRange("10.0.0.0/8")!, AddressRange("::1")!, AddressRange("192.168.1.10")!]
        XCTAssertTrue(ranges[0].contains("10.2.3.4"))
        XCTAssertTrue(ranges[0].contains("::ffff:10.2.3.4"))
        XCTAssertFalse(ranges[0].contains("11.0.0.1"))
        XCTAssertTrue(ranges[1].contains("::1"))
        XCTAssertNil(AddressRange("10.0.0.0/33"))
        XCTAssertNil(AddressRange("example.com"))
        XCTAssertEqual(ranges.clientAddress(peer: "10.0.0.5", forwardedFor: "203.0.113.9, 192.168.1.10"), "203.0.113.9")
        XCTAssertEqual(ranges.clientAddress(peer: "10.0.0.5", forwardedFor: "1.1.1.1, 203.0.113.9"), "203.0.113.9", "the left is the client's claim")
        XCTAssertEqual(ranges.clientAddress(peer: "203.0.113.1", forwardedFor: "1.1.1.1"), "203.0.113.1", "an untrusted peer's header is ignored")
        XCTAssertEqual(ranges.clientAddress(peer: "10.0.0.5", forwardedFor: "not-an-ip"), "10.0.0.5")
        XCTAssertEqual(ranges.clientAddress(peer: "10.0.0.5", forwardedFor: nil), "10.0.0.5")
    }

    func testTrustedProxiesAreValidatedAtStartUp() {
        XCTAssertThrowsError(try StewardConfig.load(environment: ["STEWARD_TRUSTED_PROXIES": "10.0.0.0/8, nonsense"], dotEnv: nil, overrides: [:])) { error in
            XCTAssertTrue("\(error)".contains("STEWARD_TRUSTED_PROXIES"), "\(error)")
        }
        XCTAssertEqual(try StewardConfig.load(environment: ["STEWARD_TRUSTED_PROXIES": "10.0.0.0/8,::1"], dotEnv: nil, overrides: [:]).trustedProxies.count, 2)
    }
}

final class ControlCharacterCleaningTests: XCTestCase {
    func testTheCleanerDropsC0ExceptTabAndNewlineAndDELAndC1() {
        let input = "<p>a\u{01}b\u{1B}[2Jc\u{7F}d\u{9B}31me\tf\ng&#1;h&#x9B;i&#127;j</p><a href=\"https://x.example\" title=\"t\u{07}u\">k</a>"
        let cleaned = HTMLSanitizer.clean(input)
        for scalar in cleaned.html.unicodeScalars {
            let value = scalar.value
            XCTAssertFalse((value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value), "U+\(String(value, radix: 16)) kept")
        }
        XCTAssertTrue(cleaned.html.contains("ab[2Jcd31me\tf\ngh"), cleaned.html)
        XCTAssertTrue(cleaned.html.contains("title=\"tu\""), cleaned.html)
        XCTAssertEqual(HTMLSanitizer.clean(cleaned.html).html, cleaned.html, "still idempotent")
    }
}

final class NoOpModerationTests: XCTestCase {
    func testModerationThatChangesNothingIsNeitherDoneNorAudited() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        let post = try await world.services.posts.create(admin, title: "Already out there", content: "<p>Published from the start.</p>", status: "published")
        let before = try await world.events(.contentModerated).count
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.posts.publish(admin, id: post.id) }
        _ = try await world.services.posts.archive(admin, id: post.id)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.posts.archive(admin, id: post.id) }
        let comment = try await world.services.comments.create(admin, postID: post.id, content: "A comment")
        _ = try await world.services.comments.setHidden(admin, id: comment.id)
        await XCTAssertThrowsKind(.conflict) { _ = try await world.services.comments.setHidden(admin, id: comment.id) }
        let after = try await world.events(.contentModerated).count
        XCTAssertEqual(after, before + 2, "the archive and the hide, nothing for the no-ops")
    }
}

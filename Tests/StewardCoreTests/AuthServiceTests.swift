import XCTest
@testable import StewardCore

final class AuthServiceTests: XCTestCase {
    func testRegisterReportsEveryBadFieldAtOnce() async throws {
        let world = try TestWorld()
        do {
            _ = try await world.services.auth.register(email: "not-an-email", password: "short", firstName: "1", lastName: "<b>",
                                                       caller: .anonymous(client: "t"))
            XCTFail("expected bad input")
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertEqual(Set(error.fieldErrors.map(\.field)), ["email", "password", "firstName", "lastName"])
        }
    }

    func testRegisterLowerCasesEmailAndRefusesDuplicates() async throws {
        let world = try TestWorld()
        let user = try await world.services.auth.register(email: "  Ada@Example.COM ", password: "Str0ng!Passphrase", firstName: "Ada",
                                                          lastName: "Lovelace", caller: .anonymous(client: "t"))
        XCTAssertEqual(user.email, "ada@example.com")
        XCTAssertEqual(user.roles, ["user"])
        await XCTAssertThrowsKind(.conflict) {
            _ = try await world.services.auth.register(email: "ADA@example.com", password: "Str0ng!Passphrase", firstName: "Ada",
                                                       lastName: "Lovelace", caller: .anonymous(client: "t"))
        }
    }

    func testLoginAnswersTheSameForUnknownEmailWrongPasswordAndInactiveAccount() async throws {
        let world = try TestWorld()
        let admin = try await world.actor("admin")
        let user = try await world.services.users.create(.commandLine, email: "sleepy@example.com", password: "Str0ng!Passphrase",
                                                         firstName: "Sleepy", lastName: "User", roles: ["user"])
        _ = try await world.services.users.update(admin, id: user.id, isActive: false)
        var messages: Set<String> = []
        for (email, password) in [("nobody@example.com", "Str0ng!Passphrase"), ("sleepy@example.com", "Wr0ng!Password"),
                                  ("sleepy@example.com", "Str0ng!Passphrase")] {
            do {
                _ = try await world.services.auth.login(email: email, password: password, caller: .anonymous(client: "10.0.0.\(messages.count)"))
                XCTFail("login should fail")
            } catch let error as StewardError {
                XCTAssertEqual(error.kind, .unauthenticated)
                messages.insert(error.message)
            }
        }
        XCTAssertEqual(messages.count, 1)
    }

    func testThrottlingPerEmailLocksEvenUnknownEmailsAndRecordsIt() async throws {
        let world = try TestWorld()
        for _ in 0..<5 {
            await XCTAssertThrowsKind(.unauthenticated) {
                _ = try await world.services.auth.login(email: "ghost@example.com", password: "Wr0ng!Password", caller: .anonymous(client: "1.1.1.1"))
            }
        }
        do {
            _ = try await world.services.auth.login(email: "ghost@example.com", password: "Wr0ng!Password", caller: .anonymous(client: "2.2.2.2"))
            XCTFail("expected throttling")
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .throttled)
            XCTAssertGreaterThan(error.retryAfter ?? 0, 0)
        }
        let events = try await world.services.store.listSecurityEvents(SecurityEventService.ListRequest(event: .accountLocked))
        XCTAssertEqual(events.items.count, 1)
        world.clock.advance(16 * 60)
        await XCTAssertThrowsKind(.unauthenticated) {
            _ = try await world.services.auth.login(email: "ghost@example.com", password: "Wr0ng!Password", caller: .anonymous(client: "2.2.2.2"))
        }
    }

    func testAccessTokenChecks() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        _ = try await world.services.users.create(.commandLine, email: "t@example.com", password: "Str0ng!Passphrase", firstName: "Tess", lastName: "Token", roles: ["user"])
        let session = try await auth.login(email: "t@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let principal = try await auth.authenticate(accessToken: session.accessToken)
        XCTAssertEqual(principal.userID, session.user.id)
        XCTAssertTrue(principal.permissions.contains("posts:create"))

        // Forged: another secret, alg none, wrong issuer.
        let now = Int(world.clock.now.timeIntervalSince1970)
        let claims = AccessClaims(sub: String(session.user.id), roles: ["admin"], sid: session.sessionID, tv: 0, iat: now, exp: now + 900)
        let forged = JWTSigner(secret: Array("another-secret-another-secret-1234".utf8)).sign(claims)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: forged) }
        let header = Crypto.base64URLEncode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = session.accessToken.split(separator: ".")[1]
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: "\(header).\(payload).") }
        let wrongIssuer = JWTSigner(secret: world.services.config.jwtSecret!).sign(
            AccessClaims(sub: String(session.user.id), roles: [], sid: session.sessionID, tv: 0, iat: now, exp: now + 900, iss: "elsewhere"))
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: wrongIssuer) }

        // Expired.
        world.clock.advance(15 * 60 + 31)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: session.accessToken) }
    }

    func testPasswordChangeMakesOldTokensStaleAndRevokesRefresh() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        _ = try await world.services.users.create(.commandLine, email: "p@example.com", password: "Str0ng!Passphrase", firstName: "Pat", lastName: "Change", roles: ["user"])
        let session = try await auth.login(email: "p@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let actor = Caller(try await auth.authenticate(accessToken: session.accessToken), client: "t")
        await XCTAssertThrowsKind(.badInput) { try await auth.changePassword(actor, currentPassword: "Wr0ng!Password", newPassword: "N3w!Passphrase") }
        try await auth.changePassword(actor, currentPassword: "Str0ng!Passphrase", newPassword: "N3w!Passphrase")
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: session.accessToken) }
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.refresh(refreshToken: session.refreshToken, caller: .anonymous(client: "t")) }
        _ = try await auth.login(email: "p@example.com", password: "N3w!Passphrase", caller: .anonymous(client: "t"))
        let events = try await world.services.store.listSecurityEvents(SecurityEventService.ListRequest(event: .passwordChange))
        XCTAssertEqual(events.items.first?.userID, session.user.id)
    }

    func testRefreshRotatesAndReuseRevokesTheFamily() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        _ = try await world.services.users.create(.commandLine, email: "r@example.com", password: "Str0ng!Passphrase", firstName: "Rita", lastName: "Rotate", roles: ["user"])
        let first = try await auth.login(email: "r@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let second = try await auth.refresh(refreshToken: first.refreshToken, caller: .anonymous(client: "t"))
        XCTAssertNotEqual(first.refreshToken, second.refreshToken)
        XCTAssertEqual(first.sessionID, second.sessionID)
        // The first token again: reuse. The whole family dies, the newer token with it.
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.refresh(refreshToken: first.refreshToken, caller: .anonymous(client: "t")) }
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.refresh(refreshToken: second.refreshToken, caller: .anonymous(client: "t")) }
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: second.accessToken) }
        let reuse = try await world.services.store.listSecurityEvents(SecurityEventService.ListRequest(event: .tokenReuse))
        XCTAssertEqual(reuse.items.count, 1)
    }

    func testLogoutRefusesTheSessionsAccessTokens() async throws {
        let world = try TestWorld()
        let auth = world.services.auth
        _ = try await world.services.users.create(.commandLine, email: "l@example.com", password: "Str0ng!Passphrase", firstName: "Leo", lastName: "Out", roles: ["user"])
        let session = try await auth.login(email: "l@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let other = try await auth.login(email: "l@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let actor = Caller(try await auth.authenticate(accessToken: session.accessToken), client: "t")
        try await auth.logout(actor)
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.authenticate(accessToken: session.accessToken) }
        await XCTAssertThrowsKind(.unauthenticated) { _ = try await auth.refresh(refreshToken: session.refreshToken, caller: .anonymous(client: "t")) }
        _ = try await auth.authenticate(accessToken: other.accessToken)
    }

    func testRehashOnLoginWhenTheCostChanged() async throws {
        let world = try TestWorld()
        let oldHasher = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 32, iterations: 1, parallelism: 1))
        let user = try await world.services.users.create(.commandLine, email: "h@example.com", password: "Str0ng!Passphrase", firstName: "Hal", lastName: "Hash", roles: ["user"])
        try await world.services.store.setPasswordHash(userID: user.id, hash: try oldHasher.hash("Str0ng!Passphrase"), revokeSessions: false, now: world.clock.now)
        _ = try await world.services.auth.login(email: "h@example.com", password: "Str0ng!Passphrase", caller: .anonymous(client: "t"))
        let stored = try await world.services.store.credentials(id: user.id)!.passwordHash
        XCTAssertTrue(stored.contains("m=64,t=1,p=1"), stored)
    }

    func testCSRFTokenIsBoundToItsSession() async throws {
        let world = try TestWorld()
        let token = world.services.auth.csrfToken(sessionID: "family-a")
        XCTAssertTrue(world.services.auth.verifyCSRF(token: token, sessionID: "family-a"))
        XCTAssertFalse(world.services.auth.verifyCSRF(token: token, sessionID: "family-b"))
        XCTAssertFalse(world.services.auth.verifyCSRF(token: "forged.AAAA", sessionID: "family-a"))
    }
}

import Foundation
import XCTest
@testable import StewardCore

/// The service calls the doors used to make around the core: each takes a caller, checks a
/// permission and leaves an audit record.
final class OperationsServiceTests: XCTestCase {
    func testHealthAndFirstRun() async throws {
        let world = try TestWorld()
        let healthy = await world.services.operations.isHealthy()
        XCTAssertTrue(healthy)
        let empty = try await world.services.operations.needsFirstAdmin()
        XCTAssertTrue(empty)
        _ = try await world.services.users.createFirstAdmin(email: "first@example.com", password: "Str0ng!Passphrase",
                                                            firstName: "Fi", lastName: "Rst", client: "console")
        let stillEmpty = try await world.services.operations.needsFirstAdmin()
        XCTAssertFalse(stillEmpty)
        await XCTAssertThrowsKind(.conflict) {
            _ = try await world.services.users.createFirstAdmin(email: "second@example.com", password: "Str0ng!Passphrase",
                                                                firstName: "Se", lastName: "Cond", client: "console")
        }
        try world.services.close()
        let afterClose = await world.services.operations.isHealthy()
        XCTAssertFalse(afterClose)
    }

    func testSeedingTakesACallerAndIsAudited() async throws {
        let world = try TestWorld()
        let report = try await world.services.operations.seedDemo(.commandLine)
        let moderator = try await world.actor("moderator")
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.operations.seedDemo(moderator) }
        XCTAssertEqual(report.users, 14)
        let seeded = try await world.events(.userUpdate).filter { $0.details["change"] == "seeded the demo set" }
        XCTAssertEqual(seeded.first?.client, "cli")
        let production = OperationsService(context: world.services.context, production: true)
        await XCTAssertThrowsKind(.badInput) { _ = try await production.seedDemo(.commandLine) }
    }

    func testMigrationsNeedServerControl() async throws {
        let world = try TestWorld()
        let moderator = try await world.actor("moderator")
        await XCTAssertThrowsKind(.forbidden) { _ = try await world.services.operations.migrationStatus(moderator) }
        let status = try await world.services.operations.migrationStatus(.commandLine)
        XCTAssertTrue(status.allSatisfy(\.applied))
        let applied = try await world.services.operations.migrate(.commandLine)
        XCTAssertEqual(applied, [])
    }

    func testTheListenerIsSwitchedThroughTheServices() async throws {
        final class Switch: ListenerSwitch, @unchecked Sendable {
            let lock = NSLock()
            var on = false
            var address: String { "127.0.0.1:9" }
            func start() { lock.withLock { on = true } }
            func stop() { lock.withLock { on = false } }
        }
        let world = try TestWorld()
        let listener = Switch()
        let moderator = try await world.actor("moderator")
        await XCTAssertThrowsKind(.forbidden) { try await world.services.server.startListener(moderator, listener) }
        XCTAssertFalse(listener.lock.withLock { listener.on })
        try await world.services.server.startListener(.commandLine, listener)
        XCTAssertTrue(listener.lock.withLock { listener.on })
        try await world.services.server.stopListener(.commandLine, listener)
        let started = try await world.events(.listenerStarted)
        let stopped = try await world.events(.listenerStopped)
        XCTAssertEqual(started.first?.details["address"], "127.0.0.1:9")
        XCTAssertEqual(stopped.count, 1)
        try await world.services.server.serve(.commandLine, address: "127.0.0.1:10") {}
        let served = try await world.events(.listenerStarted)
        XCTAssertEqual(served.count, 2)
    }
}

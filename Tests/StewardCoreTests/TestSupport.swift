import Foundation
import XCTest
@testable import StewardCore
import StewardStore

/// A fresh database in a temporary folder, with services over it on a test clock and
/// ``StewardConfig/testing(databaseIn:)``.
final class TestWorld: @unchecked Sendable {
    let folder: URL
    let services: Services
    let clock: TestClock

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = StewardConfig.testing(databaseIn: folder)
        let clock = TestClock()
        self.clock = clock
        let passwords = try CommonPasswords.builtIn
        services = try Services.open(config: config, commonPasswords: passwords, now: { clock.now })
    }

    deinit {
        try? services.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates an account with the given role and returns an actor signed in as it.
    func actor(_ role: String, email: String? = nil, password: String = "Str0ng!Passphrase") async throws -> Caller {
        let address = email ?? "\(role)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        _ = try await services.users.create(.commandLine, email: address, password: password, firstName: "Test", lastName: role.capitalized, roles: [role])
        let session = try await services.auth.login(email: address, password: password, caller: .anonymous(client: "127.0.0.1"))
        let principal = try await services.auth.authenticate(accessToken: session.accessToken)
        return Caller(principal, client: "127.0.0.1")
    }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_790_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

func XCTAssertThrowsKind(_ kind: StewardError.Kind, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () async throws -> Void) async {
    do {
        try await body()
        XCTFail("expected \(kind), got success", file: file, line: line)
    } catch let error as StewardError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
    } catch {
        XCTFail("expected \(kind), got \(error)", file: file, line: line)
    }
}

extension Services {
    /// The store behind the services, for tests that check what was written.
    var store: any DataStore { context.store }
}

/// True when the suites run on PostgreSQL (`STEWARD_TEST_BACKEND=postgres`).
let testingOnPostgres = StewardConfig.testingPostgres != nil

/// Skips a test of SQLite's own machinery (its files, its query plans, its authorizer) when
/// the suites run on PostgreSQL; PostgresStoreTests covers what stands in for it there.
func skipOnPostgres(_ why: String = "tests SQLite's own machinery") throws {
    try XCTSkipIf(testingOnPostgres, why)
}

import Foundation
import XCTest
@testable import StewardCore

/// The demo set compiled into the binary, and where `console --demo` keeps its database.
final class DemoSetTests: XCTestCase {
    func testBuiltInDemoSetSeedsAnEmptyDatabase() async throws {
        let world = try TestWorld()
        let report = try await world.services.operations.seedDemo(.commandLine)
        // data/README.md: 14 users, 60 posts, 200 comments.
        XCTAssertEqual(report.users, 14)
        XCTAssertEqual(report.posts, 60)
        XCTAssertEqual(report.comments, 200)
        let session = try await world.services.auth.login(email: "admin@steward.test", password: "Admin#Demo2026",
                                                          caller: .anonymous(client: "127.0.0.1"))
        XCTAssertFalse(session.accessToken.isEmpty)
    }

    func testMalformedDemoFileIsReportedByName() async throws {
        let world = try TestWorld()
        var files = DemoSet.Files.builtIn
        files.posts = Array("{\"not\": \"a list\"}".utf8)
        do {
            _ = try await DemoSet.seed(into: world.services.context, files: files)
            XCTFail("a posts.json that is not a list was accepted")
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertTrue(error.description.contains("posts.json"), error.description)
        }
    }

    func testDatabaseStaysInACheckoutsDataFolder() throws {
        let checkout = FileManager.default.temporaryDirectory.appendingPathComponent("steward-checkout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: checkout) }
        XCTAssertEqual(DemoSet.databasePath(workingDirectory: checkout.path, environment: ["XDG_DATA_HOME": "/xdg"], homeDirectory: "/home/ada"),
                       "data/demo.sqlite")
    }

    func testDatabaseGoesToThePerUserDataFolderElsewhere() {
        let elsewhere = "/nonexistent-\(UUID().uuidString)"
        func path(_ environment: [String: String]) -> String {
            DemoSet.databasePath(workingDirectory: elsewhere, environment: environment, homeDirectory: "/home/fallback")
        }
        XCTAssertEqual(path(["XDG_DATA_HOME": "/xdg/data", "HOME": "/home/ada"]), "/xdg/data/steward/demo.sqlite")
        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        XCTAssertEqual(path(["XDG_DATA_HOME": "relative", "HOME": "/home/ada"]), "/home/ada/.local/share/steward/demo.sqlite")
        XCTAssertEqual(path(["HOME": "/home/ada"]), "/home/ada/.local/share/steward/demo.sqlite")
        XCTAssertEqual(path([:]), "/home/fallback/.local/share/steward/demo.sqlite")
    }
}

import Foundation
import XCTest
@testable import StewardCore

final class PostgresURLTests: XCTestCase {
    func testAPostgresURLIsParsedAndShownWithoutItsPassword() throws {
        let config = try StewardConfig.load(environment: ["STEWARD_DB": "postgres://app:s%40hunter2:pw@db.example:6543/steward?sslmode=require&schema=team_a",
                                                          "STEWARD_DB_POOL": "25"], dotEnv: nil)
        let url = try XCTUnwrap(config.postgres)
        XCTAssertEqual(url.host, "db.example")
        XCTAssertEqual(url.port, 6543)
        XCTAssertEqual(url.username, "app")
        XCTAssertEqual(url.password, "s@hunter2:pw")
        XCTAssertEqual(url.database, "steward")
        XCTAssertEqual(url.schema, "team_a")
        XCTAssertEqual(url.sslMode, "require")
        XCTAssertEqual(config.databasePool, 25)
        XCTAssertEqual(config.databasePath, "postgres://app@db.example:6543/steward?schema=team_a")
        for shown in [config.databasePath, config.description, String(describing: config), String(reflecting: config)] {
            XCTAssertFalse(shown.contains("hunter2"), shown)
        }
        XCTAssertFalse(config.logDirectory.contains("postgres:"), "logs go to a folder of their own, not beside a URL")
    }

    func testADefaultPortAndPostgresqlSchemeAreAccepted() throws {
        let url = try PostgresURL(parsing: "postgresql://steward@localhost/steward")
        XCTAssertEqual(url.port, 5432)
        XCTAssertNil(url.password)
        XCTAssertEqual(url.sslMode, "prefer")
    }

    func testBadURLsAreRefusedWithoutRepeatingThem() {
        for text in ["postgres://user:hunter2@/steward", "postgres://hunter2@db", "postgres://u:hunter2@db:5432/steward?sslmode=maybe",
                     "postgres://u:hunter2@db/steward?schema=a;drop", "postgres://u:hunter2@db/steward?color=red", "postgres://u:hunter2@db:99999/steward"] {
            XCTAssertThrowsError(try StewardConfig.load(environment: ["STEWARD_DB": text], dotEnv: nil), text) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains("STEWARD_DB"), message)
                XCTAssertFalse(message.contains("hunter2"), message)
            }
        }
        XCTAssertThrowsError(try StewardConfig.load(environment: ["STEWARD_DB_POOL": "0"], dotEnv: nil))
    }
}

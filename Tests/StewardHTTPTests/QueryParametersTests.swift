import StewardCore
@testable import StewardHTTP
import XCTest

/// Query strings become each service's list request here, in the HTTP door; the services
/// check ranges and visibility.
final class QueryParametersTests: XCTestCase {
    func testListParametersAreValidated() throws {
        XCTAssertThrowsError(try PostService.ListRequest(parameters: ["status": "gone", "limit": "many", "author": "me"])) { error in
            XCTAssertEqual(Set((error as! StewardError).fieldErrors.map(\.field)), ["status", "limit", "author"])
        }
        let parsed = try PostService.ListRequest(parameters: ["status": "draft", "limit": "5", "tag": " Ops "])
        XCTAssertEqual(parsed.status, .draft)
        XCTAssertEqual(parsed.limit, 5)
        XCTAssertEqual(parsed.tag, "ops")
    }

    func testUserAndSecurityEventParametersAreValidated() throws {
        XCTAssertThrowsError(try UserService.ListRequest(parameters: ["active": "maybe", "limit": "x"])) { error in
            XCTAssertEqual(Set((error as! StewardError).fieldErrors.map(\.field)), ["active", "limit"])
        }
        XCTAssertThrowsError(try SecurityEventService.ListRequest(parameters: ["event": "NOPE", "since": "yesterday", "userId": "-1"])) { error in
            XCTAssertEqual(Set((error as! StewardError).fieldErrors.map(\.field)), ["event", "since", "userId"])
        }
        XCTAssertEqual(try SecurityEventService.ListRequest(parameters: ["event": "backup"]).event, .backup)
    }

    func testSecurityEventsFilterByActorClientAndUntil() throws {
        XCTAssertThrowsError(try SecurityEventService.ListRequest(parameters: ["actorId": "x", "until": "soon"])) { error in
            XCTAssertEqual(Set((error as! StewardError).fieldErrors.map(\.field)), ["actorId", "until"])
        }
        let parsed = try SecurityEventService.ListRequest(parameters: ["actorId": "7", "client": " Console ", "until": "2026-11-30"])
        XCTAssertEqual(parsed.actorID, 7)
        XCTAssertEqual(parsed.client, "console")
        XCTAssertEqual(parsed.until, Timestamp.parse("2026-11-30T00:00:00Z"))
        XCTAssertNil(parsed.since)
    }

    func testIntegersArePlainDigits() {
        for bad in ["+5", " 5", "5 ", "05x", "1e3", "-1", "0x10", "", "99999999999999999999"] {
            XCTAssertThrowsError(try PostService.ListRequest(parameters: ["limit": bad]), "limit=\(bad)")
            XCTAssertThrowsError(try PostService.ListRequest(parameters: ["author": bad]), "author=\(bad)")
        }
        XCTAssertEqual(try PostService.ListRequest(parameters: ["limit": "05"]).limit, 5)
    }
}

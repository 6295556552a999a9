@testable import StewardHTTP
import XCTest

/// `Authorization: Bearer TOKEN`, read byte by byte: the scheme in any case, blanks around
/// the token, and nothing else taken for a token.
final class BearerTokenTests: XCTestCase {
    func testTheTokenIsReadWhateverTheCaseAndTheBlanks() {
        XCTAssertEqual(AuthenticationMiddleware.bearerToken(inHeader: "Bearer abc.def.ghi"), "abc.def.ghi")
        XCTAssertEqual(AuthenticationMiddleware.bearerToken(inHeader: "bearer abc"), "abc")
        XCTAssertEqual(AuthenticationMiddleware.bearerToken(inHeader: "BEARER abc"), "abc")
        XCTAssertEqual(AuthenticationMiddleware.bearerToken(inHeader: "  Bearer \t abc \t "), "abc")
        XCTAssertEqual(AuthenticationMiddleware.bearerToken(inHeader: "Bearer a b"), "a b")
    }

    func testAnythingElseIsNoToken() {
        for header in ["", "   ", "Bearer", "Bearer ", "Bearer   \t", "Basic abc", "Bearerabc", "Bearer\tabc", "Bear abc", "Bearér abc", "xBearer abc"] {
            XCTAssertNil(AuthenticationMiddleware.bearerToken(inHeader: header), "\"\(header)\"")
        }
    }
}

import Foundation
import Hummingbird
import StewardCore
import StewardHTTP
import XCTest

final class JSONBodyTests: XCTestCase {
    struct Author: Decodable { var id: Int64 }
    struct Input: Decodable {
        enum Status: String, Decodable { case draft, published }
        var title: String
        var published: Bool?
        var score: Double?
        var status: Status?
        var author: Author?
    }

    private func fieldErrors(_ json: String) -> [FieldError] {
        do {
            _ = try JSONBody.decode(Input.self, from: Data(json.utf8))
            XCTFail("\(json) decoded")
            return []
        } catch let error as StewardError {
            XCTAssertEqual(error.kind, .badInput)
            return error.fieldErrors
        } catch {
            XCTFail("unexpected \(error)")
            return []
        }
    }

    func testTypeErrorsNameTheFieldAndWhatItMustBe() {
        XCTAssertEqual(fieldErrors(#"{"title":"t","published":"yes"}"#), [FieldError(field: "published", message: "must be true or false")])
        XCTAssertEqual(fieldErrors(#"{"title":"t","score":"high"}"#), [FieldError(field: "score", message: "must be a number")])
        XCTAssertEqual(fieldErrors(#"{"title":"t","author":"me"}"#), [FieldError(field: "author", message: "must be an object")])
        XCTAssertEqual(fieldErrors(#"{"title":"t","author":{"id":"7"}}"#), [FieldError(field: "author.id", message: "must be an integer")])
        XCTAssertEqual(fieldErrors(#"{"title":"t","author":{}}"#), [FieldError(field: "author.id", message: "is required")])
        XCTAssertEqual(fieldErrors(#"{"title":"t","status":"deleted"}"#), [FieldError(field: "status", message: "has an invalid value")])
        XCTAssertEqual(fieldErrors(#"{"title":["t"]}"#), [FieldError(field: "title", message: "must be a string")])
    }

    func testMalformedAndNonObjectBodies() {
        for (json, detail) in [("{", "The request body is not valid JSON."), ("\"text\"", "The request body must be a JSON object."), ("42", "The request body must be a JSON object.")] {
            XCTAssertThrowsError(try JSONBody.validateObject(ByteBuffer(string: json)), json) { error in
                XCTAssertEqual((error as? StewardError)?.message, detail, json)
                XCTAssertEqual((error as? StewardError)?.fieldErrors, [], json)
            }
        }
        XCTAssertNoThrow(try JSONBody.validateObject(ByteBuffer(string: #" {"any": [1, {"nested": null}]} "#)))
    }

    func testABlankBodyDecodesAsAnEmptyObject() throws {
        struct Optional: Decodable { var note: String? }
        XCTAssertNil(try JSONBody.decode(Optional.self, from: ByteBuffer(string: " \n")).note)
    }
}

import Foundation
import NIOCore
import StewardCore

/// Decoding of JSON request bodies into typed structs, with errors a client can act on.
///
/// Bodies decode with `JSONDecoder` into `Decodable` structs, never into `[String: Any]`.
/// Unknown fields are dropped (the decoder ignores keys a struct does not declare). What goes
/// wrong becomes a ``StewardError`` of kind `badInput`, answered as 400 problem+json:
///
/// | the body | the error |
/// |---|---|
/// | not JSON at all | detail "The request body is not valid JSON." |
/// | JSON, but not an object | detail "The request body must be a JSON object." |
/// | `"title": 5` where a string is expected | `errors: [{field: "title", message: "must be a string"}]` |
/// | `"tags": ["ok", 7]` | `errors: [{field: "tags[1]", message: "must be a string"}]` |
/// | a required field missing, or `null` | `{field: "email", message: "is required"}` |
///
/// `JSONDecoder` stops at the first type error, so a body with several wrongly typed fields
/// reports the first; the services' validation then reports every remaining rule at once.
public enum JSONBody {
    /// Decodes `type` from `buffer`; an empty body decodes as `{}`, so that missing required
    /// fields are reported by name rather than as a malformed body.
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try decode(type, from: Data(buffer.readableBytesView))
    }

    /// Decodes `type` from `data`, mapping decoding errors as described on ``JSONBody``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let input = isBlank(data) ? Data("{}".utf8) : data
        do {
            return try decoder.decode(T.self, from: input)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    /// Checks that `buffer` holds one well-formed JSON object, without keeping its contents.
    public static func validateObject(_ buffer: ByteBuffer) throws {
        _ = try decode(AnyJSONObject.self, from: buffer)
    }

    /// The client-facing error for a decoding failure.
    public static func problem(for error: DecodingError) -> StewardError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return StewardError(.badInput, "The request body is not valid JSON.")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return StewardError(.badInput, "The request body must be a JSON object.")
        case .typeMismatch(let expected, let context):
            return .badInput(field: fieldName(context.codingPath), message(expecting: expected))
        case .keyNotFound(let key, let context):
            return .badInput(field: fieldName(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            return .badInput(field: fieldName(context.codingPath), "is required")
        case .dataCorrupted(let context):
            return .badInput(field: fieldName(context.codingPath), "has an invalid value")
        @unknown default:
            return StewardError(.badInput, "The request body does not have the expected shape.")
        }
    }

    /// `title`, `author.id`, `tags[2]`: the path to a field as a client would write it.
    public static func fieldName(_ path: [any CodingKey]) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return name.isEmpty ? "body" : name
    }

    /// "must be a string", "must be an integer"...: what a field of type `expected` needs.
    static func message(expecting expected: Any.Type) -> String {
        switch expected {
        case is String.Type, is Substring.Type, is Character.Type:
            "must be a string"
        case is Bool.Type:
            "must be true or false"
        case is any BinaryInteger.Type:
            "must be an integer"
        case is any BinaryFloatingPoint.Type, is Decimal.Type:
            "must be a number"
        case is any JSONArrayShape.Type:
            "must be an array"
        case is any JSONObjectShape.Type:
            "must be an object"
        default:
            "has the wrong type"
        }
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func isBlank(_ data: Data) -> Bool {
        data.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}

/// Marks the types `JSONDecoder` names when it expected an array.
protocol JSONArrayShape {}
extension Array: JSONArrayShape {}
extension Set: JSONArrayShape {}

/// Marks the types `JSONDecoder` names when it expected an object.
protocol JSONObjectShape {}
extension Dictionary: JSONObjectShape {}

/// Decodes any JSON object and keeps nothing: used to check a body's syntax and shape.
struct AnyJSONObject: Decodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: Key.self)
    }
}

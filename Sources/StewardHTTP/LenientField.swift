import Foundation
import StewardCore

/// A field of a request body read so that a value of the wrong JSON type is reported, not
/// fatal: `{"email": 5, "password": ["x"]}` names both fields, and the services then add
/// every rule that fails, in one 400.
///
/// `JSONDecoder` stops at the first type error. A body declares its fields as
/// `@Lenient var email: String?` instead: a missing or `null` field reads as `nil`, a
/// wrongly typed one as `nil` plus a ``FieldError``, and ``LenientBody/inputErrors`` hands
/// those to the service, which reports them with its own and writes nothing.
@propertyWrapper
struct Lenient<Value: Decodable & Sendable>: Decodable, Sendable {
    var wrappedValue: Value?
    /// Why the field could not be read, if it could not.
    let problem: FieldError?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
        self.problem = nil
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            wrappedValue = nil
            problem = nil
            return
        }
        do {
            wrappedValue = try container.decode(Value.self)
            problem = nil
        } catch let error as DecodingError {
            wrappedValue = nil
            let described = JSONBody.problem(for: error)
            problem = described.fieldErrors.first ?? FieldError(field: JSONBody.fieldName(decoder.codingPath), message: "has the wrong type")
        }
    }
}

extension KeyedDecodingContainer {
    /// A lenient field may be absent.
    func decode<Value>(_ type: Lenient<Value>.Type, forKey key: Key) throws -> Lenient<Value> {
        try decodeIfPresent(type, forKey: key) ?? Lenient(wrappedValue: nil)
    }
}

/// A request body whose fields are ``Lenient``.
protocol LenientBody: Decodable {}

extension LenientBody {
    /// The fields that had the wrong JSON type, in declaration order.
    var inputErrors: [FieldError] {
        Mirror(reflecting: self).children.compactMap { ($0.value as? any LenientProblem)?.fieldProblem }
    }
}

/// Lets ``LenientBody`` read a ``Lenient`` field's problem whatever its value type.
protocol LenientProblem {
    var fieldProblem: FieldError? { get }
}

extension Lenient: LenientProblem {
    var fieldProblem: FieldError? { problem }
}

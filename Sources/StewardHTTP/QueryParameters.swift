import Foundation
import Hummingbird
import StewardCore

/// Reading list filters from the query string, with every bad parameter reported at once
/// as a 400 that names it.
///
/// Values are percent-decoded by Hummingbird; when a parameter is repeated, the first one
/// counts. Unknown parameters are ignored, like unknown JSON fields.
enum QueryParameters {
    /// The query string as a dictionary of decoded values.
    static func dictionary(_ request: Request) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where values[String(key)] == nil {
            values[String(key)] = String(value)
        }
        return values
    }

    /// The value of `text` when it is plain decimal digits (no sign, no space, at most 18
    /// of them): `+5`, ` 5`, `05x` and `1e3` are not numbers a query string may hold.
    static func integer(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int64(text)
    }

    /// `limit` as a number (the services check its range, 1 to 100); 20 when absent.
    static func limit(_ parameters: [String: String], into validator: inout Validator) -> Int {
        guard let text = parameters["limit"] else { return 20 }
        guard let value = integer(text).map({ Int($0) }) else {
            validator.add("limit", "must be a whole number from 1 to 100")
            return 20
        }
        return value
    }

    /// A positive integer id, or a field error naming `field`.
    static func id(_ parameters: [String: String], _ field: String, into validator: inout Validator) -> Int64? {
        guard let text = parameters[field] else { return nil }
        guard let value = integer(text), value > 0 else {
            validator.add(field, "must be a positive integer id")
            return nil
        }
        return value
    }
}

extension UserService.ListRequest {
    /// `GET /api/users?q=&role=&active=&limit=&cursor=`: `q` matches email and names,
    /// `role` a role name, `active` is `true`/`false` (or `1`/`0`).
    init(parameters: [String: String]) throws(StewardError) {
        var validator = Validator()
        self.init()
        if let q = parameters["q"] {
            let cleaned = PlainText.clean(q)
            text = cleaned.isEmpty ? nil : cleaned
        }
        if let role = parameters["role"] {
            let cleaned = PlainText.clean(role).lowercased()
            self.role = cleaned.isEmpty ? nil : cleaned
        }
        if let active = parameters["active"] {
            switch active.lowercased() {
            case "true", "1": isActive = true
            case "false", "0": isActive = false
            default: validator.add("active", "must be true or false")
            }
        }
        limit = QueryParameters.limit(parameters, into: &validator)
        cursor = parameters["cursor"]
        try validator.validate()
    }
}

extension SecurityEventService.ListRequest {
    /// `GET /api/security-events?event=&userId=&actorId=&client=&since=&until=&limit=&cursor=`:
    /// `event` one of the names of the audit trail, `userId` the user involved (subject or
    /// actor), `actorId` the account that acted, `client` the door (`http`, `console`, `cli`),
    /// `since` (inclusive) and `until` (exclusive) ISO 8601 dates or date-times (UTC when they
    /// have no offset).
    init(parameters: [String: String]) throws(StewardError) {
        var validator = Validator()
        self.init()
        if let name = parameters["event"] {
            if let kind = SecurityEventKind(rawValue: name.uppercased()) {
                event = kind
            } else {
                validator.add("event", "must be one of " + SecurityEventKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        userID = QueryParameters.id(parameters, "userId", into: &validator)
        actorID = QueryParameters.id(parameters, "actorId", into: &validator)
        if let text = parameters["client"] {
            if text.count > 128 { validator.add("client", "must be at most 128 characters") }
            client = PlainText.clean(text).lowercased()
        }
        for name in ["since", "until"] {
            guard let text = parameters[name] else { continue }
            if let date = Timestamp.parse(text) {
                if name == "since" { since = date } else { until = date }
            } else {
                validator.add(name, "must be an ISO 8601 date or date-time, like 2026-01-31T12:00:00Z")
            }
        }
        limit = QueryParameters.limit(parameters, into: &validator)
        cursor = parameters["cursor"]
        try validator.validate()
    }
}

extension PostService.ListRequest {
    /// `GET /api/posts?status=&author=&tag=&q=&limit=&cursor=`.
    init(parameters: [String: String]) throws(StewardError) {
        var validator = Validator()
        self.init()
        if let status = parameters["status"] {
            validator.check("status", status, .oneOf(PostStatus.allCases.map(\.rawValue)))
            self.status = PostStatus(rawValue: status)
        }
        authorID = QueryParameters.id(parameters, "author", into: &validator)
        if let tag = parameters["tag"] { self.tag = Tags.normalize([tag]).first }
        if let q = parameters["q"] {
            let cleaned = PlainText.clean(q)
            text = cleaned.isEmpty ? nil : cleaned
        }
        limit = QueryParameters.limit(parameters, into: &validator)
        cursor = parameters["cursor"]
        try validator.validate()
    }
}

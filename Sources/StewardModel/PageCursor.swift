import Foundation

/// Opaque keyset cursors: the sort key of the last row of a page, base64url-encoded.
///
/// A cursor names a position, not an offset, so the next page costs the same on page 1 and
/// on page 10,000 and rows inserted meanwhile cause neither gaps nor duplicates.
public enum PageCursor {
    public static func encode(_ parts: [String]) -> String {
        let joined = parts.joined(separator: "\u{1F}")
        return Data(joined.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ cursor: String, parts: Int) throws(StewardError) -> [String] {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 512, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw StewardError.badInput(field: "cursor", "is not a cursor this server issued")
        }
        let fields = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == parts else {
            throw StewardError.badInput(field: "cursor", "is not a cursor this server issued")
        }
        return fields
    }

    /// A (created_at, id) cursor, the sort key of posts.
    public static func decodeTimeAndID(_ cursor: String) throws(StewardError) -> (String, Int64) {
        let fields = try decode(cursor, parts: 2)
        guard Timestamp.parse(fields[0]) != nil, let id = Int64(fields[1]) else {
            throw StewardError.badInput(field: "cursor", "is not a cursor this server issued")
        }
        return (fields[0], id)
    }

    public static func decodeID(_ cursor: String) throws(StewardError) -> Int64 {
        let fields = try decode(cursor, parts: 1)
        guard let id = Int64(fields[0]) else {
            throw StewardError.badInput(field: "cursor", "is not a cursor this server issued")
        }
        return id
    }
}

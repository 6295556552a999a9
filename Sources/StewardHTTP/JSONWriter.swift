import Foundation
import Hummingbird
import NIOCore
import StewardCore

/// Writes JSON straight into a `ByteBuffer`: the encoder of every answer the API sends.
///
/// Answers have fixed, documented shapes, so each one is written field by field (see
/// ``JSONRepresentable``) instead of through `JSONEncoder`, which reflects over `Codable`,
/// boxes every value and leaves out `nil` fields where the contract wants an explicit
/// `null` (`"nextCursor": null`, `"parentId": null`). Writing by hand is several times
/// faster on the hot list and read routes, and the shape is visible in one place.
///
/// ```swift
/// var json = JSONWriter()
/// json.object { json in
///     json.field("status", "ok")
///     json.field("count", 3)
/// }
/// // {"status":"ok","count":3}
/// ```
///
/// Strings are escaped by ``JSONText`` with its `.api` rules: what RFC 8259 requires, and
/// `<`, `>`, `&` and U+2028/U+2029 as well so that an answer pasted into HTML or a script
/// cannot close a tag.
public struct JSONWriter: Sendable {
    public private(set) var buffer: ByteBuffer
    /// Whether the next value in the current object or array needs a leading comma.
    private var needsComma = false

    public init(capacity: Int = 512) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Writes `{ … }`; `body` adds the fields.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[ … ]` with one element per item.
    public mutating func array<S: Sequence>(_ items: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
        for item in items { element(&self, item) }
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a key; the next call writes its value.
    public mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
        needsComma = false
    }

    /// Writes a key whose name comes from data (a details map): escaped like any string.
    public mutating func key(dynamic name: String) {
        string(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        Self.writeEscaped(value, into: &buffer)
        needsComma = true
    }

    public mutating func int(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        separate()
        buffer.writeStaticString("null")
        needsComma = true
    }

    /// An ISO 8601 UTC time with milliseconds, like `2026-11-25T12:00:00.000Z`.
    public mutating func date(_ value: Date) {
        string(Timestamp.string(value))
    }

    public mutating func value(_ item: some JSONRepresentable) {
        item.write(to: &self)
    }

    // MARK: Fields

    public mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: StaticString, _ value: Int64) { key(name); int(value) }
    public mutating func field(_ name: StaticString, _ value: Int) { key(name); int(Int64(value)) }
    public mutating func field(_ name: StaticString, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: StaticString, _ value: Date) { key(name); date(value) }
    public mutating func field(_ name: StaticString, _ value: [String]) {
        key(name)
        array(value) { json, item in json.string(item) }
    }
    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }
    public mutating func field(_ name: StaticString, _ value: Int64?) {
        key(name)
        if let value { int(value) } else { null() }
    }
    public mutating func field(_ name: StaticString, _ value: some JSONRepresentable) {
        key(name)
        value.write(to: &self)
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    /// Writes `value` as a quoted JSON string.
    static func writeEscaped(_ value: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            JSONText.escape(bytes, .api) { buffer.writeBytes(UnsafeRawBufferPointer($0)) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}

/// A value the API answers with, written field by field by a ``JSONWriter``.
///
/// Routes turn one into a response with ``Hummingbird/Response/json(_:status:)``.
public protocol JSONRepresentable {
    func write(to json: inout JSONWriter)
    /// About how many bytes ``write(to:)`` writes; the buffer starts that large.
    ///
    /// A 20-post page is ~10 KB: grown from 512 bytes it was copied five times, and each
    /// allocation past 1 KB made glibc consolidate its small free chunks
    /// (`malloc_consolidate`, 1.1% of a list request's profile, gone when the buffer
    /// starts at the right size). An estimate a little short still saves all but one copy.
    var estimatedJSONSize: Int { get }
    /// Where the JSON of a value the core shares between callers is kept once written
    /// (a cached page of posts); `nil` for everything else.
    var rendering: Rendering? { get }
}

extension JSONRepresentable {
    public var estimatedJSONSize: Int { 512 }
    public var rendering: Rendering? { nil }

    /// The JSON of this value in a buffer of its own.
    func encoded() -> ByteBuffer {
        var json = JSONWriter(capacity: estimatedJSONSize)
        write(to: &json)
        return json.buffer
    }
}

extension JSONRepresentable {
    /// The JSON text of this value, for tests and logs.
    public var jsonText: String { String(buffer: encoded()) }
}

extension Response {
    /// A JSON answer, `200 OK` unless told otherwise (`201 Created` for new resources).
    public static func json(_ body: some JSONRepresentable, status: HTTPResponse.Status = .ok) -> Response {
        // A shared value is written once; its buffer is then only referenced (ByteBuffer
        // is copy-on-write, and nothing writes to an answer's body).
        let buffer = body.rendering?.value { body.encoded() } ?? body.encoded()
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: ResponseBody(byteBuffer: buffer)
        )
    }

    /// `204 No Content`: the answer of deletes, logout and password changes.
    public static var noContent: Response { Response(status: .noContent) }
}

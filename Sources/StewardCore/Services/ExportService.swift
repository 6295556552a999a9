import Foundation

/// Exports of users, posts, comments or security events as JSON lines or CSV: the one
/// implementation behind `steward export` and the console's `:export`.
///
/// An export needs `server:control` (it copies data out of the system) and then reads
/// each page through the list services *as the caller*, so it can never hold more than
/// the caller may list: security events need `logs:read` as well, users `users:read`.
/// Audited as `EXPORT`.
public struct ExportService: Sendable {
    let context: ServiceContext
    let users: UserService
    let posts: PostService
    let comments: CommentService
    let securityEvents: SecurityEventService

    public enum Subject: String, CaseIterable, Sendable { case users, posts, comments, securityEvents = "security-events" }
    public enum Format: String, CaseIterable, Sendable { case jsonl, csv }

    /// Where the rows go.
    public enum Destination: Sendable {
        /// A file, or a folder for `steward-WHAT-YYYYMMDD-HHMMSS.EXT` (see `OutputFile`).
        case file(String, force: Bool)
        /// A stream (standard output): each chunk as it is ready.
        case stream(@Sendable (Data) throws -> Void)
    }

    /// What an export wrote.
    public struct Report: Sendable {
        public var rows: Int
        /// The file written; `nil` for a stream.
        public var path: String?
    }

    public func export(_ caller: Caller, _ subject: Subject, format: Format, to destination: Destination) async throws -> Report {
        let actor = try await context.resolve(caller)
        try await context.require(.serverControl, actor)
        var report: Report
        switch destination {
        case .stream(let write):
            report = Report(rows: try await walk(actor, subject, format: format, write: write), path: nil)
        case .file(let out, let force):
            let file = try OutputFile(out: out, prefix: "steward-\(subject.rawValue)", ext: format.rawValue, force: force, now: context.now())
            do {
                guard let handle = FileHandle(forWritingAtPath: file.temporary) else { throw StewardError(.badInput, "cannot write \(file.target)") }
                let rows: Int
                do {
                    rows = try await walk(actor, subject, format: format) { data in
                        do { try handle.write(contentsOf: data) } catch { throw StewardError(.badInput, "cannot write \(file.target): \(error.localizedDescription)") }
                    }
                    try handle.close()
                } catch {
                    try? handle.close()
                    throw error
                }
                try file.publish()
                report = Report(rows: rows, path: file.target)
            } catch {
                file.discard()
                throw error
            }
        }
        await context.audit.record(.export, subject: nil, actor: actor,
                                   details: ["what": subject.rawValue, "format": format.rawValue, "rows": String(report.rows),
                                             "path": report.path ?? "stream"])
        return report
    }

    /// Walks the whole table a page at a time by key, writing each page as it comes: an
    /// export of a million rows never sits in memory.
    private func walk(_ actor: Caller, _ subject: Subject, format: Format, write: @Sendable (Data) throws -> Void) async throws -> Int {
        var table = ExportTable(format: format)
        var cursor: String?
        var count = 0
        repeat {
            switch subject {
            case .users:
                table.header(["id", "email", "firstName", "lastName", "isActive", "roles", "createdAt"])
                let page = try await users.list(actor, UserService.ListRequest(limit: 100, cursor: cursor))
                for user in page.items {
                    table.row([.int(user.id), .text(user.email), .text(user.firstName), .text(user.lastName),
                               .bool(user.isActive), .list(user.roles), .text(Timestamp.string(user.createdAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .posts:
                table.header(["id", "authorId", "title", "status", "tags", "content", "createdAt", "updatedAt"])
                let page = try await posts.list(actor, PostService.ListRequest(limit: 100, cursor: cursor))
                for post in page.items {
                    table.row([.int(post.id), .int(post.author.id), .text(post.title), .text(post.status.rawValue),
                               .list(post.tags), .text(post.content), .text(Timestamp.string(post.createdAt)),
                               .text(Timestamp.string(post.updatedAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .comments:
                table.header(["id", "postId", "authorId", "parentId", "status", "content", "createdAt"])
                let page = try await comments.moderationQueue(actor, limit: 100, cursor: cursor)
                for comment in page.items {
                    table.row([.int(comment.id), .int(comment.postID), .int(comment.author.id),
                               comment.parentID.map { .int($0) } ?? .null, .text(comment.status.rawValue),
                               .text(comment.content), .text(Timestamp.string(comment.createdAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .securityEvents:
                table.header(["id", "time", "event", "userId", "actorId", "client", "details"])
                let page = try await securityEvents.list(actor, SecurityEventService.ListRequest(limit: 100, cursor: cursor))
                for event in page.items {
                    let details = event.details.keys.sorted().map { "\($0)=\(event.details[$0]!)" }.joined(separator: " ")
                    table.row([.int(event.id), .text(Timestamp.string(event.createdAt)), .text(event.event.rawValue),
                               event.userID.map { .int($0) } ?? .null, event.actorID.map { .int($0) } ?? .null,
                               .text(event.client), .text(details)])
                }
                count += page.items.count; cursor = page.nextCursor
            }
            try write(table.take())
        } while cursor != nil
        return count
    }
}

/// Rows as JSON lines or RFC 4180 CSV (CRLF line ends), built in memory a page at a time.
struct ExportTable {
    enum Value { case int(Int64), text(String), bool(Bool), list([String]), null }

    let format: ExportService.Format
    private var columns: [String] = []
    private var bytes: [UInt8] = []

    init(format: ExportService.Format) {
        self.format = format
    }

    /// Sets the columns; the CSV header row is written the first time only.
    mutating func header(_ names: [String]) {
        guard columns.isEmpty else { return }
        columns = names
        if format == .csv { appendCSVLine(names.map { ExportTable.csvField($0) }) }
    }

    mutating func row(_ values: [Value]) {
        switch format {
        case .jsonl:
            bytes.append(UInt8(ascii: "{"))
            for (index, (name, value)) in zip(columns, values).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.appendString(name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                appendJSON(value)
            }
            bytes.append(contentsOf: "}\n".utf8)
        case .csv:
            appendCSVLine(values.map { value in
                switch value {
                case .int(let number): String(number)
                case .bool(let flag): flag ? "true" : "false"
                case .null: ""
                case .text(let text): ExportTable.csvField(text)
                case .list(let items): ExportTable.csvField(items.joined(separator: ";"))
                }
            })
        }
    }

    /// The bytes built since the last call.
    mutating func take() -> Data {
        defer { bytes.removeAll(keepingCapacity: true) }
        return Data(bytes)
    }

    private mutating func appendJSON(_ value: Value) {
        switch value {
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .text(let text): JSONText.appendString(text, to: &bytes)
        case .list(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.appendString(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private mutating func appendCSVLine(_ fields: [String]) {
        bytes.append(contentsOf: fields.joined(separator: ",").utf8)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// A field a spreadsheet reads as text: a leading `=`, `+`, `-`, `@`, tab or carriage
    /// return gets a `'` first (OWASP's CSV-injection advice), and a field holding a comma,
    /// a quote or a line break is quoted with inner quotes doubled.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

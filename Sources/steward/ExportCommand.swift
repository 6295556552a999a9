import ArgumentParser
import Foundation
import StewardCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export users, posts, comments or security events as JSON lines or CSV.")

    enum What: String, ExpressibleByArgument, CaseIterable { case users, posts, comments, events = "security-events" }
    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "users, posts, comments or security-events.") var what: What
    @Option(name: .long, help: "jsonl or csv.") var format: Format = .jsonl
    @Option(name: .long, help: "Output file (default: standard output).") var out: String?

    func run() throws {
        let services = try database.openServices()
        let sink: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) else { throw CLIError("cannot create \(out)") }
            sink = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        } else {
            sink = FileHandle.standardOutput
        }
        let writer = ExportWriter(format: format, sink: sink)
        let what = self.what
        let count = try blocking { try await ExportCommand.export(what, services: services, writer: writer) }
        writer.flush()
        if let out { printError("exported \(count) \(what.rawValue) to \(out)") }
    }

    /// Walks the whole table a page at a time by key, through the services as the command line.
    static func export(_ what: What, services: Services, writer: ExportWriter) async throws -> Int {
        let actor = Actor.commandLine
        var cursor: String?
        var count = 0
        repeat {
            switch what {
            case .users:
                let page = try await services.users.list(actor, Store.UserQuery(limit: 100, cursor: cursor))
                if count == 0 { writer.header(["id", "email", "firstName", "lastName", "isActive", "roles", "createdAt"]) }
                for user in page.items {
                    writer.row(["id": .int(user.id), "email": .text(user.email), "firstName": .text(user.firstName), "lastName": .text(user.lastName),
                                "isActive": .bool(user.isActive), "roles": .list(user.roles), "createdAt": .text(Timestamp.string(user.createdAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .posts:
                let page = try await services.posts.list(actor, PostService.ListRequest(limit: 100, cursor: cursor))
                if count == 0 { writer.header(["id", "authorId", "title", "status", "tags", "content", "createdAt", "updatedAt"]) }
                for post in page.items {
                    writer.row(["id": .int(post.id), "authorId": .int(post.author.id), "title": .text(post.title), "status": .text(post.status.rawValue),
                                "tags": .list(post.tags), "content": .text(post.content), "createdAt": .text(Timestamp.string(post.createdAt)),
                                "updatedAt": .text(Timestamp.string(post.updatedAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .comments:
                let page = try await services.comments.moderationQueue(actor, limit: 100, cursor: cursor)
                if count == 0 { writer.header(["id", "postId", "authorId", "parentId", "status", "content", "createdAt"]) }
                for comment in page.items {
                    writer.row(["id": .int(comment.id), "postId": .int(comment.postID), "authorId": .int(comment.author.id),
                                "parentId": comment.parentID.map { .int($0) } ?? .null, "status": .text(comment.status.rawValue),
                                "content": .text(comment.content), "createdAt": .text(Timestamp.string(comment.createdAt))])
                }
                count += page.items.count; cursor = page.nextCursor
            case .events:
                let page = try await services.audit.list(actor, Store.SecurityEventQuery(limit: 100, cursor: cursor))
                if count == 0 { writer.header(["id", "time", "event", "userId", "actorId", "client", "details"]) }
                for event in page.items {
                    let details = event.details.keys.sorted().map { "\($0)=\(event.details[$0]!)" }.joined(separator: " ")
                    writer.row(["id": .int(event.id), "time": .text(Timestamp.string(event.createdAt)), "event": .text(event.event.rawValue),
                                "userId": event.userID.map { .int($0) } ?? .null, "actorId": event.actorID.map { .int($0) } ?? .null,
                                "client": .text(event.client), "details": .text(details)])
                }
                count += page.items.count; cursor = page.nextCursor
            }
        } while cursor != nil
        return count
    }
}

/// Writes rows as JSON lines or RFC 4180 CSV, buffered.
final class ExportWriter: @unchecked Sendable {
    // Used from one task at a time: the export loop awaits each page before writing it.
    enum Value { case int(Int64), text(String), bool(Bool), list([String]), null }

    let format: ExportCommand.Format
    let sink: FileHandle
    private var columns: [String] = []
    private var buffer = Data()

    init(format: ExportCommand.Format, sink: FileHandle) {
        self.format = format
        self.sink = sink
    }

    func header(_ columns: [String]) {
        self.columns = columns
        if format == .csv { append(columns.map(csvField).joined(separator: ",") + "\r\n") }
    }

    func row(_ values: [String: Value]) {
        switch format {
        case .jsonl:
            let fields = columns.map { key in "\"\(key)\":" + json(values[key] ?? .null) }
            append("{" + fields.joined(separator: ",") + "}\n")
        case .csv:
            let fields = columns.map { key -> String in
                switch values[key] ?? .null {
                case .int(let v): return String(v)
                case .text(let v): return csvField(v)
                case .bool(let v): return v ? "true" : "false"
                case .list(let v): return csvField(v.joined(separator: ";"))
                case .null: return ""
                }
            }
            append(fields.joined(separator: ",") + "\r\n")
        }
    }

    private func json(_ value: Value) -> String {
        switch value {
        case .int(let v): return String(v)
        case .bool(let v): return v ? "true" : "false"
        case .null: return "null"
        case .text(let v): return jsonString(v)
        case .list(let v): return "[" + v.map(jsonString).joined(separator: ",") + "]"
        }
    }

    private func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Quotes a field when it holds a comma, quote or line break; a leading = + - @ is
    /// prefixed with ' so that a spreadsheet does not run it as a formula.
    private func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    private func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    func flush() {
        sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

import Foundation
import StewardCore

/// `:export WHAT FORMAT PATH` from the console: the same tables and columns as
/// `steward export`, read a page at a time by key through the services *as the signed-in
/// account* (so a moderator cannot export security events: the service refuses and audits).
public enum ConsoleExport {
    public enum What: String, CaseIterable, Sendable { case users, posts, comments, securityEvents = "security-events" }
    public enum Format: String, CaseIterable, Sendable { case jsonl, csv }

    enum Value {
        case int(Int64), text(String), bool(Bool), list([String]), null

        var json: String {
            switch self {
            case .int(let value): return String(value)
            case .bool(let value): return value ? "true" : "false"
            case .null: return "null"
            case .text(let value): return ConsoleExport.jsonString(value)
            case .list(let values): return "[" + values.map(ConsoleExport.jsonString).joined(separator: ",") + "]"
            }
        }

        var csv: String {
            let raw: String
            switch self {
            case .int(let value): raw = String(value)
            case .bool(let value): raw = value ? "true" : "false"
            case .null: raw = ""
            case .text(let value): raw = value
            case .list(let values): raw = values.joined(separator: ",")
            }
            guard raw.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return raw }
            return "\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Writes the export to `path` (refusing to overwrite a file) and returns the row count.
    public static func export(_ what: What, format: Format, to path: String, services: Services, actor: Actor) async throws -> Int {
        guard !path.isEmpty else { throw StewardError.badInput(field: "path", "is required") }
        guard !FileManager.default.fileExists(atPath: path) else { throw StewardError.conflict("\(path) already exists; choose another file.") }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StewardError(.badInput, "cannot create \(path)")
        }
        defer { try? handle.close() }
        var text = ""
        var columns: [String] = []
        var count = 0
        func add(_ row: [(String, Value)]) {
            if columns.isEmpty {
                columns = row.map(\.0)
                if format == .csv { text += columns.joined(separator: ",") + "\n" }
            }
            switch format {
            case .jsonl: text += "{" + row.map { ConsoleExport.jsonString($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}\n"
            case .csv: text += row.map(\.1.csv).joined(separator: ",") + "\n"
            }
            count += 1
        }
        var cursor: String?
        repeat {
            switch what {
            case .users:
                let page = try await services.users.list(actor, Store.UserQuery(limit: 100, cursor: cursor))
                for user in page.items {
                    add([("id", .int(user.id)), ("email", .text(user.email)), ("firstName", .text(user.firstName)), ("lastName", .text(user.lastName)),
                         ("isActive", .bool(user.isActive)), ("roles", .list(user.roles)), ("createdAt", .text(Timestamp.string(user.createdAt)))])
                }
                cursor = page.nextCursor
            case .posts:
                let page = try await services.posts.list(actor, PostService.ListRequest(limit: 100, cursor: cursor))
                for post in page.items {
                    add([("id", .int(post.id)), ("authorId", .int(post.author.id)), ("title", .text(post.title)), ("status", .text(post.status.rawValue)),
                         ("tags", .list(post.tags)), ("content", .text(post.content)), ("createdAt", .text(Timestamp.string(post.createdAt))),
                         ("updatedAt", .text(Timestamp.string(post.updatedAt)))])
                }
                cursor = page.nextCursor
            case .comments:
                let page = try await services.comments.moderationQueue(actor, limit: 100, cursor: cursor)
                for comment in page.items {
                    add([("id", .int(comment.id)), ("postId", .int(comment.postID)), ("authorId", .int(comment.author.id)),
                         ("parentId", comment.parentID.map { .int($0) } ?? .null), ("status", .text(comment.status.rawValue)),
                         ("content", .text(comment.content)), ("createdAt", .text(Timestamp.string(comment.createdAt)))])
                }
                cursor = page.nextCursor
            case .securityEvents:
                let page = try await services.audit.list(actor, Store.SecurityEventQuery(limit: 100, cursor: cursor))
                for event in page.items {
                    let details = event.details.keys.sorted().map { "\($0)=\(event.details[$0]!)" }.joined(separator: " ")
                    add([("id", .int(event.id)), ("time", .text(Timestamp.string(event.createdAt))), ("event", .text(event.event.rawValue)),
                         ("userId", event.userID.map { .int($0) } ?? .null), ("actorId", event.actorID.map { .int($0) } ?? .null),
                         ("client", .text(event.client)), ("details", .text(details))])
                }
                cursor = page.nextCursor
            }
            // Written a page at a time: an export of a million rows never sits in memory.
            do { try handle.write(contentsOf: Data(text.utf8)) } catch {
                throw StewardError(.badInput, "cannot write \(path): \(error.localizedDescription)")
            }
            text = ""
        } while cursor != nil
        return count
    }
}

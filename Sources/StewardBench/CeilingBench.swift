import Foundation
import Hummingbird
import Logging

/// The framework's own ceiling on this machine: a bare Hummingbird application (no
/// middleware, no database, no logging) answering `GET /` with a fixed JSON body of the
/// size of a 20-post page. `make bench` loads it beside Steward and the Express peer in
/// the same run, so each Steward load reads as a share of what Hummingbird itself serves.
///
/// `steward-bench ceiling --port N [--bytes B] [--event-loop-executor]`: serves until
/// SIGTERM or SIGINT; with the flag its tasks run on the event loops, as `steward serve`'s do.
enum CeilingBench {
    static func run(_ arguments: [String]) async throws {
        var port = 8090
        var bytes = 10_240
        var words = arguments[...]
        while let word = words.popFirst() {
            switch word {
            case "--port": port = try number(words.popFirst(), for: word)
            case "--bytes": bytes = try number(words.popFirst(), for: word)
            case "--event-loop-executor": break   // installed by main, before any task
            default: throw BenchError("usage: steward-bench ceiling --port N [--bytes B] [--event-loop-executor]")
            }
        }
        let body = ByteBuffer(bytes: Array(Self.page(bytes: bytes).utf8))
        var logger = Logger(label: "ceiling")
        logger.logLevel = .critical
        let router = Router()
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil), logger: logger)
        try await app.runService()
    }

    /// A JSON array of posts-like objects filled up to `bytes` characters.
    static func page(bytes: Int) -> String {
        var items: [String] = []
        var length = 2
        var id = 1
        while length < bytes {
            let item = "{\"id\":\(id),\"title\":\"A post of the ceiling page\",\"status\":\"published\",\"content\":\"" + String(repeating: "x", count: 300) + "\"}"
            items.append(item)
            length += item.utf8.count + 1
            id += 1
        }
        return "{\"items\":[" + items.joined(separator: ",") + "]}"
    }

    private static func number(_ word: String?, for flag: String) throws -> Int {
        guard let word, let value = Int(word), value > 0 else { throw BenchError("\(flag) takes a positive number") }
        return value
    }
}

import Foundation
import Logging
import StewardCore
import StewardHTTP
import XCTest

/// The full API over real loopback HTTP: a fresh SQLite file in a temporary folder, the
/// services over it with ``StewardConfig/testing(databaseIn:)``, and a ``StewardServer``
/// listening on a free port.
final class APIWorld: @unchecked Sendable {
    let folder: URL
    let services: Services
    let server: StewardServer
    let listener: HTTPListener
    let logs: LogRecorder
    let port: Int

    static let password = "Str0ng!Passphrase"

    /// - Parameter configure: changes to the configuration (rate limit, login throttling…).
    static func start(file: StaticString = #filePath, line: UInt = #line,
                      _ configure: (inout StewardConfig) -> Void = { _ in }) async throws -> APIWorld {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = StewardConfig.testing(databaseIn: folder)
        config.logDirectory = folder.appendingPathComponent("logs").path
        config.rateLimit = RateLimit(requests: 100_000, windowSeconds: 60)
        configure(&config)
        let passwords = try CommonPasswords.builtIn
        let services = try Services.open(config: config, commonPasswords: passwords)
        let logs = LogRecorder()
        let server = StewardServer(services: services, logger: logs.logger())
        let listener = server.makeListener(host: "127.0.0.1", port: 0)
        listener.start()
        guard case .running(_, let port) = await listener.waitUntilStarted() else {
            XCTFail("the listener did not start: \(listener.state)", file: file, line: line)
            throw RawHTTPClient.Failure(description: "not started")
        }
        return APIWorld(folder: folder, services: services, server: server, listener: listener, logs: logs, port: port)
    }

    private init(folder: URL, services: Services, server: StewardServer, listener: HTTPListener, logs: LogRecorder, port: Int) {
        self.folder = folder
        self.services = services
        self.server = server
        self.listener = listener
        self.logs = logs
        self.port = port
    }

    func stop() async {
        await listener.stop()
        try? services.close()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Accounts

    /// A signed-in account: its id, email and access token.
    struct Account {
        var id: Int64
        var email: String
        var token: String
        var refreshToken: String
        var bearer: [(String, String)] { [("Authorization", "Bearer \(token)")] }
    }

    /// Creates an account with `role` through the services and signs it in over HTTP.
    func account(_ role: String, email: String? = nil) async throws -> Account {
        let address = email ?? "\(role)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let user = try await services.users.create(.commandLine, email: address, password: Self.password,
                                                   firstName: "Test", lastName: role.capitalized, roles: [role])
        let login = try await postJSON("/api/auth/login", #"{"email":"\#(address)","password":"\#(Self.password)"}"#)
        guard login.status == 200, let body = try? login.json(TokenPairBody.self) else {
            throw RawHTTPClient.Failure(description: "login failed: \(login.status) \(login.text)")
        }
        return Account(id: user.id, email: address, token: body.accessToken, refreshToken: body.refreshToken)
    }

    // MARK: Requests

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data? = nil) async throws -> RawResponse {
        try await RawHTTPClient.send(port: port, method, path, headers: headers, body: body)
    }

    func get(_ path: String, as account: Account? = nil, headers: [(String, String)] = []) async throws -> RawResponse {
        try await send("GET", path, headers: (account?.bearer ?? []) + headers)
    }

    /// `method path` with a JSON body, as `account` (bearer) or anonymously.
    func json(_ method: String, _ path: String, _ json: String = "{}", as account: Account? = nil,
              headers: [(String, String)] = []) async throws -> RawResponse {
        try await send(method, path, headers: [("Content-Type", "application/json")] + (account?.bearer ?? []) + headers,
                       body: Data(json.utf8))
    }

    func postJSON(_ path: String, _ body: String, as account: Account? = nil, headers: [(String, String)] = []) async throws -> RawResponse {
        try await json("POST", path, body, as: account, headers: headers)
    }

    func delete(_ path: String, as account: Account? = nil, headers: [(String, String)] = []) async throws -> RawResponse {
        try await send("DELETE", path, headers: (account?.bearer ?? []) + headers)
    }

    /// Creates a post through the API and returns its id.
    func createPost(as account: Account, title: String? = nil, status: String = "draft", tags: [String] = []) async throws -> Int64 {
        let title = title ?? "A post \(UUID().uuidString.prefix(8))"
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await postJSON("/api/posts", #"{"title":"\#(title)","content":"<p>Some content that is long enough.</p>","status":"\#(status)","tags":[\#(tagList)]}"#, as: account)
        guard response.status == 201 else { throw RawHTTPClient.Failure(description: "create post: \(response.status) \(response.text)") }
        return try response.json(PostBody.self).id
    }
}

/// Runs `body` against a fresh ``APIWorld`` and stops it afterwards, also when `body` throws.
func withAPI(file: StaticString = #filePath, line: UInt = #line,
             _ configure: (inout StewardConfig) -> Void = { _ in },
             _ body: (APIWorld) async throws -> Void) async throws {
    let world = try await APIWorld.start(file: file, line: line, configure)
    do {
        try await body(world)
    } catch {
        await world.stop()
        throw error
    }
    await world.stop()
}

// MARK: Answer shapes, as a client decodes them

struct UserBody: Decodable, Equatable {
    var id: Int64
    var email: String
    var firstName: String
    var lastName: String
    var isActive: Bool
    var roles: [String]
    var createdAt: String
}

struct MeBody: Decodable {
    var id: Int64
    var email: String
    var roles: [String]
    var permissions: [String]
}

struct TokenPairBody: Decodable {
    var accessToken: String
    var tokenType: String
    var expiresIn: Int
    var refreshToken: String
    var user: UserBody
}

struct AuthorBody: Decodable, Equatable {
    var id: Int64
    var firstName: String
    var lastName: String
}

struct PostBody: Decodable {
    var id: Int64
    var title: String
    var content: String
    var status: String
    var authorId: Int64
    var author: AuthorBody
    var tags: [String]
    var createdAt: String
    var updatedAt: String
}

struct CommentBody: Decodable {
    var id: Int64
    var postId: Int64
    var parentId: Int64?
    var content: String
    var status: String
    var authorId: Int64
    var author: AuthorBody
}

struct RoleBody: Decodable {
    var name: String
    var description: String
    var permissions: [String]
}

struct EventBody: Decodable {
    var id: Int64
    var time: String
    var event: String
    var userId: Int64?
    var actorId: Int64?
    var client: String
    var details: [String: String]
}

struct ListBody<Item: Decodable>: Decodable {
    var items: [Item]
    var nextCursor: String?
}

extension RawResponse {
    /// The `name=value` part of each `Set-Cookie`, by cookie name.
    var cookies: [String: String] {
        var found: [String: String] = [:]
        for line in headers(named: "Set-Cookie") {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            found[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return found
    }

    /// The whole `Set-Cookie` line of cookie `name`.
    func setCookie(_ name: String) -> String? {
        headers(named: "Set-Cookie").first { $0.hasPrefix(name + "=") }
    }

    var problem: ProblemBody? { try? json(ProblemBody.self) }

    /// True when the body is a JSON object with a non-null `key`, and `null` was sent explicitly.
    func hasNullField(_ key: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return object[key] is NSNull
    }
}

/// Asserts `response` is a problem with `status`, carrying the request id.
func XCTAssertProblem(_ response: RawResponse, _ status: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(response.status, status, response.text, file: file, line: line)
    XCTAssertEqual(response.header("Content-Type"), "application/problem+json", file: file, line: line)
    guard let problem = response.problem else {
        return XCTFail("not a problem body: \(response.text)", file: file, line: line)
    }
    XCTAssertEqual(problem.status, status, file: file, line: line)
    XCTAssertFalse(problem.requestId.isEmpty, file: file, line: line)
    XCTAssertEqual(problem.requestId, response.header("X-Request-Id"), file: file, line: line)
}

/// Asserts the status of a response; unlike `XCTAssertEqual`, takes an awaited argument.
func XCTAssertStatus(_ response: RawResponse, _ status: Int, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(response.status, status, "\(message) \(response.text)", file: file, line: line)
}

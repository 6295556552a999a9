import Foundation
import XCTest
@testable import StewardConsole
import StewardCore

/// Every screen of the console at 80×24 and 120×36, on the demo data with a fixed clock,
/// compared with the expected text in `Snapshots/`.
final class ConsoleScreenSnapshotTests: XCTestCase {
    private let sizes = [(80, 24), (120, 36)]

    private func snapshot(_ name: String, account: (String, String)? = ConsoleWorld.admin, file: StaticString = #filePath, line: UInt = #line,
                          _ steps: (ConsoleWorld) throws -> Void = { _ in }) throws {
        for (width, height) in sizes {
            let world = try ConsoleWorld(width: width, height: height)
            if let account {
                world.signIn(account)
                XCTAssertEqual(world.app.phase, .main, file: file, line: line)
            }
            try steps(world)
            world.expireMessages()
            Snapshot.assertMatches(world.render(), named: "screen-\(name)-\(width)x\(height)", file: file, line: line)
        }
    }

    func testSignIn() throws {
        try snapshot("signin", account: nil) { world in world.type("moderator@steward.test") }
    }

    func testSignInError() throws {
        try snapshot("signin-error", account: nil) { world in world.signIn((ConsoleWorld.moderator.0, "Wrong#Password1")) }
    }

    func testFirstRun() throws {
        for (width, height) in sizes {
            let world = try ConsoleWorld(demo: false, width: width, height: height)
            world.type("root")
            world.press(.tab)
            world.type("Ada")
            world.press(.enter)
            Snapshot.assertMatches(world.render(), named: "screen-firstrun-\(width)x\(height)")
        }
    }

    func testUsers() throws { try snapshot("users") }
    func testUserDetail() throws {
        try snapshot("user-detail") { world in
            world.command("search user@steward.test")
            world.press(.enter)
        }
    }
    func testRolesEditor() throws { try snapshot("users-roles") { world in world.command("search user@steward.test"); world.press(.char("e")) } }
    func testRoles() throws { try snapshot("roles") { world in world.press(.char("2"), .char("j"), .char(" ")) } }
    func testPosts() throws { try snapshot("posts", account: ConsoleWorld.moderator) { world in world.press(.char("3")) } }
    func testPostDetail() throws { try snapshot("post-detail", account: ConsoleWorld.moderator) { world in world.press(.char("3"), .char("s"), .enter) } }
    func testPostDeleteConfirm() throws { try snapshot("post-delete", account: ConsoleWorld.moderator) { world in world.press(.char("3"), .char("x")) } }
    func testComments() throws { try snapshot("comments", account: ConsoleWorld.moderator) { world in world.press(.char("4")) } }
    func testThread() throws { try snapshot("thread", account: ConsoleWorld.moderator) { world in world.press(.char("3"), .char("s"), .char("c")) } }
    func testHelp() throws { try snapshot("help", account: ConsoleWorld.moderator) { world in world.press(.char("3"), .char("?")) } }
    func testCommandLine() throws {
        try snapshot("command", account: ConsoleWorld.admin) { world in
            world.press(.char("3"), .char(":"))
            world.type("export posts csv /tmp/posts.csv")
        }
    }
    func testLogsTab() throws { try snapshot("logs") { world in world.press(.char("5")) } }
    // Sign-ins carry a random session id (`sid`), so the audit snapshots filter to the
    // seeding's events, and the sessions one is seen by a moderator (no logs:read, no events).
    func testAuditTab() throws {
        try snapshot("audit") { world in
            world.press(.char("6"), .char("/"))
            world.type("client:cli")
            world.press(.enter)
        }
    }
    func testAuditEvent() throws { try snapshot("audit-event") { world in world.press(.char("6")); world.command("filter client:cli"); world.press(.enter) } }
    func testUserDetailWithSessions() throws {
        try snapshot("user-sessions", account: ConsoleWorld.moderator) { world in
            let services = world.services
            for client in ["http", "http"] {
                _ = try BlockingCall.run {
                    try await services.auth.login(email: ConsoleWorld.user.0, password: ConsoleWorld.user.1, caller: .anonymous(client: client))
                }
            }
            world.command("search user@steward.test")
            world.press(.enter)
        }
    }
    func testUserAccountWithoutUsersRead() throws { try snapshot("users-denied", account: ConsoleWorld.user) }
    // Drill-down: the go-to menu over a comment, an author's posts, and a user's sessions
    // reached from a post (Esc's way back in the status bar).
    func testGoToMenu() throws { try snapshot("goto-menu", account: ConsoleWorld.moderator) { world in world.press(.char("4"), .enter, .char(">")) } }
    func testPostsOfOneAuthor() throws {
        try snapshot("posts-by-author", account: ConsoleWorld.moderator) { world in world.press(.char("3"), .char(">"), .char("a"), .char(">"), .char("p")) }
    }
    func testSessionsOfOneUser() throws {
        try snapshot("sessions-drill", account: ConsoleWorld.moderator) { world in
            let services = world.services
            _ = try BlockingCall.run {
                try await services.auth.login(email: ConsoleWorld.user.0, password: ConsoleWorld.user.1, caller: .anonymous(client: "http"))
            }
            world.command("search user@steward.test")
            world.press(.char(">"), .char("s"))
        }
    }
    func testMarkedComments() throws {
        try snapshot("comments-marked", account: ConsoleWorld.moderator) { world in world.press(.char("4"), .char(" "), .char("j"), .char(" ")) }
    }
}

/// Wide characters, resizing and the real loop.
final class ConsoleLayoutTests: XCTestCase {
    func testWideCharactersLineUpInThePostsTable() throws {
        let world = try ConsoleWorld(width: 100, height: 30)
        let services = world.services
        let admin = try BlockingCall.run { try await services.auth.consoleSignIn(email: ConsoleWorld.admin.0, password: ConsoleWorld.admin.1) }
        let actor = Caller.console(admin)
        for title in ["中文标题测试一下", "Emoji 🎉🎉 party time", "Ｆｕｌｌｗｉｄｔｈ ｔｉｔｌｅ"] {
            _ = try BlockingCall.run { try await services.posts.create(actor, title: title, content: "<p>Some wide content here.</p>", status: "draft") }
        }
        world.signIn(ConsoleWorld.admin)
        world.press(.char("3"))
        world.command("search wide content")
        let buffer = world.render()
        // The Author column starts at the same display column on every body row.
        let lines = buffer.lines()
        let header = try XCTUnwrap(lines.firstIndex { $0.contains("Title") && $0.contains("Author") })
        let authorColumn = try XCTUnwrap(DisplayWidth.of(String(lines[header][..<lines[header].range(of: "Author")!.lowerBound])))
        for row in (header + 1)...(header + 3) {
            let line = lines[row]
            let range = try XCTUnwrap(line.range(of: "Margit Halvorsen"), line)
            XCTAssertEqual(DisplayWidth.of(String(line[..<range.lowerBound])), authorColumn, line)
        }
        XCTAssertTrue(lines.contains { $0.contains("中文标题测试一下") })
    }

    func testResizeRedrawsAndTooSmallShowsANotice() throws {
        let world = try ConsoleWorld(width: 120, height: 36)
        world.signIn(ConsoleWorld.moderator)
        world.press(.char("3"))
        world.expireMessages()
        let terminal = HeadlessTerminal(width: 120, height: 36)
        let loop = TerminalLoop(backend: terminal, program: world.app)
        loop.start()
        XCTAssertEqual(terminal.screen?.width, 120)
        terminal.resize(width: 80, height: 24)
        loop.step()
        XCTAssertEqual(terminal.screen?.width, 80)
        XCTAssertEqual(terminal.screen?.height, 24)
        XCTAssertTrue(terminal.screen?.lines().last?.contains("HTTP off") ?? false, terminal.screen?.text() ?? "")
        terminal.resize(width: 60, height: 20)
        loop.step()
        XCTAssertTrue(terminal.screen?.text().contains("Steward needs at least 80×24") ?? false)
        terminal.resize(width: 100, height: 30)
        loop.step()
        XCTAssertTrue(terminal.screen?.text().contains("3 Posts") ?? false)
        XCTAssertEqual(world.app.screenArea, Rect(x: 0, y: 1, width: 100, height: 28))
    }

    func testTheRealLoopSignsInAndQuits() throws {
        let world = try ConsoleWorld(width: 80, height: 24)
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let loop = TerminalLoop(backend: terminal, program: world.app)
        loop.tickInterval = .milliseconds(5)
        terminal.enqueue(contentsOf: ConsoleWorld.moderator.0.map { .char($0) } + [.tab] + ConsoleWorld.moderator.1.map { .char($0) } + [.enter])
        let deadline = ContinuousClock.now + .seconds(20)
        while world.app.phase != .main && ContinuousClock.now < deadline { loop.step() }
        XCTAssertEqual(world.app.phase, .main)
        terminal.enqueue(.char("3"), .char("j"), .char("q"))
        loop.run()
        XCTAssertTrue(loop.hasQuit)
        XCTAssertTrue(terminal.screen?.text().contains("3 Posts") ?? false)
        XCTAssertGreaterThan(loop.timings.durations.count, 0)
    }

    func testControlCharactersInStoredTitlesAreInert() throws {
        let rows = [PostListing.row(Post(from: ["id": 1, "title": "Evil \u{1B}]0;pwned\u{07} \u{1B}[2J title"]))]
        var buffer = CellBuffer(width: 80, height: 3)
        var table = Table(columns: PostListing.columns, source: InMemoryTableSource(rows: rows))
        table.fit(to: buffer.area)
        table.render(into: &buffer, area: buffer.area, theme: .monochrome)
        let text = buffer.text()
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        XCTAssertTrue(text.contains("␛]0;pwned␇ ␛[2J"), text)
    }

    func testReadableTextKeepsParagraphsAndBullets() {
        let html = "<h1>Title</h1><p>First &amp; <strong>bold</strong>.</p><ul><li>one</li><li>two</li></ul><ol><li>a</li></ol><blockquote><p>quoted</p></blockquote><p>See <a href=\"https://x.test/\" rel=\"noopener\">this</a></p>"
        XCTAssertEqual(ReadableText.from(html: html), "Title\n\nFirst & bold.\n\n• one\n• two\n\n1. a\n\n│ quoted\n\nSee this <https://x.test/>")
    }
}

private extension Post {
    /// A post for rendering tests, decoded the way the API decodes one.
    init(from fields: [String: Any]) {
        let json: [String: Any] = [
            "id": fields["id"] ?? 1, "title": fields["title"] ?? "A title",
            "author": ["id": 1, "firstName": "Ada", "lastName": "Lovelace"],
            "content": "<p>x</p>", "status": "draft", "tags": [String](), "createdAt": 0, "updatedAt": 0,
        ]
        let data = try! JSONSerialization.data(withJSONObject: json)
        self = try! JSONDecoder().decode(Post.self, from: data)
    }
}

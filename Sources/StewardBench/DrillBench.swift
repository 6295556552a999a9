import Foundation
import StewardConsole
import StewardCore

/// Drill-down on a large database, through the real ``TerminalLoop`` on a
/// ``HeadlessTerminal`` at 120×36: for comments spread over the whole table, the time from
/// the key to the frame that shows the place *with its data* (the service answer included,
/// not just the key's first frame): `:open ID` on a comment, then its post (with the
/// thread), the post's author, their sessions, their posts, their comments and their
/// security events, and Esc back along the way; and the Audit tab's first page.
///
/// `steward-bench drill DB` where DB was filled by
/// `steward seed --users 10000 --posts 1000000 --comments 3000000` (account
/// admin@example.com, password Passw0rd!x).
enum DrillBench {
    static func run(_ arguments: [String]) async throws {
        guard let path = arguments.first else { throw BenchError("usage: steward-bench drill DATABASE") }
        print(try await ConsoleBench.onThreadOfItsOwn { try measure(path: path) })
    }

    private static func measure(path: String) throws -> String {
        let pipeline = try LogPipeline.bootstrap(logDirectory: nil)
        let clock = ContinuousClock()
        var config = StewardConfig()
        config.databasePath = path
        let services = try Services.open(config: config)
        let counts = try BlockingCall.run { () -> (posts: Int64, comments: Int64) in
            let post = try await services.posts.list(.commandLine, PostService.ListRequest(limit: 1)).items.first?.id ?? 0
            let comment = try await services.comments.moderationQueue(.commandLine, limit: 1).items.first?.id ?? 0
            return (post, comment)
        }
        guard counts.comments > 100 else { throw BenchError("the database has no comments to drill from") }
        let terminal = HeadlessTerminal(width: 120, height: 36)
        let app = ConsoleApp(options: ConsoleOptions(services: services, databasePath: path, logRing: pipeline.ring))
        let loop = TerminalLoop(backend: terminal, program: app)
        loop.start()
        try ConsoleBench.signInAsAdmin(loop, app, terminal)
        settle(loop, app)

        /// Sends `keys`, then steps the loop until the active tab shows `place` with no work
        /// left and the frame drawn; the time from the first key to that frame.
        func time(_ keys: [InputEvent], until place: (ConsoleLocation?) -> Bool) throws -> Duration {
            terminal.enqueue(contentsOf: keys)
            let started = clock.now
            let deadline = started + .seconds(10)
            while clock.now < deadline {
                loop.step()
                if terminal.pendingEvents.isEmpty && !app.isAwaitingWork && place(app.activeScreen?.location) { return clock.now - started }
            }
            throw BenchError("no frame showed the place after \(keys): \(terminal.screen?.text() ?? "")")
        }

        // Two walks over the same comments: the first meets pages the disk cache may not
        // hold (right after seeding, or after another large database was written), the
        // second the steady state of a console in use.
        var walks: [[String: [Duration]]] = [[:], [:]]
        var pass = 0
        var order: [String] = []
        func record(_ name: String, _ duration: Duration) {
            if !order.contains(name) { order.append(name) }
            walks[pass][name, default: []].append(duration)
        }

        // The Audit tab's first page, cold (the first time it is shown) and again.
        record("Audit tab, first page", try time([.char("6")]) { _ in app.activeIndex == 5 })
        terminal.enqueue(.char("4"))
        settle(loop, app)

        /// One walk from comment `id`: to its post, the author, their places, and back.
        func walk(from id: Int64) throws {
            record("`:open ID` a comment", try time([.char(":")] + "open \(id)".map { .char($0) } + [.enter]) { $0 == .comment(id) })
            guard let comment = (app.activeScreen as? CommentsScreen)?.shownComment else { return }
            let post = comment.postID
            record("→ its post, with the thread", try time([.char(">"), .char("p")]) { $0 == .post(post) })
            record("→ the post's author", try time([.char(">"), .char("a")]) { if case .user = $0 { true } else { false } })
            guard case .user(let author) = app.activeScreen?.location else { return }
            record("→ their sessions", try time([.char(">"), .char("s")]) { $0 == .sessions(userID: author) })
            record("Esc back to the author", try time([.escape]) { $0 == .user(author) })
            record("→ their posts (first page)", try time([.char(">"), .char("p")]) { if case .posts = $0 { true } else { false } })
            record("Esc back to the author", try time([.escape]) { $0 == .user(author) })
            record("→ their comments (first page)", try time([.char(">"), .char("c")]) { if case .comments = $0 { true } else { false } })
            record("Esc back to the author", try time([.escape]) { $0 == .user(author) })
            record("→ their security events (Audit)", try time([.char(">"), .char("e")]) { $0 == .audit(filter: "user:\(author)") })
            record("Esc back to the author", try time([.escape]) { $0 == .user(author) })
            record("Esc back to the post", try time([.escape]) { $0 == .post(post) })
            record("Esc back to the comment", try time([.escape]) { $0 == .comment(id) })
        }

        let samples = 30
        for walkIndex in 0..<2 {
            pass = walkIndex
            // Comments spread over the whole id range, newest to oldest.
            for sample in 0..<samples {
                try walk(from: max(1, counts.comments - Int64(sample) * (counts.comments / Int64(samples))))
            }
        }
        terminal.enqueue(.char("q"))
        loop.run()

        func row(_ name: String, _ results: [String: [Duration]]) -> String {
            "| \(name) | " + ConsoleBench.summary(results[name] ?? []) + " |"
        }
        var lines = [
            "## Console: drill-down on a million posts",
            "",
            "The real `TerminalLoop` on a headless 120×36 terminal, signed in as an admin, on \(counts.posts) posts and \(counts.comments) comments: "
                + "\(samples) comments spread over the whole table, each opened by id and followed to its post, author and the author's places, then Esc back. "
                + "Each figure runs from the key to the frame that shows the place with its data (the service calls included). Target: every one within 50 ms.",
        ]
        for (index, title) in ["First walk (pages may be cold: read from disk)", "Second walk over the same places (warm)"].enumerated() {
            lines += ["", "**\(title)**", "", "| step | times | p50 | p99 | max |", "|---|---|---|---|---|"]
            lines += order.map { row($0, walks[index]) }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// Steps the loop until no work is left.
    private static func settle(_ loop: TerminalLoop<ConsoleApp>, _ app: ConsoleApp) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        repeat { loop.step() } while app.isAwaitingWork && clock.now < deadline
    }
}

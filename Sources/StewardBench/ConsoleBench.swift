import Foundation
import StewardConsole
import StewardCore

/// The console on a large database, through the real ``TerminalLoop`` on a
/// ``HeadlessTerminal`` at 120×36: time to the first frame, key-to-frame time while
/// scrolling the Posts tab with PgDn and `j` (every key gets its own frame), and the
/// process's peak memory.
///
/// `steward-bench console DB` where DB was filled by
/// `steward seed --users 1000 --posts 1000000 --comments 0` (account admin@example.com,
/// password Passw0rd!x).
enum ConsoleBench {
    static func run(_ arguments: [String]) async throws {
        guard let path = arguments.first else { throw BenchError("usage: steward-bench console DATABASE") }
        // The loop blocks its thread on input: give it a thread of its own, never one of the
        // cooperative pool's. Table pages load off the loop since the browse-table rework,
        // so a step's time is key → frame; a page that was not loaded yet shows up a tick
        // later (the figures below do not include that wait).
        print(try await onThreadOfItsOwn { try measure(path: path) })
    }

    /// Runs `work` on a new thread and waits for it: a `TerminalLoop` blocks its thread,
    /// which must never be one of the cooperative pool's.
    static func onThreadOfItsOwn(_ work: @escaping @Sendable () throws -> String) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Signs in as the generated admin (admin@example.com, Passw0rd!x) through the keys.
    static func signInAsAdmin(_ loop: TerminalLoop<ConsoleApp>, _ app: ConsoleApp, _ terminal: HeadlessTerminal) throws {
        terminal.enqueue(contentsOf: "admin@example.com".map { .char($0) } + [.tab] + "Passw0rd!x".map { .char($0) } + [.enter])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while app.phase != .main && clock.now < deadline { loop.step() }
        guard app.phase == .main else { throw BenchError("could not sign in as admin@example.com: \(terminal.screen?.text() ?? "")") }
    }

    private static func measure(path: String) throws -> String {
        // Log lines (the sign-in's audit event) go to the pipeline, not to this report.
        let pipeline = try LogPipeline.bootstrap(logDirectory: nil)
        let clock = ContinuousClock()
        let opened = clock.now
        var config = StewardConfig()
        config.databasePath = path
        let services = try Services.open(config: config)
        let postCount = try BlockingCall.run { try await services.posts.list(.commandLine, PostService.ListRequest(limit: 1)).items.first?.id ?? 0 }
        let terminal = HeadlessTerminal(width: 120, height: 36)
        let app = ConsoleApp(options: ConsoleOptions(services: services, databasePath: path, logRing: pipeline.ring))
        let loop = TerminalLoop(backend: terminal, program: app)
        loop.maxEventsPerFrame = 1
        loop.start()
        let firstFrame = clock.now - opened

        try signInAsAdmin(loop, app, terminal)

        // The Posts tab: its first page of a million posts.
        terminal.enqueue(.char("3"))
        let tabStarted = clock.now
        loop.step()
        let postsFirstFrame: Duration? = clock.now - tabStarted

        /// Sends `key` `times` times, one step of the loop each, and keeps the time of each
        /// step that consumed the key and drew a frame (key read → frame handed over).
        func scroll(_ key: InputEvent, times: Int) -> [Duration] {
            var durations: [Duration] = []
            for _ in 0..<times {
                terminal.enqueue(key)
                let draws = terminal.drawCount
                let started = clock.now
                loop.step()
                if terminal.pendingEvents.isEmpty && terminal.drawCount > draws { durations.append(clock.now - started) }
            }
            return durations
        }
        let pageDown = scroll(.pageDown, times: 1_000)
        let down = scroll(.char("j"), times: 2_000)
        let pageUp = scroll(.pageUp, times: 500)
        let jumps = scroll(.char("G"), times: 1) + scroll(.char("g"), times: 1)
        // Let the first page arrive (pages load off the loop) before asking what is selected.
        let settleDeadline = clock.now + .seconds(10)
        while app.isAwaitingWork && clock.now < settleDeadline { loop.step() }
        let selected = (app.activeScreen as? PostsScreen)?.selectedPost?.id

        terminal.enqueue(.char("q"))
        loop.run()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024

        func row(_ name: String, _ values: [Duration], target: String) -> String {
            "| \(name) | " + summary(values) + " | \(target) |"
        }
        var lines = [
            "## Console: scrolling a million posts",
            "",
            "The real `TerminalLoop` on a headless 120×36 terminal, signed in as an admin, on \(postCount) posts; one frame per key. "
                + "Key-to-frame is one loop step: reading the key, updating (table paging by keyset query included), drawing the frame and handing it to the terminal.",
            "",
            "| keys | frames | p50 | p99 | max | target |",
            "|---|---|---|---|---|---|",
            row("PgDn (×1,000, ~34,000 rows deep)", pageDown, target: "p99 ≤ 16 ms"),
            row("`j` (×2,000)", down, target: "p99 ≤ 16 ms"),
            row("PgUp (×500)", pageUp, target: "p99 ≤ 16 ms"),
            row("`G` then `g` (last and first post)", jumps, target: "–"),
            "",
            "- Time to first frame (open the database, draw the sign-in screen): **\(ms(firstFrame))** (target ≤ 300 ms)",
            "- Posts tab, first frame after `3` (first page of \(postCount) posts): **\(postsFirstFrame.map(ms) ?? "n/a")**",
            "- Peak memory (ru_maxrss): **\(String(format: "%.1f", peakMiB)) MiB** (target ≤ 100 MB)",
            "- Row selected at the end: post \(selected.map(String.init) ?? "none")",
        ]
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// `count | p50 | p99 | max` of `values`, as the cells of a Markdown row.
    static func summary(_ values: [Duration]) -> String {
        let sorted = values.sorted()
        guard let last = sorted.last else { return "0 | – | – | –" }
        func at(_ fraction: Double) -> Duration { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))] }
        return "\(sorted.count) | \(ms(at(0.5))) | \(ms(at(0.99))) | \(ms(last))"
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.2f ms", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }
}

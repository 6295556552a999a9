import Foundation
import XCTest
@testable import StewardConsole

/// A small program: a counter that `+` increments, `.` leaves alone (and says so), and `q`
/// quits. It draws its count and the size it was told.
private struct CounterProgram: ConsoleProgram {
    var count = 0
    var size = (width: 0, height: 0)
    var events: [InputEvent] = []

    mutating func update(_ event: InputEvent) -> ConsoleCommand {
        if event != .tick { events.append(event) }
        switch event {
        case .char("+"):
            count += 1
            return .redraw
        case .char("q"):
            return .quit
        case .resize(let width, let height):
            size = (width, height)
            return .redraw
        default:
            return .unchanged
        }
    }

    func view(into buffer: inout CellBuffer) {
        buffer.put("count \(count) at \(size.width)×\(size.height)", x: 0, y: 0, style: .plain)
    }
}

/// A program whose answers arrive off the loop: `w` starts "work" that `answers` finish.
private final class WaitingProgram: ConsoleProgram {
    var waiting = 0
    var answers = 0
    var collected = 0

    func update(_ event: InputEvent) -> ConsoleCommand {
        if event == .char("w") { waiting += 1 }
        return .unchanged
    }

    var isAwaitingWork: Bool { waiting > 0 }

    func collectFinishedWork() -> ConsoleCommand {
        guard answers > 0 else { return .unchanged }
        collected += answers
        waiting -= answers
        answers = 0
        return .redraw
    }

    func view(into buffer: inout CellBuffer) {
        buffer.put("collected \(collected)", x: 0, y: 0, style: .plain)
    }
}

final class TerminalLoopTests: XCTestCase {
    func testAnswersOfWorkAreDrawnBeforeTheNextTick() {
        let terminal = HeadlessTerminal(events: [.char("w")])
        let program = WaitingProgram()
        let loop = TerminalLoop(backend: terminal, program: program)
        loop.tickInterval = .seconds(3_600)  // no tick during the test: only the poll can draw
        loop.start()
        loop.step()
        XCTAssertEqual(terminal.drawCount, 1, "nothing answered yet: no frame")
        program.answers = 1
        loop.step()
        XCTAssertEqual(program.collected, 1)
        XCTAssertEqual(terminal.drawCount, 2)
        XCTAssertEqual(terminal.screen?.lines().first, "collected 1")
        XCTAssertFalse(program.isAwaitingWork)
    }
    func testTheFirstEventIsTheSizeAndTheFirstFrameIsDrawn() {
        let terminal = HeadlessTerminal(width: 100, height: 30)
        let loop = TerminalLoop(backend: terminal, program: CounterProgram())
        loop.start()
        XCTAssertEqual(loop.program.events, [.resize(width: 100, height: 30)])
        XCTAssertEqual(terminal.drawCount, 1)
        XCTAssertEqual(terminal.screen?.lines().first, "count 0 at 100×30")
    }

    func testRunsUntilQuitAndRedrawsOnlyWhenTheModelChanged() {
        let terminal = HeadlessTerminal(events: [.char("+"), .char("."), .char("+"), .char("q")])
        let loop = TerminalLoop(backend: terminal, program: CounterProgram())
        loop.maxEventsPerFrame = 1
        let final = loop.run()
        XCTAssertEqual(final.count, 2)
        XCTAssertTrue(loop.hasQuit)
        XCTAssertEqual(terminal.drawCount, 3, "first frame and one per +, none for the unchanged key")
        XCTAssertEqual(loop.timings.durations.count, 2, "one key-to-frame time per drawn key")
        XCTAssertFalse(loop.step(), "a quit loop stays quit")
        XCTAssertFalse(terminal.isShutDown, "the backend's owner shuts it down")
    }

    func testQueuedEventsAreCoalescedIntoOneFrame() {
        let terminal = HeadlessTerminal(events: Array(repeating: .char("+"), count: 10))
        let loop = TerminalLoop(backend: terminal, program: CounterProgram())
        loop.start()
        loop.step()
        XCTAssertEqual(loop.program.count, 10)
        XCTAssertEqual(terminal.drawCount, 2)
        XCTAssertEqual(terminal.screen?.lines().first, "count 10 at 80×24")
    }

    func testResizeRedrawsAtTheNewSize() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let loop = TerminalLoop(backend: terminal, program: CounterProgram())
        loop.start()
        terminal.resize(width: 132, height: 40)
        loop.step()
        XCTAssertEqual(terminal.screen?.width, 132)
        XCTAssertEqual(terminal.screen?.height, 40)
        XCTAssertEqual(terminal.screen?.lines().first, "count 0 at 132×40")
    }

    func testTooSmallTerminalShowsTheNoticeAndStillTakesKeys() {
        let terminal = HeadlessTerminal(width: 60, height: 20)
        let loop = TerminalLoop(backend: terminal, program: CounterProgram())
        loop.start()
        XCTAssertTrue(loop.isTooSmall)
        let text = terminal.screen!.lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(text.contains("Steward needs at least 80×24; this terminal is 60×20."), text)
        XCTAssertFalse(text.contains("count"))

        terminal.enqueue(.char("+"))
        loop.step()
        XCTAssertEqual(loop.program.count, 1, "events still reach the program")

        terminal.resize(width: 80, height: 24)
        loop.step()
        XCTAssertFalse(loop.isTooSmall)
        XCTAssertEqual(terminal.screen?.lines().first, "count 1 at 80×24")

        terminal.resize(width: 79, height: 24)
        loop.step()
        XCTAssertTrue(terminal.screen!.text().contains("this terminal is 79×24"))

        terminal.enqueue(.char("q"))
        XCTAssertFalse(loop.step(), "q quits even while the notice shows")
    }

    func testTicksArriveWhenIdle() {
        struct TickCounter: ConsoleProgram {
            var ticks = 0
            mutating func update(_ event: InputEvent) -> ConsoleCommand {
                if event == .tick { ticks += 1 }
                return ticks >= 3 ? .quit : .unchanged
            }
            func view(into buffer: inout CellBuffer) {}
        }
        let terminal = HeadlessTerminal()
        let loop = TerminalLoop(backend: terminal, program: TickCounter())
        loop.tickInterval = .milliseconds(5)
        let started = ContinuousClock.now
        // The headless terminal returns at once when idle, so the loop spins until ticks
        // are due; three ticks take at least two intervals.
        let final = loop.run()
        XCTAssertEqual(final.ticks, 3)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(10))
    }

    func testFrameTimingsKeepTheLastN() {
        var timings = FrameTimings(capacity: 3)
        for milliseconds in [5, 1, 9, 3] { timings.record(.milliseconds(milliseconds)) }
        XCTAssertEqual(timings.durations, [.milliseconds(1), .milliseconds(9), .milliseconds(3)])
        XCTAssertEqual(timings.percentile(0.5), .milliseconds(3))
        XCTAssertEqual(timings.maximum, .milliseconds(9))
        XCTAssertEqual(timings.last, .milliseconds(3))
        XCTAssertNil(FrameTimings().percentile(0.5))
    }
}

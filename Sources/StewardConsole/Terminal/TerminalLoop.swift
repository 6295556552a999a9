/// What a program tells the loop after handling an event.
public enum ConsoleCommand: Equatable, Sendable {
    /// Nothing visible changed; the loop skips drawing (a tick with nothing new).
    case unchanged
    /// The model changed; draw a new frame.
    case redraw
    /// Leave the loop.
    case quit
}

/// A console application in the Elm / Bubble Tea shape: state that changes only in
/// ``update(_:)``, and a ``view(into:)`` that draws the state and nothing else.
///
/// Keeping drawing free of side effects is what lets the loop skip frames, tests render
/// any state at any size, and the terminal backend diff one frame against the last.
public protocol ConsoleProgram {
    /// Applies one event to the state and says whether to redraw or quit. The first event
    /// is always `.resize` with the terminal's size, so layout is known before drawing.
    mutating func update(_ event: InputEvent) -> ConsoleCommand
    /// Draws the current state into `buffer`, which is the size of the terminal and blank.
    func view(into buffer: inout CellBuffer)
    /// Whether work the program started off the loop may have answers waiting: the loop
    /// then waits for input only briefly (``TerminalLoop/workPollInterval``) and collects
    /// them, so an answer is on screen within milliseconds rather than at the next tick.
    var isAwaitingWork: Bool { get }
    /// Takes the answers of finished work; whether to redraw (or quit).
    mutating func collectFinishedWork() -> ConsoleCommand
}

extension ConsoleProgram {
    public var isAwaitingWork: Bool { false }
    public mutating func collectFinishedWork() -> ConsoleCommand { .unchanged }
}

/// The last few key-to-frame times of a loop: from the moment an input event was read to
/// the moment the frame it caused was on the terminal. Ticks and resizes do not count.
public struct FrameTimings: Sendable {
    /// How many durations are kept; older ones are dropped.
    public let capacity: Int
    /// The kept durations, oldest first.
    public private(set) var durations: [Duration] = []

    public init(capacity: Int = 512) {
        self.capacity = max(1, capacity)
    }

    public mutating func record(_ duration: Duration) {
        durations.append(duration)
        if durations.count > capacity { durations.removeFirst(durations.count - capacity) }
    }

    public var last: Duration? { durations.last }
    public var maximum: Duration? { durations.max() }

    /// The duration below which `fraction` (0…1) of the kept durations fall: 0.5 is the
    /// median, 0.95 the 95th percentile. Nil when nothing was recorded.
    public func percentile(_ fraction: Double) -> Duration? {
        guard !durations.isEmpty else { return nil }
        let sorted = durations.sorted()
        let rank = Int((Double(sorted.count - 1) * min(max(fraction, 0), 1)).rounded())
        return sorted[rank]
    }
}

/// Runs a ``ConsoleProgram`` on a ``TerminalBackend``: waits for input, feeds it to the
/// program, draws when the program says so.
///
/// - Input waits time out at the next tick, so `.tick` arrives every ``tickInterval``
///   even while keys are flowing, and live views stay live.
/// - Events that are already waiting are handled together before drawing (up to
///   ``maxEventsPerFrame``), so a held-down key does not queue up frames.
/// - A resize always redraws. Below ``minimumWidth``×``minimumHeight`` the loop draws the
///   too-small ``Notice`` instead of the program's view, and still passes every event to
///   the program (so `q` quits).
/// - ``timings`` keeps the last key-to-frame durations for benchmarks.
///
/// The loop never calls ``TerminalBackend/shutdown()``: whoever created the backend
/// restores the terminal, also when the program throws or quits early.
public final class TerminalLoop<Program: ConsoleProgram> {
    public private(set) var program: Program
    public let backend: any TerminalBackend
    /// The theme of the too-small notice (the program draws everything else itself).
    public var theme: Theme
    public var minimumWidth: Int = 80
    public var minimumHeight: Int = 24
    public var tickInterval: Duration = .milliseconds(100)
    /// How long an input wait lasts while the program awaits work (a page, a drill-down):
    /// short, so the answer is drawn as soon as it comes, without a thread to wake the loop.
    public var workPollInterval: Duration = .milliseconds(2)
    /// Most events handled before a frame is drawn; 1 draws after every event.
    public var maxEventsPerFrame: Int = 32
    public private(set) var timings = FrameTimings()
    /// Frames handed to the backend so far.
    public private(set) var framesDrawn = 0
    public private(set) var hasQuit = false

    private let clock = ContinuousClock()
    private var lastTick: ContinuousClock.Instant
    private var started = false

    public init(backend: any TerminalBackend, program: Program, theme: Theme = .monochrome) {
        self.backend = backend
        self.program = program
        self.theme = theme
        lastTick = clock.now
    }

    /// Runs `program` on `backend` until it quits, and returns its final state.
    @discardableResult
    public static func run(backend: any TerminalBackend, program: Program, theme: Theme = .monochrome) -> Program {
        let loop = TerminalLoop(backend: backend, program: program, theme: theme)
        return loop.run()
    }

    /// Steps until the program quits; returns its final state.
    @discardableResult
    public func run() -> Program {
        while step() {}
        return program
    }

    /// Whether the terminal is too small for the program right now.
    public var isTooSmall: Bool {
        let size = backend.size
        return size.width < minimumWidth || size.height < minimumHeight
    }

    /// Tells the program the terminal size and draws the first frame. ``step()`` calls
    /// this itself the first time.
    public func start() {
        guard !started else { return }
        started = true
        lastTick = clock.now
        let size = backend.size
        if program.update(.resize(width: size.width, height: size.height)) == .quit {
            hasQuit = true
            return
        }
        drawFrame()
    }

    /// Waits for input (at most until the next tick), handles it, and draws if needed.
    /// Returns false once the program has quit.
    @discardableResult
    public func step() -> Bool {
        if !started { start() }
        guard !hasQuit else { return false }
        let awaitingWork = program.isAwaitingWork
        var untilTick = lastTick + tickInterval - clock.now
        if awaitingWork { untilTick = min(untilTick, workPollInterval) }
        let waitMilliseconds = max(0, Int((untilTick / .milliseconds(1)).rounded(.up)))
        var needsFrame = false
        var firstInputAt: ContinuousClock.Instant?
        var handled = 0
        var next = backend.nextEvent(timeoutMilliseconds: waitMilliseconds)
        while let event = next {
            if firstInputAt == nil, event != .tick { firstInputAt = clock.now }
            guard handle(event, needsFrame: &needsFrame) else { return false }
            if case .resize = event { needsFrame = true }
            handled += 1
            next = handled < maxEventsPerFrame ? backend.nextEvent(timeoutMilliseconds: 0) : nil
        }
        if clock.now - lastTick >= tickInterval {
            lastTick = clock.now
            guard handle(.tick, needsFrame: &needsFrame) else { return false }
        } else if awaitingWork {
            switch program.collectFinishedWork() {
            case .quit:
                hasQuit = true
                return false
            case .redraw: needsFrame = true
            case .unchanged: break
            }
        }
        if needsFrame {
            drawFrame()
            if let firstInputAt { timings.record(clock.now - firstInputAt) }
        }
        return true
    }

    /// Hands one event to the program, noting whether a frame is due; false once it quit.
    private func handle(_ event: InputEvent, needsFrame: inout Bool) -> Bool {
        switch program.update(event) {
        case .quit:
            hasQuit = true
            return false
        case .redraw:
            needsFrame = true
        case .unchanged:
            break
        }
        return true
    }

    /// Renders the program (or the too-small notice) at the backend's size and draws it.
    private func drawFrame() {
        let size = backend.size
        var buffer = CellBuffer(width: size.width, height: size.height)
        if isTooSmall {
            Notice.terminalTooSmall(width: size.width, height: size.height, minimumWidth: minimumWidth, minimumHeight: minimumHeight)
                .render(into: &buffer, area: buffer.area, theme: theme)
        } else {
            program.view(into: &buffer)
        }
        backend.draw(buffer)
        framesDrawn += 1
    }
}

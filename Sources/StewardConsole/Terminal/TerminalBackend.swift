import Foundation

/// A terminal the console can draw on and read from.
///
/// ``NcursesTerminal`` is the real one; ``HeadlessTerminal`` plays scripted input and keeps
/// the frames for tests. All calls come from one thread (the console's main thread):
/// ncurses is not thread-safe, and a backend is not `Sendable`. A backend is also the
/// console's way to the clipboard (``TerminalClipboard``): the terminal holds it.
public protocol TerminalBackend: TerminalClipboard {
    /// Columns and rows right now.
    var size: (width: Int, height: Int) { get }
    /// What colours the terminal can show; pick the theme with ``Theme/adapted(to:)``.
    var colorSupport: ColorSupport { get }
    /// Shows `buffer`, sending only what differs from the last frame drawn.
    func draw(_ buffer: CellBuffer)
    /// The next input event, waiting at most `timeoutMilliseconds` (0 = do not wait).
    /// Nil when nothing arrived in time.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Gives the terminal back as it was. Safe to call more than once.
    func shutdown()
}

/// A ``TerminalBackend`` for tests: input comes from a queue, frames are kept.
///
/// A `.resize` event in the queue changes ``size`` when it is delivered, the way a real
/// terminal's size changes just before it reports the resize. When the queue is empty,
/// ``nextEvent(timeoutMilliseconds:)`` returns nil at once (as if the timeout passed).
public final class HeadlessTerminal: TerminalBackend {
    public private(set) var size: (width: Int, height: Int)
    public var colorSupport: ColorSupport
    /// Events not yet delivered, next first.
    public private(set) var pendingEvents: [InputEvent]
    /// The last frame drawn, as the "screen" shows it.
    public private(set) var screen: CellBuffer?
    /// How many times ``draw(_:)`` was called.
    public private(set) var drawCount = 0
    public private(set) var isShutDown = false
    /// Whether the "terminal" takes OSC 52; false plays one that does not (the console
    /// must then say where to read the text instead).
    public var acceptsClipboard: Bool
    /// Every OSC 52 sequence the console sent, oldest first, exactly as a terminal would
    /// have received it.
    public private(set) var clipboardSequences: [String] = []

    public init(width: Int = 80, height: Int = 24, colorSupport: ColorSupport = .colors(256), events: [InputEvent] = [],
                acceptsClipboard: Bool = true) {
        size = (width, height)
        self.colorSupport = colorSupport
        pendingEvents = events
        self.acceptsClipboard = acceptsClipboard
    }

    /// Adds events to the end of the queue.
    public func enqueue(_ events: InputEvent...) {
        pendingEvents += events
    }

    /// Adds events to the end of the queue.
    public func enqueue(contentsOf events: [InputEvent]) {
        pendingEvents += events
    }

    /// Queues a resize to `width`×`height`, as if the window were dragged.
    public func resize(width: Int, height: Int) {
        pendingEvents.append(.resize(width: width, height: height))
    }

    public func draw(_ buffer: CellBuffer) {
        screen = buffer
        drawCount += 1
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard !pendingEvents.isEmpty else { return nil }
        let event = pendingEvents.removeFirst()
        if case .resize(let width, let height) = event {
            size = (width, height)
        }
        return event
    }

    public func shutdown() {
        isShutDown = true
    }

    public func setClipboard(_ text: String) -> ClipboardOutcome {
        guard acceptsClipboard else { return .unavailable("This terminal has no clipboard") }
        if let refusal = OSC52.refusal(for: text) { return .unavailable(refusal) }
        clipboardSequences.append(OSC52.sequence(for: text))
        return .sent
    }

    /// The text of the last copy, decoded from its sequence's base64.
    public var clipboard: String? {
        guard let sequence = clipboardSequences.last,
              let start = sequence.range(of: ";c;")?.upperBound,
              let data = Data(base64Encoded: String(sequence[start...].dropLast())) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

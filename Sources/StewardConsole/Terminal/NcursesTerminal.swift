import CNcurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a terminal could not be opened.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The real terminal, through ncurses (wide-character build). This is the only file that
/// talks to ncurses; everything above it deals in ``CellBuffer`` and ``InputEvent``.
///
/// Setup: the locale from the environment (UTF-8 text needs it), then `newterm` on the
/// standard streams, or on `/dev/tty` when they are redirected, so a console started with
/// its output piped still draws on the terminal and never into the pipe. Input is in
/// cbreak mode (or raw, see ``Options/rawInput``) without echo, with keypad decoding and
/// a 25 ms escape delay so Esc alone responds quickly while Alt-sequences still decode.
/// The hardware cursor is hidden; widgets draw their own.
///
/// Colour: with `NO_COLOR` set (to anything non-empty) or a terminal without colours,
/// ``colorSupport`` is `.none` and no colour is ever sent; otherwise the terminal's default
/// colours are kept (`use_default_colors`) and 256 colours are used when the terminal has
/// them. Colour pairs are allocated on first use and cached.
///
/// Drawing: each frame is compared with the previous one and only changed cells are sent,
/// each as a complex character (`setcchar` + `mvwadd_wch`) so combining marks stay with
/// their base and wide characters take their two columns; `doupdate` then sends the
/// minimal update.
///
/// Restoring the terminal: ``shutdown()`` calls `endwin`. Crash signals (SIGSEGV, SIGBUS,
/// SIGILL, SIGFPE, SIGABRT, which is also what `fatalError` and failed preconditions end
/// in) are caught from the start, and ``installSignalRestorers()`` adds SIGINT, SIGTERM and
/// SIGHUP. A signal handler may only call async-signal-safe functions and `endwin` is not
/// one (it takes ncurses' and stdio's locks and may allocate), so the handlers do what
/// `endwin` does by hand: they write the terminal's reset sequence (leave the alternate
/// screen, normal cursor, attributes off, keypad and mouse reporting off), captured from
/// terminfo at start-up, with `write(2)`, and put back the terminal modes saved at start-up
/// with `tcsetattr`. Crash signals then go on to the handler that was there before (the
/// Swift runtime's backtracer prints onto a sane screen) and end the process with the
/// default action; the others go straight to the default action.
public final class NcursesTerminal: TerminalBackend {
    public struct Options: Sendable {
        /// Raw mode: Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys instead of signals.
        public var rawInput: Bool
        /// Report clicks and the wheel.
        public var mouse: Bool
        /// How long ncurses waits after Esc for the rest of a key sequence.
        public var escapeDelayMilliseconds: Int

        public init(rawInput: Bool = false, mouse: Bool = true, escapeDelayMilliseconds: Int = 25) {
            self.rawInput = rawInput
            self.mouse = mouse
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
        }
    }

    public let colorSupport: ColorSupport
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    /// The `/dev/tty` stream when the standard streams are not the terminal.
    private let ttyFile: UnsafeMutablePointer<FILE>?
    private var lastFrame: CellBuffer?
    private var colorPairs: [ColorPairKey: Int16] = [:]
    private var nextColorPair: Int16 = 1
    private var renditions: [Style: (attributes: attr_t, pair: Int16)] = [:]
    private var hasDefaultColors = false
    private var isShutDown = false
    /// The descriptor ncurses writes the screen to, where OSC 52 goes too.
    private let outputDescriptor: Int32
    /// `TERM` at start-up, to know whether OSC 52 is worth sending.
    private let terminalType: String?

    private struct ColorPairKey: Hashable {
        let foreground: Int16
        let background: Int16
    }

    /// Opens the terminal and takes it over. Throws when there is no terminal (no TTY, or
    /// an unknown `TERM`).
    public init(options: Options = Options()) throws {
        setlocale(LC_ALL, "")
        let standardStreamsAreTerminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        var input: UnsafeMutablePointer<FILE>
        var output: UnsafeMutablePointer<FILE>
        if standardStreamsAreTerminal {
            ttyFile = nil
            input = steward_stdin()
            output = steward_stdout()
        } else {
            guard let tty = fopen("/dev/tty", "r+") else {
                throw TerminalError(description: "no terminal: standard input or output is redirected and /dev/tty cannot be opened")
            }
            ttyFile = tty
            input = tty
            output = tty
        }
        let inputDescriptor = fileno(input)
        let outputDescriptor = fileno(output)
        self.outputDescriptor = outputDescriptor
        terminalType = getenv("TERM").map { String(cString: $0) }
        // Saved before ncurses changes anything: the modes the signal handlers restore.
        var originalModes = termios()
        let haveModes = tcgetattr(inputDescriptor, &originalModes) == 0

        guard let screen = newterm(nil, output, input) else {
            if let ttyFile { fclose(ttyFile) }
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError(description: "cannot start the terminal: TERM=\(term) is unknown or unusable")
        }
        self.screen = screen
        set_term(screen)
        window = steward_stdscr()

        if options.rawInput { raw() } else { cbreak() }
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        curs_set(0)
        set_escdelay(Int32(options.escapeDelayMilliseconds))

        let noColorRequested = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        if !noColorRequested && has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            colorSupport = .colors(Int(steward_colors()))
        } else {
            colorSupport = .none
        }
        if options.mouse {
            let wanted = steward_button1_pressed() | steward_button1_released()
                | steward_button4_pressed() | steward_button5_pressed()
            mousemask(wanted, nil)
            // Report presses at once instead of waiting to see whether they become clicks.
            mouseinterval(0)
        }

        SignalRestorer.prepare(
            inputDescriptor: inputDescriptor,
            outputDescriptor: outputDescriptor,
            modes: haveModes ? originalModes : nil,
            resetSequence: NcursesTerminal.resetSequence(mouse: options.mouse)
        )
        SignalRestorer.installCrashHandlers()
    }

    deinit {
        shutdown()
    }

    /// Restores the terminal on SIGINT, SIGTERM and SIGHUP, then lets the signal do what it
    /// does by default (end the process). Call it when the app has no handling of its own
    /// for these signals; see the type's notes for why the handler does not call `endwin`.
    public func installSignalRestorers() {
        SignalRestorer.installTerminationHandlers()
    }

    public var size: (width: Int, height: Int) {
        (Int(steward_cols()), Int(steward_lines()))
    }

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        SignalRestorer.disarm()
        endwin()
        delscreen(screen)
        if let ttyFile { fclose(ttyFile) }
    }

    // MARK: - Output

    public func draw(_ buffer: CellBuffer) {
        guard !isShutDown else { return }
        let runs: [CellBuffer.Run]
        if let lastFrame, lastFrame.width == buffer.width, lastFrame.height == buffer.height {
            runs = buffer.diff(from: lastFrame)
        } else {
            // First frame, or the terminal was resized: whatever the terminal shows now
            // (reflowed text, half-drawn lines) is unknown, so clear and draw everything.
            werase(window)
            clearok(window, true)
            runs = buffer.diff(from: CellBuffer(width: 0, height: 0))
        }
        var complexCharacter = cchar_t()
        for run in runs {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                if cell.isContinuation { continue }
                let rendition = rendition(of: cell.style)
                var characters = cell.drawableScalars(limit: Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
                if characters.isEmpty { characters = [wchar_t(32)] }
                characters.append(0)
                _ = characters.withUnsafeBufferPointer { pointer in
                    setcchar(&complexCharacter, pointer.baseAddress, rendition.attributes, rendition.pair, nil)
                }
                // Writing the bottom-right cell reports an error (the cursor cannot move on)
                // but the character is drawn; nothing to handle.
                _ = mvwadd_wch(window, Int32(run.y), Int32(x), &complexCharacter)
            }
        }
        wnoutrefresh(window)
        doupdate()
        lastFrame = buffer
    }

    /// Sends OSC 52 straight to the terminal's descriptor. ncurses keeps its own output
    /// buffer and empties it at the end of every `doupdate`, and the console asks for a
    /// copy only between frames, so the sequence never lands inside a half-sent frame. It
    /// moves no cursor and draws nothing, so ncurses' idea of the screen stays true.
    public func setClipboard(_ text: String) -> ClipboardOutcome {
        guard !isShutDown else { return .unavailable("The terminal is closed") }
        if let refusal = OSC52.refusal(term: terminalType) ?? OSC52.refusal(for: text) { return .unavailable(refusal) }
        let bytes = Array(OSC52.sequence(for: text).utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBufferPointer { write(outputDescriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return .unavailable("Writing to the terminal failed (\(String(cString: strerror(errno))))") }
            written += result
        }
        return .sent
    }

    /// The ncurses attributes and colour pair for a style, cached per style.
    private func rendition(of style: Style) -> (attributes: attr_t, pair: Int16) {
        if let cached = renditions[style] { return cached }
        var attributes = steward_a_normal()
        if style.attributes.contains(.bold) { attributes |= steward_a_bold() }
        if style.attributes.contains(.dim) { attributes |= steward_a_dim() }
        if style.attributes.contains(.underline) { attributes |= steward_a_underline() }
        if style.attributes.contains(.reverse) { attributes |= steward_a_reverse() }
        if style.attributes.contains(.italic) { attributes |= steward_a_italic() }
        var pair: Int16 = 0
        if case .colors(let count) = colorSupport {
            pair = colorPair(
                foreground: colorNumber(style.foreground, colorCount: count, isBackground: false),
                background: colorNumber(style.background, colorCount: count, isBackground: true)
            )
        }
        renditions[style] = (attributes, pair)
        return (attributes, pair)
    }

    /// The terminal's number for a colour: -1 for the default, else a palette slot the
    /// terminal has.
    private func colorNumber(_ color: Color, colorCount: Int, isBackground: Bool) -> Int16 {
        guard let index = color.reduced(toColorCount: colorCount).paletteIndex else {
            if hasDefaultColors { return -1 }
            return isBackground ? Int16(COLOR_BLACK) : Int16(COLOR_WHITE)
        }
        return Int16(index)
    }

    private func colorPair(foreground: Int16, background: Int16) -> Int16 {
        if foreground == -1 && background == -1 { return 0 }
        let key = ColorPairKey(foreground: foreground, background: background)
        if let pair = colorPairs[key] { return pair }
        guard Int(nextColorPair) < min(Int(steward_color_pairs()), Int(Int16.max)) else {
            return 0  // Out of pairs: default colours beat wrong ones.
        }
        let pair = nextColorPair
        init_pair(pair, foreground, background)
        nextColorPair += 1
        colorPairs[key] = pair
        return pair
    }

    // MARK: - Input

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard !isShutDown else { return nil }
        wtimeout(window, Int32(max(0, timeoutMilliseconds)))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        switch status {
        case KEY_CODE_YES:
            return keyEvent(forKeyCode: Int32(code))
        case OK:
            return characterEvent(code)
        default:
            return nil
        }
    }

    private func characterEvent(_ code: wint_t) -> InputEvent? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27:
            // Alt+key arrives as Esc followed at once by the key: if something is already
            // waiting, it belongs to this Esc.
            wtimeout(window, 0)
            var next: wint_t = 0
            let status = wget_wch(window, &next)
            if status == OK, let event = characterEvent(next) {
                if case .char(let character) = event { return .alt(character) }
                return event
            }
            if status == KEY_CODE_YES { return keyEvent(forKeyCode: Int32(next)) }
            return .escape
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0x80...0x9F: return nil  // C1 controls are never typed
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }

    private func keyEvent(forKeyCode code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE:
            let size = self.size
            return .resize(width: size.width, height: size.height)
        case KEY_MOUSE:
            return mouseEvent()
        case (KEY_F0 + 1)...(KEY_F0 + 63):
            return .function(Int(code - KEY_F0))
        default:
            return nil
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind
        if event.bstate & steward_button4_pressed() != 0 {
            kind = .wheelUp
        } else if event.bstate & steward_button5_pressed() != 0 {
            kind = .wheelDown
        } else if event.bstate & (steward_button1_pressed() | steward_button1_clicked()) != 0 {
            kind = .press
        } else if event.bstate & steward_button1_released() != 0 {
            kind = .release
        } else {
            return nil
        }
        return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), kind: kind))
    }

    // MARK: - Reset sequence

    /// What `endwin` would send to give the screen back, from terminfo: attributes off,
    /// normal cursor, keypad transmit off, leave the alternate screen; plus mouse reporting
    /// off when it was on.
    private static func resetSequence(mouse: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            guard let value = tigetstr(capability),
                  Int(bitPattern: UnsafeRawPointer(value)) != -1 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        if mouse {
            bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8)
        }
        return bytes
    }
}

/// The state and handlers that restore the terminal from a signal handler.
///
/// Everything the handlers touch is prepared beforehand and never changes while they are
/// installed: plain C memory (no Swift allocation or reference counting in a handler),
/// read with loads only. The handlers themselves call only `write`, `tcsetattr`,
/// `sigemptyset`, `sigaction` and `raise`, all async-signal-safe, plus, for crash signals,
/// the handler that was installed before (the Swift runtime's backtracer, which is built
/// to run in a crashed process).
private enum SignalRestorer {
    nonisolated(unsafe) static var inputDescriptor: Int32 = -1
    nonisolated(unsafe) static var outputDescriptor: Int32 = -1
    nonisolated(unsafe) static var modes: UnsafeMutablePointer<termios>?
    nonisolated(unsafe) static var sequence: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) static var sequenceLength = 0
    /// Whether a terminal is open; after shutdown the handlers leave the screen alone.
    nonisolated(unsafe) static var armed = false
    /// The actions that were installed before ours, indexed by signal number.
    nonisolated(unsafe) static var previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) static var crashHandlersInstalled = false
    nonisolated(unsafe) static var terminationHandlersInstalled = false

    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT]
    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func prepare(inputDescriptor: Int32, outputDescriptor: Int32, modes: termios?, resetSequence: [UInt8]) {
        armed = false
        self.inputDescriptor = inputDescriptor
        self.outputDescriptor = outputDescriptor
        if let modes {
            if self.modes == nil { self.modes = .allocate(capacity: 1) }
            self.modes?.initialize(to: modes)
        }
        sequence?.deallocate()
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, resetSequence.count))
        copy.initialize(from: resetSequence, count: resetSequence.count)
        sequence = copy
        sequenceLength = resetSequence.count
        armed = true
    }

    static func disarm() {
        armed = false
    }

    static func installCrashHandlers() {
        guard !crashHandlersInstalled else { return }
        crashHandlersInstalled = true
        ensureAlternateStack()
        for signalNumber in crashSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signalNumber, info, context in
                SignalRestorer.restoreTerminal()
                // Let whatever was there before run (the Swift runtime's backtracer prints
                // the crash onto the restored screen) ...
                SignalRestorer.callPreviousHandler(signalNumber, info, context)
                // ... then make sure the process ends by this signal, even if that handler
                // returned or the signal was sent with kill(1) rather than by a fault: the
                // signal is blocked while this handler runs, so the default action takes
                // effect the moment it returns.
                SignalRestorer.setDefaultAction(signalNumber)
                raise(signalNumber)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_SIGINFO | SA_ONSTACK)
            sigaction(signalNumber, &action, previousActions + Int(signalNumber))
        }
    }

    /// Calls the handler that was installed before ours, if it was a function.
    static func callPreviousHandler(_ signalNumber: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        let previous = previousActions[Int(signalNumber)]
        if previous.sa_flags & Int32(SA_SIGINFO) != 0 {
            previous.__sigaction_handler.sa_sigaction?(signalNumber, info, context)
            return
        }
        // SIG_DFL is null and SIG_IGN is 1: neither is a function to call.
        guard let handler = previous.__sigaction_handler.sa_handler,
              unsafeBitCast(handler, to: Int.self) > 1 else { return }
        handler(signalNumber)
    }

    static func setDefaultAction(_ signalNumber: Int32) {
        var defaultAction = sigaction()
        defaultAction.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&defaultAction.sa_mask)
        sigaction(signalNumber, &defaultAction, nil)
    }

    static func installTerminationHandlers() {
        guard !terminationHandlersInstalled else { return }
        terminationHandlersInstalled = true
        for signalNumber in terminationSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                SignalRestorer.restoreTerminal()
                SignalRestorer.setDefaultAction(signalNumber)
                raise(signalNumber)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_ONSTACK)
            sigaction(signalNumber, &action, previousActions + Int(signalNumber))
        }
    }

    /// A stack overflow leaves no stack for the SIGSEGV handler; give it its own, unless
    /// one is already set up (the Swift runtime may have done so).
    private static func ensureAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        guard let memory = malloc(size) else { return }
        var alternate = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
        sigaltstack(&alternate, nil)
    }

    /// The async-signal-safe equivalent of `endwin`.
    static func restoreTerminal() {
        guard armed else { return }
        armed = false
        if let sequence, sequenceLength > 0 {
            _ = write(outputDescriptor, sequence, sequenceLength)
        }
        if let modes {
            _ = tcsetattr(inputDescriptor, TCSANOW, modes)
        }
    }
}

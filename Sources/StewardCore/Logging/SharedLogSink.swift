import Foundation
import Synchronization

/// Carries this process's log lines into the database, where every console on it reads
/// them (PostgreSQL: instances on other machines have log folders of their own).
///
/// `write` only appends the encoded line to a buffer; a task sends the buffer every
/// ``interval`` in one statement. A buffer over ``capacity`` lines drops its oldest ones
/// and counts them, so a slow database never holds up a request nor grows the memory.
final class SharedLogSink: LogSink {
    let store: any DataStore
    let instance: String
    let interval: Duration
    let capacity: Int
    private struct State {
        var pending: [String] = []
        var dropped = 0
        var closed = false
    }
    private let state = Mutex(State())
    private let sender = Mutex<Task<Void, Never>?>(nil)

    init(store: any DataStore, instance: String, interval: Duration = .milliseconds(250), capacity: Int = 10_000) {
        self.store = store
        self.instance = instance
        self.interval = interval
        self.capacity = capacity
        let task = Task.detached(priority: .utility) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.send()
            }
        }
        sender.withLock { $0 = task }
    }

    func write(_ entry: LogEntry, line: [UInt8]) {
        let text = String(decoding: line.last == UInt8(ascii: "\n") ? line.dropLast() : line[...], as: UTF8.self)
        state.withLock { state in
            guard !state.closed else { state.dropped += 1; return }
            state.pending.append(text)
            if state.pending.count > capacity {
                let excess = state.pending.count - capacity
                state.pending.removeFirst(excess)
                state.dropped += excess
            }
        }
    }

    var dropped: Int { state.withLock { $0.dropped } }

    /// Sends what is pending now; lines the database refuses are counted as dropped.
    func send() async {
        let lines = state.withLock { state -> [String] in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        guard !lines.isEmpty else { return }
        do {
            try await store.appendLogLines(lines, instance: instance)
        } catch {
            state.withLock { $0.dropped += lines.count }
        }
    }

    /// Waits (at most a second) for what is pending to be sent.
    func flush() {
        let done = DispatchSemaphore(value: 0)
        Task.detached { [self] in
            await send()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 1)
    }

    func close() {
        flush()
        state.withLock { $0.closed = true }
        sender.withLock { $0?.cancel(); $0 = nil }
    }
}

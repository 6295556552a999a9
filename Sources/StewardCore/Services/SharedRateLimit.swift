import Foundation
import Synchronization

/// The per-IP rate limit shared by every instance on one database (PostgreSQL).
///
/// Each client has one token bucket *in the database* (`rate_buckets`, refilled on the
/// database's clock). An instance does not ask it for every request: it leases tokens
/// and spends them locally until they run out or go stale (``leaseLifetime``). Every
/// token an instance spends was taken from the shared bucket first, so the instances
/// together can never spend more than the bucket gives. The one way past it is a lease
/// taken just before a window and spent inside it: so in any window a client gets at
/// most the limit plus `instances × maxLease` requests, which is the stated overshoot
/// (1% of the limit per instance, never a multiple of the limit).
///
/// A lease is sized to what the client spent from its previous one on this instance
/// (twice that, up to ``maxLease``): a busy client costs about one round trip per
/// lifetime, a quiet one leases a token at a time and strands none. While a lease is on
/// its way, the client's other requests wait for that one answer instead of asking too.
///
/// When the database does not answer within ``deadline``, or the backend keeps no shared
/// state (SQLite: one process owns the file's limit anyway), ``check(_:)`` says
/// `.unavailable` and the caller falls back to its own in-process limiter.
public final class SharedRateLimit: Sendable {
    public enum Decision: Sendable, Equatable {
        case allowed
        case limited(retryAfter: Int)
        /// No shared answer (not shared here, or the database is slow or down).
        case unavailable
    }

    let store: any DataStore
    public let limit: RateLimit
    /// The most tokens taken from the shared bucket at a time: 1% of the limit, at least 1.
    public let maxLease: Int
    public let leaseLifetime: Double
    public let deadline: Duration
    private let clients = Mutex<[String: Client]>([:])
    private let clock = ContinuousClock()
    private let origin = ContinuousClock.now
    /// False once the store said it keeps no shared state: no more asking.
    private let shared = Atomic(true)
    /// Lease requests sent to the database so far.
    let roundTrips = Atomic<Int>(0)

    /// One client's lease on this instance.
    struct Client {
        var tokens = 0
        var expires = 0.0
        /// Tokens spent from the current lease: the next one is sized from it.
        var spent = 0
        /// The request for a lease on its way, which the client's other requests await.
        var pending: Task<Answer, Never>?
        /// Requests awaiting `pending`: the lease asks for at least one token each.
        var waiting = 0
    }

    /// How one lease request ended: a lease (granted or not), the backend keeps no shared
    /// bucket, or no answer within ``deadline`` (or an error).
    private enum Reply: Sendable {
        case lease(Store.RequestLease)
        case notShared
        case noAnswer

        var lease: Store.RequestLease? {
            if case .lease(let lease) = self { lease } else { nil }
        }
    }

    /// What the shared bucket said to one lease request.
    enum Answer: Sendable {
        case granted
        case limited(retryAfter: Int)
        case unavailable
    }

    init(store: any DataStore, limit: RateLimit, leaseLifetime: Double = 1, deadline: Duration = .milliseconds(100)) {
        self.store = store
        self.limit = limit
        self.maxLease = max(1, limit.requests / 100)
        self.leaseLifetime = leaseLifetime
        self.deadline = deadline
    }

    private var now: Double {
        let elapsed = origin.duration(to: clock.now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Takes one request from `client`'s shared allowance.
    public func check(_ client: String) async -> Decision {
        guard shared.load(ordering: .relaxed) else { return .unavailable }
        // A request that finds the lease spent joins (or starts) the one request for the
        // next; a few turns, since the waiters of one answer may spend it between them.
        for _ in 0..<8 {
            let time = now
            let step = clients.withLock { clients -> Task<Answer, Never>? in
                var current = clients[client] ?? Client()
                if current.tokens > 0, current.expires > time {
                    current.tokens -= 1
                    current.spent += 1
                    clients[client] = current
                    return nil
                }
                current.waiting += 1
                if let pending = current.pending {
                    clients[client] = current
                    return pending
                }
                if clients.count > 50_000 { clients = clients.filter { $0.value.expires > time || $0.value.pending != nil } }
                let pending = Task { await self.lease(client) }
                current.pending = pending
                clients[client] = current
                return pending
            }
            guard let pending = step else { return .allowed }
            switch await pending.value {
            case .granted: continue
            case .limited(let retryAfter): return .limited(retryAfter: retryAfter)
            case .unavailable: return .unavailable
            }
        }
        return .unavailable
    }

    /// Asks the shared bucket for the client's next lease and puts what it gives in it.
    private func lease(_ client: String) async -> Answer {
        // Sized when the request leaves, so that it covers everyone who joined meanwhile.
        let size = clients.withLock { clients in
            min(maxLease, max(1, 2 * (clients[client]?.spent ?? 0), clients[client]?.waiting ?? 0))
        }
        let store = self.store, limit = self.limit, deadline = self.deadline
        roundTrips.add(1, ordering: .relaxed)
        let reply: Reply
        do {
            reply = try await withThrowingTaskGroup(of: Reply.self) { group in
                group.addTask {
                    let lease = try await store.leaseRequests(key: "ip:" + client, capacity: limit.requests,
                                                              refillPerSecond: Double(limit.requests) / Double(limit.windowSeconds), lease: size)
                    return lease.map(Reply.lease) ?? .notShared
                }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return .noAnswer
                }
                let first = try await group.next() ?? .noAnswer
                group.cancelAll()
                return first
            }
        } catch {
            reply = .noAnswer
        }
        if case .notShared = reply {
            // Said once and for good (the backend, not the moment): every later check
            // answers at once, without a task, a timer or a trip.
            shared.store(false, ordering: .relaxed)
        }
        let time = now, lifetime = leaseLifetime
        let granted = reply.lease?.granted ?? 0
        clients.withLock { clients in
            var current = clients[client] ?? Client()
            current.pending = nil
            current.waiting = 0
            if granted > 0 {
                // Tokens left of a lease still valid stay: the bucket gave them already.
                current.tokens = (current.expires > time ? current.tokens : 0) + granted
                current.expires = time + lifetime
                current.spent = 0
            }
            clients[client] = current
        }
        guard let lease = reply.lease else { return .unavailable }
        if lease.granted >= 1 { return .granted }
        let rate = Double(limit.requests) / Double(limit.windowSeconds)
        let wait = (1 - lease.remaining) / rate
        return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
    }
}

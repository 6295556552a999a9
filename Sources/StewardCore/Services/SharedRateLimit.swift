import Foundation
import Synchronization

/// The per-IP rate limit shared by every instance on one database (PostgreSQL).
///
/// Each client has one token bucket *in the database* (`rate_buckets`, refilled on the
/// database's clock). An instance does not ask it for every request: it leases a few
/// tokens at a time (``lease``) and spends them locally until they run out or go stale
/// (``leaseLifetime``). Every token an instance spends was taken from the shared bucket
/// first, so the instances together can never spend more than the bucket gives. The one
/// way past it is a lease taken just before a window and spent inside it: so in any
/// window a client gets at most the limit plus `instances × lease` requests, which is the
/// stated overshoot (never a multiple of the limit).
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
    /// Tokens taken from the shared bucket at a time: 1% of the limit, 1 to 10.
    public let lease: Int
    public let leaseLifetime: Double
    public let deadline: Duration
    private let leases = Mutex<[String: Lease]>([:])
    private let clock = ContinuousClock()
    private let origin = ContinuousClock.now
    /// False once the store said it keeps no shared state: no more asking.
    private let shared = Mutex(true)

    struct Lease {
        var tokens: Int
        var expires: Double
    }

    init(store: any DataStore, limit: RateLimit, leaseLifetime: Double = 1, deadline: Duration = .milliseconds(100)) {
        self.store = store
        self.limit = limit
        self.lease = min(10, max(1, limit.requests / 100))
        self.leaseLifetime = leaseLifetime
        self.deadline = deadline
    }

    private var now: Double {
        let elapsed = origin.duration(to: clock.now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Takes one request from `client`'s shared allowance.
    public func check(_ client: String) async -> Decision {
        guard shared.withLock({ $0 }) else { return .unavailable }
        let time = now
        let spent = leases.withLock { leases -> Bool in
            guard var current = leases[client], current.tokens > 0, current.expires > time else { return false }
            current.tokens -= 1
            leases[client] = current
            return true
        }
        if spent { return .allowed }
        let store = self.store, limit = self.limit, lease = self.lease
        let answer: Store.RequestLease??
        do {
            answer = try await withThrowingTaskGroup(of: Store.RequestLease??.self) { group in
                group.addTask {
                    try await store.leaseRequests(key: "ip:" + client, capacity: limit.requests,
                                                  refillPerSecond: Double(limit.requests) / Double(limit.windowSeconds), lease: lease)
                }
                group.addTask { [deadline] in
                    try await Task.sleep(for: deadline)
                    return .some(nil)
                }
                let first = try await group.next() ?? .some(nil)
                group.cancelAll()
                return first
            }
        } catch {
            return .unavailable
        }
        guard let outcome = answer else {
            shared.withLock { $0 = false }
            return .unavailable
        }
        guard let granted = outcome else { return .unavailable }
        if granted.granted >= 1 {
            if granted.granted > 1 {
                leases.withLock { leases in
                    if leases.count > 50_000 { leases = leases.filter { $0.value.expires > time } }
                    // Concurrent misses each took a lease: keep them all, never drop tokens
                    // the shared bucket already gave.
                    var current = leases[client].flatMap { $0.expires > time ? $0 : nil } ?? Lease(tokens: 0, expires: time + leaseLifetime)
                    current.tokens += granted.granted - 1
                    leases[client] = current
                }
            }
            return .allowed
        }
        let rate = Double(limit.requests) / Double(limit.windowSeconds)
        let wait = (1 - granted.remaining) / rate
        return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
    }
}

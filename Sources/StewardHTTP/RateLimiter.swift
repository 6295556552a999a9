import Synchronization

/// Per-client request limiting with token buckets.
///
/// Each client (an IP address) has a bucket holding up to `policy.requests` tokens, refilled
/// continuously at `requests / windowSeconds` per second; a request takes one token. A
/// client can so burst up to the whole allowance, and then make one request every
/// `windowSeconds / requests` seconds: over any window it never gets more than about twice
/// the allowance, and a steady client exactly the allowance.
///
/// Memory is bounded. The buckets are spread over 16 shards, each behind its own mutex (so
/// concurrent requests rarely wait on each other), and each shard:
/// - forgets, every 256 decisions, the clients whose buckets have refilled completely (they
///   would start afresh anyway, so forgetting them changes nothing);
/// - holds at most `maximumClientsPerShard` clients: when a new client would exceed that, the
///   idle buckets are dropped and, if still full, the least recently seen quarter. Under a
///   flood of distinct addresses some clients' limits may so restart early; the memory stays
///   bounded either way.
public final class RateLimiter: Sendable {
    /// The answer for one request.
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Refused; the client may try again after this many seconds (at least 1).
        case limited(retryAfter: Int)
    }

    public let policy: RateLimitPolicy
    let maximumClientsPerShard: Int
    private let shards: [Shard]
    private let now: @Sendable () -> Double

    /// - Parameters:
    ///   - policy: the allowance per client.
    ///   - maximumClientsPerShard: the bound on tracked clients per shard (16 shards).
    ///   - now: a monotonic clock in seconds; tests pass their own.
    public init(
        policy: RateLimitPolicy,
        maximumClientsPerShard: Int = 4096,
        now: @escaping @Sendable () -> Double = MonotonicClock.seconds
    ) {
        self.policy = policy
        self.maximumClientsPerShard = max(4, maximumClientsPerShard)
        self.shards = (0..<16).map { _ in Shard() }
        self.now = now
    }

    /// Takes a token from `client`'s bucket, or says how long to wait for one.
    public func check(_ client: String) -> Decision {
        let shard = shards[Int(UInt(bitPattern: client.hashValue) % UInt(shards.count))]
        let time = now()
        return shard.buckets.withLock { state in
            state.decisions &+= 1
            if state.decisions % 256 == 0 {
                forgetIdle(in: &state.buckets, at: time)
            }
            var bucket = state.buckets[client] ?? Bucket(tokens: Double(policy.requests), updated: time)
            bucket.refill(at: time, policy: policy)
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / policy.refillPerSecond
                decision = .limited(retryAfter: max(1, Int(wait.rounded(.up))))
            }
            if state.buckets[client] == nil && state.buckets.count >= maximumClientsPerShard {
                makeRoom(in: &state.buckets, at: time)
            }
            state.buckets[client] = bucket
            return decision
        }
    }

    /// How many clients are tracked now (for tests and diagnostics).
    public var trackedClients: Int {
        shards.reduce(0) { total, shard in total + shard.buckets.withLock { $0.buckets.count } }
    }

    private func forgetIdle(in buckets: inout [String: Bucket], at time: Double) {
        let window = Double(policy.windowSeconds)
        buckets = buckets.filter { time - $0.value.updated < window }
    }

    private func makeRoom(in buckets: inout [String: Bucket], at time: Double) {
        forgetIdle(in: &buckets, at: time)
        guard buckets.count >= maximumClientsPerShard else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, buckets.count / 4))
        for (client, _) in oldest {
            buckets[client] = nil
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double

        mutating func refill(at time: Double, policy: RateLimitPolicy) {
            let elapsed = max(0, time - updated)
            tokens = min(Double(policy.requests), tokens + elapsed * policy.refillPerSecond)
            updated = time
        }
    }

    private final class Shard: Sendable {
        struct State {
            var buckets: [String: Bucket] = [:]
            var decisions = 0
        }
        let buckets = Mutex(State())
    }
}

/// Seconds on a monotonic clock, counted from the first use in this process.
public enum MonotonicClock {
    private static let origin = ContinuousClock.now

    @Sendable public static func seconds() -> Double {
        let elapsed = origin.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

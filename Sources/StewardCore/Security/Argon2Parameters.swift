/// The cost of an argon2id hash: memory in KiB, passes over it, and lanes.
public struct Argon2Parameters: Sendable, Equatable, Codable {
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// OWASP's recommended minimum for argon2id, and docs/configuration.md's defaults.
    public static let `default` = Argon2Parameters(memoryKiB: 19456, iterations: 2, parallelism: 1)
}

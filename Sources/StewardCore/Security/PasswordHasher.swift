import CArgon2
import Synchronization

/// Why a password could not be hashed.
public enum PasswordHasherError: Error, Sendable, Equatable {
    /// The cost parameters are outside what argon2id accepts; the text says which and why.
    case invalidParameters(String)
    /// libargon2 itself failed (in practice: it could not allocate the memory the cost
    /// asks for). Carries libargon2's error code and its own description.
    case argon2Failure(code: Int32, message: String)
}

/// Hashes and verifies passwords with argon2id (RFC 9106) through libargon2, storing each
/// hash as a PHC string such as
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>`.
///
/// The PHC string carries everything needed to check a password later (variant, version,
/// memory, passes, lanes, salt), so a hash made under older parameters keeps verifying
/// after the configuration changes; ``needsRehash(_:)`` tells the login flow when to store
/// a fresh hash under the current parameters (docs/security.md).
///
/// Argon2id is deliberately slow and memory-hungry (about 55 ms and 19 MiB at the default
/// cost), which is what makes guessing stolen hashes expensive. Tests that log in many
/// times should lower the cost through ``Argon2Parameters``, never skip hashing.
public struct PasswordHasher: Sendable {
    /// The cost new hashes are made with, and that ``needsRehash(_:)`` compares against.
    public let parameters: Argon2Parameters

    /// Random salt per hash: 16 bytes, RFC 9106's recommendation, make precomputed tables
    /// and cross-account comparisons useless.
    public static let saltByteCount = 16
    /// Length of the argon2id output (the "tag"): 32 bytes, RFC 9106's recommendation.
    public static let tagByteCount = 32

    public init(parameters: Argon2Parameters) {
        self.parameters = parameters
    }

    // MARK: Hashing and verifying

    /// An argon2id PHC string for `password` under ``parameters`` with a fresh random salt.
    ///
    /// The password is hashed as the UTF-8 bytes it is given, unchanged; callers pass what
    /// the user typed. Two calls for the same password give different strings (different
    /// salts), and both verify.
    public func hash(_ password: String) throws(PasswordHasherError) -> String {
        try hash(password, salt: Crypto.randomBytes(Self.saltByteCount))
    }

    /// ``hash(_:)`` with a chosen salt: only for reproducing published test vectors. Real
    /// hashes must use a fresh random salt each time.
    func hash(_ password: String, salt: [UInt8]) throws(PasswordHasherError) -> String {
        try Self.validate(parameters)
        let (t, m, p) = (parameters.iterations, parameters.memoryKiB, parameters.parallelism)
        // argon2_encodedlen counts the terminating NUL.
        let capacity = argon2_encodedlen(t, m, p, UInt32(salt.count), UInt32(Self.tagByteCount), Argon2_id)
        var encoded = [CChar](repeating: 0, count: capacity)
        var password = password
        let status = password.withUTF8 { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                argon2id_hash_encoded(
                    t, m, p,
                    passwordBytes.baseAddress, passwordBytes.count,
                    saltBytes.baseAddress, saltBytes.count,
                    Self.tagByteCount,
                    &encoded, capacity
                )
            }
        }
        guard status == ARGON2_OK.rawValue else {
            throw .argon2Failure(code: status, message: Self.message(for: status))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches the argon2id PHC string `phc`, under whatever parameters
    /// `phc` records (not necessarily the current ones).
    ///
    /// Answers `false`, never throws, for anything that is not a well-formed argon2id PHC
    /// string (another variant, garbage, truncation), so a damaged row in the database
    /// reads as "wrong password" rather than an error a caller might report differently.
    /// libargon2 compares the tags in constant time.
    public func verify(_ password: String, against phc: String) -> Bool {
        // A NUL would end the C string early and libargon2 would read a shorter hash than
        // the one stored; no hash this type makes contains one.
        guard !phc.utf8.contains(0) else { return false }
        var password = password
        let status = password.withUTF8 { passwordBytes in
            phc.withCString { encoded in
                argon2id_verify(encoded, passwordBytes.baseAddress, passwordBytes.count)
            }
        }
        return status == ARGON2_OK.rawValue
    }

    /// Whether `phc` should be replaced by a fresh hash at the next successful login: when
    /// it is not the kind of string ``hash(_:)`` makes today. That is another variant or
    /// version, a memory, pass or lane count other than ``parameters``, another salt or tag
    /// length, or a string that cannot be read at all.
    public func needsRehash(_ phc: String) -> Bool {
        guard let recorded = PHCString(phc) else { return true }
        return recorded.variant != "argon2id"
            || recorded.version != Int(ARGON2_VERSION_NUMBER.rawValue)
            || recorded.memoryKiB != parameters.memoryKiB
            || recorded.iterations != parameters.iterations
            || recorded.parallelism != parameters.parallelism
            || recorded.saltBase64Length != Self.base64Length(ofByteCount: Self.saltByteCount)
            || recorded.tagBase64Length != Self.base64Length(ofByteCount: Self.tagByteCount)
    }

    // MARK: Equal time for unknown accounts

    /// Dummy hashes already made, one per parameter set, shared by every hasher so the cost
    /// is paid once per process rather than once per login.
    private static let dummyHashes = Mutex<[ParameterKey: String]>([:])

    private struct ParameterKey: Hashable {
        let memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32
    }

    /// A hash of a random password nobody knows, made once (lazily) under ``parameters``.
    ///
    /// Login uses it through ``performDummyVerification(_:)`` when the email matches no
    /// account, so that an unknown email costs the same argon2id work as a known one and
    /// the response time does not reveal which emails have accounts (docs/security.md).
    public func dummyHash() throws(PasswordHasherError) -> String {
        let key = ParameterKey(
            memoryKiB: parameters.memoryKiB, iterations: parameters.iterations, parallelism: parameters.parallelism
        )
        if let cached = Self.dummyHashes.withLock({ $0[key] }) { return cached }
        // Hash outside the lock: it takes tens of milliseconds, and two threads racing to
        // fill the same entry merely both do the work once.
        let made = try hash(Crypto.randomToken())
        return Self.dummyHashes.withLock { hashes in
            if let existing = hashes[key] { return existing }
            hashes[key] = made
            return made
        }
    }

    /// Spends the time of one real verification, against ``dummyHash()``, and discards the
    /// answer: call it instead of ``verify(_:against:)`` when a login names an unknown
    /// email, then refuse the login exactly as for a wrong password.
    ///
    /// If the current parameters cannot hash at all (which start-up validation rules out),
    /// there is nothing to spend time on and this returns at once.
    public func performDummyVerification(_ password: String) {
        guard let dummy = try? dummyHash() else { return }
        _ = verify(password, against: dummy)
    }

    // MARK: Parameters

    /// Checks `parameters` against argon2id's limits, so configuration can be refused at
    /// start-up with a clear message instead of failing at the first login.
    ///
    /// argon2id needs at least one pass, 1 to 2^24 − 1 lanes, and at least 8 KiB of memory
    /// per lane (libargon2's `ARGON2_MIN_TIME`, `ARGON2_MIN_LANES`, `ARGON2_MAX_LANES` and
    /// `ARGON2_MIN_MEMORY`, which are macros Swift cannot import).
    public static func validate(_ parameters: Argon2Parameters) throws(PasswordHasherError) {
        let minimumIterations: UInt32 = 1
        let lanes: ClosedRange<UInt32> = 1...0xFF_FFFF
        let minimumKiBPerLane: UInt64 = 8
        guard parameters.iterations >= minimumIterations else {
            throw .invalidParameters("iterations must be at least \(minimumIterations) (got \(parameters.iterations))")
        }
        guard lanes.contains(parameters.parallelism) else {
            throw .invalidParameters(
                "parallelism must be \(lanes.lowerBound) to \(lanes.upperBound) (got \(parameters.parallelism))"
            )
        }
        let minimumMemory = minimumKiBPerLane * UInt64(parameters.parallelism)
        guard UInt64(parameters.memoryKiB) >= minimumMemory else {
            throw .invalidParameters(
                "memory must be at least \(minimumMemory) KiB (8 KiB per lane) for parallelism "
                    + "\(parameters.parallelism) (got \(parameters.memoryKiB))"
            )
        }
    }

    // MARK: Helpers

    private static func message(for status: Int32) -> String {
        guard let text = argon2_error_message(status) else { return "unknown libargon2 error" }
        return String(cString: text)
    }

    /// Characters of unpadded base64 for `byteCount` bytes.
    private static func base64Length(ofByteCount byteCount: Int) -> Int {
        (byteCount * 4 + 2) / 3
    }
}

/// The fields of a PHC string `$<variant>$v=<version>$m=<m>,t=<t>,p=<p>$<salt>$<tag>`,
/// read just far enough to compare parameters (libargon2 does the full decoding when it
/// verifies). A string without the `v=` field is argon2 version 1.0 (0x10), as libargon2
/// reads it.
struct PHCString {
    var variant: Substring
    var version: Int
    var memoryKiB: UInt32
    var iterations: UInt32
    var parallelism: UInt32
    var saltBase64Length: Int
    var tagBase64Length: Int

    init?(_ text: String) {
        var fields = text.split(separator: "$", omittingEmptySubsequences: false)[...]
        guard fields.popFirst() == "" else { return nil }
        guard let variant = fields.popFirst(), !variant.isEmpty else { return nil }
        self.variant = variant
        if let field = fields.first, field.hasPrefix("v=") {
            guard let version = Self.number(field.dropFirst(2)) else { return nil }
            self.version = Int(version)
            fields.removeFirst()
        } else {
            self.version = 0x10
        }
        guard let costs = fields.popFirst() else { return nil }
        let pairs = costs.split(separator: ",", omittingEmptySubsequences: false)
        guard pairs.count == 3,
            pairs[0].hasPrefix("m="), let memory = Self.number(pairs[0].dropFirst(2)),
            pairs[1].hasPrefix("t="), let iterations = Self.number(pairs[1].dropFirst(2)),
            pairs[2].hasPrefix("p="), let parallelism = Self.number(pairs[2].dropFirst(2))
        else { return nil }
        (memoryKiB, self.iterations, self.parallelism) = (memory, iterations, parallelism)
        guard fields.count == 2, let salt = fields.popFirst(), let tag = fields.popFirst(),
            !salt.isEmpty, !tag.isEmpty
        else { return nil }
        (saltBase64Length, tagBase64Length) = (salt.utf8.count, tag.utf8.count)
    }

    /// A decimal number as libargon2 writes it: digits only, no sign, no leading zero.
    private static func number(_ text: Substring) -> UInt32? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0") || text.utf8.count == 1,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return UInt32(text)
    }
}

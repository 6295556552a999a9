import COpenSSL

/// The small cryptographic toolbox the rest of Steward builds on: secure random bytes and
/// tokens, SHA-256, HMAC-SHA-256, constant-time comparison, base64url, and one-time
/// passwords.
///
/// Everything that needs secrecy draws from OpenSSL's `RAND_bytes` (a CSPRNG seeded from
/// the operating system), and every digest comes from OpenSSL's one-shot functions, which
/// are not deprecated in OpenSSL 3 and need no context objects to manage.
public enum Crypto {

    // MARK: Randomness

    /// `count` bytes from OpenSSL's cryptographically secure generator.
    ///
    /// Used for salts, session ids, refresh tokens and secrets. `RAND_bytes` fails only when
    /// the generator cannot be seeded (no entropy source at all); carrying on would mean
    /// handing out predictable secrets, so that is the one case where this traps, with a
    /// message saying why.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "Crypto.randomBytes: a byte count cannot be negative (got \(count))")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            fillRandom(UnsafeMutableRawBufferPointer(buffer))
            initializedCount = count
        }
    }

    /// Fills `buffer` from `RAND_bytes`, trapping (see ``randomBytes(_:)``) if it fails.
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        // RAND_bytes takes an Int32 length, so very large requests are filled in chunks.
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, Int(Int32.max))
            let start = (base + offset).assumingMemoryBound(to: UInt8.self)
            guard RAND_bytes(start, Int32(chunk)) == 1 else {
                fatalError(
                    "RAND_bytes failed (\(lastOpenSSLError())): the system's secure random "
                        + "generator is unavailable, and Steward will not make secrets without it"
                )
            }
            offset += chunk
        }
    }

    /// A random, URL- and cookie-safe token: `byteCount` random bytes in base64url without
    /// padding. The default 32 bytes (256 bits) give 43 characters, far beyond guessing.
    public static func randomToken(byteCount: Int = 32) -> String {
        base64URLEncode(randomBytes(byteCount))
    }

    // MARK: Digests

    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                // SHA256 reads nothing when the length is zero, but wants a valid pointer.
                withNonNullBase(input) { base in
                    _ = SHA256(base, input.count, output.baseAddress)
                }
            }
        }
        return digest
    }

    /// SHA-256 of the UTF-8 form of `text`, as 64 lower-case hex digits.
    ///
    /// This is how refresh tokens are stored: the database keeps only the digest, so a
    /// leaked database does not hand out working tokens. Tokens carry 256 random bits, so a
    /// plain (unsalted, fast) hash is enough; passwords, which are guessable, go through
    /// ``PasswordHasher`` instead.
    public static func sha256Hex(_ text: String) -> String {
        hexEncode(sha256(Array(text.utf8)))
    }

    /// HMAC-SHA-256 of `message` under `key` (32 bytes), through OpenSSL's one-shot `HMAC`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBufferPointer { message in
            hmacSHA256(key: key, message: UnsafeRawBufferPointer(message))
        }
    }

    /// HMAC-SHA-256 over bytes that are already in memory, so hot paths (verifying a JWT on
    /// every request) need not copy the message into an array first.
    static func hmacSHA256(key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var macLength: UInt32 = 0
        let succeeded = key.withUnsafeBufferPointer { key in
            mac.withUnsafeMutableBufferPointer { output in
                // OpenSSL 3 treats a NULL key as "no key set" and fails, even with length 0,
                // so an empty key and an empty message still get real (if unread) addresses.
                withNonNullBase(key) { keyBase in
                    withNonNullBase(message.assumingMemoryBound(to: UInt8.self)) { messageBase in
                        HMAC(
                            EVP_sha256(), keyBase, Int32(key.count), messageBase, message.count,
                            output.baseAddress, &macLength
                        ) != nil
                    }
                }
            }
        }
        // HMAC fails only on allocation failure or a broken OpenSSL install; a wrong MAC
        // would silently reject every token or accept forged ones, so stop loudly instead.
        guard succeeded, macLength == SHA256_DIGEST_LENGTH else {
            fatalError("OpenSSL HMAC-SHA-256 failed (\(lastOpenSSLError()))")
        }
        return mac
    }

    // MARK: Comparison

    /// Whether `a` and `b` hold the same bytes, taking the same time wherever they differ.
    ///
    /// Compare secrets (MACs, CSRF tokens) with this, never with `==`: an early-exit
    /// comparison leaks how many leading bytes matched, which lets an attacker build a
    /// valid MAC one byte at a time. The lengths themselves are not secret (a MAC's length
    /// is public), so different lengths answer `false` straight away.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
            }
        }
    }

    // MARK: base64url (RFC 4648 §5)

    private static let base64URLAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// For each byte, its 6-bit value in the base64url alphabet, or 0xFF when it is not in
    /// the alphabet (which includes `=`, `+` and `/`: padding and plain base64 are refused).
    private static let base64URLValues: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in base64URLAlphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// `bytes` in base64url without padding: the form JWTs, tokens and cookies use.
    public static func base64URLEncode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        let alphabet = base64URLAlphabet
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(alphabet[Int(group >> 6 & 0x3F)])
            output.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(alphabet[Int(group >> 6 & 0x3F)])
        default:
            break
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes behind a base64url string, or `nil` unless it is exactly the unpadded form
    /// ``base64URLEncode(_:)`` makes.
    ///
    /// Decoding is strict so that each byte string has one text form: padding, whitespace,
    /// `+` and `/`, a length that leaves a lone character (4n+1), and unused low bits that
    /// are not zero are all refused. A lenient decoder would let one token be written many
    /// ways, which defeats comparing or deduplicating tokens by their text.
    public static func base64URLDecode(_ text: some StringProtocol) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { base64URLDecode(utf8: $0) }
    }

    /// ``base64URLDecode(_:)`` over UTF-8 bytes already in memory (a slice of a JWT).
    static func base64URLDecode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        let table = base64URLValues
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var index = 0
        while index + 4 <= input.count {
            let a = table[Int(input[index])], b = table[Int(input[index + 1])]
            let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
            // Any invalid character has the 0x80 bit set, so one OR checks all four.
            guard (a | b | c | d) & 0x80 == 0 else { return nil }
            let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            output.append(UInt8(truncatingIfNeeded: group >> 8))
            output.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        switch remainder {
        case 2:
            let a = table[Int(input[index])], b = table[Int(input[index + 1])]
            // Two characters carry 12 bits for one byte: the low 4 bits must be zero.
            guard (a | b) & 0x80 == 0, b & 0x0F == 0 else { return nil }
            output.append(a << 2 | b >> 4)
        case 3:
            let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
            // Three characters carry 18 bits for two bytes: the low 2 bits must be zero.
            guard (a | b | c) & 0x80 == 0, c & 0x03 == 0 else { return nil }
            output.append(a << 2 | b >> 4)
            output.append((b & 0x0F) << 4 | c >> 2)
        default:
            break
        }
        return output
    }

    // MARK: One-time passwords

    /// Letters and digits that cannot be mistaken for one another when read off a screen
    /// and typed (no `l`, `I`, `O`, `0`, `1`), and punctuation that needs no quoting in a
    /// shell and has no dead-key trouble on common keyboard layouts.
    static let passwordLowercase = Array("abcdefghijkmnopqrstuvwxyz")
    static let passwordUppercase = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let passwordDigits = Array("23456789")
    static let passwordSpecials = Array("!#%*+-=?@_")

    /// A random one-time password of `length` characters (16 to 128) with at least one
    /// lower-case letter, upper-case letter, digit and special character, so it passes the
    /// password rules of docs/security.md. Used for admin password resets, where it is shown once.
    ///
    /// One character of each class is drawn first and the rest from all classes together,
    /// then the whole is shuffled so the guaranteed characters sit anywhere. Every draw is
    /// uniform (no modulo bias) from `RAND_bytes`. With the default 20 characters from 67
    /// symbols that is about 120 bits.
    public static func generatePassword(length: Int = 20) -> String {
        precondition(
            (16...128).contains(length),
            "Crypto.generatePassword: length must be 16 to 128 characters (got \(length))"
        )
        var generator = SecureRandomNumberGenerator()
        let classes = [passwordLowercase, passwordUppercase, passwordDigits, passwordSpecials]
        let everything = classes.flatMap { $0 }
        var characters = classes.map { $0.randomElement(using: &generator)! }
        while characters.count < length {
            characters.append(everything.randomElement(using: &generator)!)
        }
        characters.shuffle(using: &generator)
        return String(characters)
    }

    // MARK: Helpers

    static func hexEncode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Calls `body` with the buffer's base address, or with the address of a scratch byte
    /// when the buffer is empty (an empty Swift array may have no address at all).
    private static func withNonNullBase<R>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) -> R
    ) -> R {
        if let base = buffer.baseAddress { return body(base) }
        var scratch: UInt8 = 0
        return withUnsafePointer(to: &scratch) { body($0) }
    }

    /// The text of OpenSSL's most recent error on this thread, for trap messages.
    private static func lastOpenSSLError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no OpenSSL error recorded" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A `RandomNumberGenerator` backed by OpenSSL's `RAND_bytes`, for drawing secrets with the
/// standard library's unbiased helpers (`randomElement(using:)`, `shuffle(using:)`,
/// `Int.random(in:using:)`).
public struct SecureRandomNumberGenerator: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { Crypto.fillRandom($0) }
        return value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension StewardConfig {
    /// The length of a generated signing secret: 384 bits, more than HS256's 256 so that the
    /// key is never the weak link.
    public static let generatedSecretBytes = 48

    /// Where a generated signing secret is kept: beside the database, as `<database>.secret`,
    /// so that each database keeps its own and tokens survive a restart.
    public var jwtSecretFilePath: String { databasePath + ".secret" }

    /// The key that signs and checks access tokens (HMAC-SHA-256).
    ///
    /// - In production, `STEWARD_JWT_SECRET` is required and must be at least 32 bytes.
    /// - Elsewhere, `STEWARD_JWT_SECRET` is used when set. When it is not, a random 48-byte
    ///   secret is generated on the first start and kept in ``jwtSecretFilePath`` with mode
    ///   0600, then read back on every later start. Two processes starting together agree on
    ///   one secret: each writes its candidate to a private file and hard-links it to the final
    ///   name, which only the first can do; the other reads the winner's.
    /// - An in-memory database (`:memory:`) gets a fresh secret each time and no file, since
    ///   nothing it issued can outlive the process anyway.
    ///
    /// A secret file that is not a regular file, belongs to another user, can be read by
    /// anyone but its owner, or has the wrong length is refused with an error naming it: a
    /// secret others could have read, or one that was truncated, must not sign tokens.
    public func resolveJWTSecret() throws(ConfigError) -> [UInt8] {
        if environment == .production {
            try Self.checkProductionSecret(jwtSecret)
        }
        if let jwtSecret {
            guard !jwtSecret.isEmpty else {
                throw ConfigError(variable: ConfigVariable.jwtSecret.rawValue, message: "is empty; expected secret text of at least \(Self.minimumProductionSecretBytes) bytes, or leave it unset outside production to have one generated")
            }
            return jwtSecret
        }
        if databasePath == ":memory:" {
            return GeneratedSecretFile.randomSecret()
        }
        return try GeneratedSecretFile(path: jwtSecretFilePath).readOrCreate()
    }
}

/// The file that keeps a generated signing secret: exactly ``StewardConfig/generatedSecretBytes``
/// raw random bytes, owned by the user running Steward, mode 0600.
struct GeneratedSecretFile {
    let path: String

    /// Fresh random bytes from the system's cryptographically secure generator (getrandom on
    /// Linux, arc4random on Apple platforms).
    static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<StewardConfig.generatedSecretBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    func readOrCreate() throws(ConfigError) -> [UInt8] {
        if let existing = try readExisting() { return existing }
        return try create()
    }

    private func failure(_ message: String) -> ConfigError {
        ConfigError(variable: path, message: message)
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The secret in the file, or `nil` when there is no file yet.
    func readExisting() throws(ConfigError) -> [UInt8]? {
        // O_NOFOLLOW: a symbolic link planted at this name could point at any readable file
        // and make its bytes the signing key.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP {
                throw failure("is a symbolic link; expected a regular file holding the generated secret")
            }
            throw failure("cannot be opened (\(Self.describe(code)))")
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw failure("cannot be inspected (\(Self.describe(errno)))")
        }
        guard status.st_mode & 0o170_000 == 0o100_000 else {
            throw failure("is not a regular file; expected a file holding the generated secret")
        }
        guard status.st_uid == geteuid() else {
            throw failure("belongs to user id \(status.st_uid), not to the user running Steward (\(geteuid())); expected a file only this user can read")
        }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            let octal = String(permissions, radix: 8)
            throw failure("has permissions 0\(octal), so others can read it; expected 0600 (run: chmod 600 \(path))")
        }
        let expectedLength = StewardConfig.generatedSecretBytes
        let wrongLength = failure("is \(status.st_size) bytes long; expected \(expectedLength) bytes. If it was damaged, delete it to have a new secret generated (everyone signed in will have to sign in again)")
        guard status.st_size == expectedLength else { throw wrongLength }

        var secret = [UInt8](repeating: 0, count: expectedLength)
        var filled = 0
        while filled < expectedLength {
            let count = secret.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, expectedLength - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot be read (\(Self.describe(errno)))")
            }
            if count == 0 { throw wrongLength }
            filled += count
        }
        return secret
    }

    /// Generates a secret and publishes it under ``path`` unless another process got there
    /// first, in which case the other's secret is returned.
    private func create() throws(ConfigError) -> [UInt8] {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ConfigError(variable: folder, message: "cannot be created to hold the generated secret (\(error.localizedDescription))")
            }
        }

        let secret = Self.randomSecret()
        let nonce = Self.randomSecret().prefix(6).map { String($0, radix: 16) }.joined()
        let pendingPath = "\(path).\(getpid())-\(nonce).pending"
        let descriptor = open(pendingPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw failure("cannot be created (\(Self.describe(errno)))")
        }
        // The pending name goes away whatever happens; after a successful link the secret
        // lives on under the final name.
        defer { unlink(pendingPath) }

        do throws(ConfigError) {
            // The creation mode is filtered by the umask; set it outright so the file is
            // readable and writable by its owner, whatever the umask.
            guard fchmod(descriptor, 0o600) == 0 else {
                throw failure("cannot be given mode 0600 (\(Self.describe(errno)))")
            }
            try writeAll(secret, to: descriptor)
            guard fsync(descriptor) == 0 else {
                throw failure("cannot be written to disk (\(Self.describe(errno)))")
            }
        } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)

        // link() refuses to replace an existing name, unlike rename(): the first process to
        // publish wins, and the name only ever shows a complete file.
        if link(pendingPath, path) == 0 {
            return secret
        }
        let code = errno
        if code == EEXIST, let winner = try readExisting() {
            return winner
        }
        throw failure("cannot be created (\(Self.describe(code))); set STEWARD_JWT_SECRET instead")
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(ConfigError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot be written (\(Self.describe(errno)))")
            }
            written += count
        }
    }
}

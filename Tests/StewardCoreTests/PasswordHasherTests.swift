import Foundation
import XCTest

@testable import StewardCore

final class PasswordHasherTests: XCTestCase {
    /// Cheap parameters so the suite stays fast; the published vector below uses its own.
    private let cheap = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)

    /// The argon2id v=19 test vector of the reference implementation
    /// (P-H-C/phc-winner-argon2 `src/test.c`: t=2, m=2^16 KiB, p=1, password "password",
    /// salt "somesalt", tag 09316115…913cf7), confirmed with Debian's `argon2` CLI.
    private let referenceVector =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    private let referenceParameters = Argon2Parameters(memoryKiB: 65536, iterations: 2, parallelism: 1)

    func testHashReproducesTheReferenceVector() throws {
        let hasher = PasswordHasher(parameters: referenceParameters)
        XCTAssertEqual(try hasher.hash("password", salt: Array("somesalt".utf8)), referenceVector)
    }

    func testReferenceVectorVerifies() {
        // Verification reads the parameters from the string, not from the hasher.
        let hasher = PasswordHasher(parameters: cheap)
        XCTAssertTrue(hasher.verify("password", against: referenceVector))
        XCTAssertFalse(hasher.verify("Password", against: referenceVector))
        XCTAssertTrue(hasher.needsRehash(referenceVector), "made with other parameters")
        XCTAssertTrue(
            PasswordHasher(parameters: referenceParameters).needsRehash(referenceVector),
            "hash() makes 16-byte salts; the vector's 8-byte 'somesalt' is not one")
    }

    func testHashHasThePHCShapeAndCurrentParameters() throws {
        let phc = try PasswordHasher(parameters: cheap).hash("Correct-Horse-1")
        XCTAssertTrue(phc.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"), phc)
        let fields = phc.split(separator: "$")
        XCTAssertEqual(fields.count, 5)
        XCTAssertEqual(fields[3].count, 22, "16-byte salt in unpadded base64")
        XCTAssertEqual(fields[4].count, 43, "32-byte tag in unpadded base64")
    }

    func testRoundTripAndWrongPassword() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let phc = try hasher.hash("Correct-Horse-1")
        XCTAssertTrue(hasher.verify("Correct-Horse-1", against: phc))
        XCTAssertFalse(hasher.verify("correct-Horse-1", against: phc))
        XCTAssertFalse(hasher.verify("Correct-Horse-1 ", against: phc))
        XCTAssertFalse(hasher.verify("", against: phc))
    }

    func testSamePasswordGetsDifferentSalts() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let first = try hasher.hash("Same-Password-9")
        let second = try hasher.hash("Same-Password-9")
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(hasher.verify("Same-Password-9", against: first))
        XCTAssertTrue(hasher.verify("Same-Password-9", against: second))
    }

    func testUnicodeAndEmptyPasswordsAreHashedByteForByte() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let composed = "Pässwörd-1", decomposed = "Pa\u{0308}sswo\u{0308}rd-1"
        let phc = try hasher.hash(composed)
        XCTAssertTrue(hasher.verify(composed, against: phc))
        XCTAssertFalse(hasher.verify(decomposed, against: phc), "no normalisation happens here")
        let empty = try hasher.hash("")
        XCTAssertTrue(hasher.verify("", against: empty))
        XCTAssertFalse(hasher.verify("x", against: empty))
    }

    func testPasswordWithNULIsNotTruncated() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let phc = try hasher.hash("abc\u{0}def")
        XCTAssertTrue(hasher.verify("abc\u{0}def", against: phc))
        XCTAssertFalse(hasher.verify("abc", against: phc))
    }

    func testMalformedHashesDoNotVerify() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let good = try hasher.hash("Correct-Horse-1")
        let argon2iVector =
            "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
        let malformed = [
            "", "garbage", "$argon2id$", String(good.dropLast(5)), good + "AAAA",
            good.replacingOccurrences(of: "$argon2id$", with: "$argon2d$"),
            good.replacingOccurrences(of: "m=64", with: "m=abc"),
            good.replacingOccurrences(of: "$v=19", with: "$v=99"),
            good + "\u{0}", "$2b$12$abcdefghijklmnopqrstuu5Y1b1uYUwFhB6cRi/cXfCSnHXg9qAIe",
            argon2iVector,
        ]
        for phc in malformed {
            XCTAssertFalse(hasher.verify("Correct-Horse-1", against: phc), phc)
            XCTAssertFalse(hasher.verify("password", against: phc), phc)
            XCTAssertTrue(hasher.needsRehash(phc), phc)
        }
    }

    func testHashesFromOtherParametersStillVerifyAndNeedRehash() throws {
        let old = PasswordHasher(parameters: cheap)
        let phc = try old.hash("Correct-Horse-1")
        XCTAssertFalse(old.needsRehash(phc))

        let changes = [
            Argon2Parameters(memoryKiB: 128, iterations: 1, parallelism: 1),
            Argon2Parameters(memoryKiB: 64, iterations: 2, parallelism: 1),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 2),
        ]
        for parameters in changes {
            let current = PasswordHasher(parameters: parameters)
            XCTAssertTrue(current.verify("Correct-Horse-1", against: phc), "\(parameters)")
            XCTAssertFalse(current.verify("Wrong-Horse-1", against: phc), "\(parameters)")
            XCTAssertTrue(current.needsRehash(phc), "\(parameters)")
            // The re-hash made at the next login is then current.
            let rehashed = try current.hash("Correct-Horse-1")
            XCTAssertFalse(current.needsRehash(rehashed))
            XCTAssertTrue(current.verify("Correct-Horse-1", against: rehashed))
        }
    }

    func testOlderArgon2VersionStillVerifiesButNeedsRehash() throws {
        // The same password, salt and cheap parameters under argon2 version 1.0 (0x10) and
        // 1.3 (0x13), made with Debian's `argon2` CLI (`-id -t 1 -k 64 -p 1 -l 32`, `-v 10`
        // for the old one, which it writes as "v=16"). Only the version differs.
        let version10 =
            "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$jB3OyWpCB2x/DpMHb1fgr/ngOhjBHtKr829Vaw65r9Y"
        let version13 =
            "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"
        let hasher = PasswordHasher(parameters: cheap)
        XCTAssertTrue(hasher.verify("password", against: version10))
        XCTAssertFalse(hasher.verify("passwort", against: version10))
        XCTAssertEqual(PHCString(version10)?.version, 0x10)
        XCTAssertTrue(hasher.needsRehash(version10))

        XCTAssertEqual(try hasher.hash("password", salt: Array("somesaltsomesalt".utf8)), version13)
        XCTAssertEqual(PHCString(version13)?.version, 0x13)
        XCTAssertFalse(hasher.needsRehash(version13))

        // Without a "v=" field libargon2 reads version 0x10 too.
        let unversioned = "$argon2id$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$jB3OyWpCB2x/DpMHb1fgr/ngOhjBHtKr829Vaw65r9Y"
        XCTAssertTrue(hasher.verify("password", against: unversioned))
        XCTAssertEqual(PHCString(unversioned)?.version, 0x10)
        XCTAssertTrue(hasher.needsRehash(unversioned))
    }

    func testPHCFieldsAreReadStrictly() {
        let valid = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + String(repeating: "A", count: 43)
        let parsed = PHCString(valid)
        XCTAssertEqual(parsed?.variant, "argon2id")
        XCTAssertEqual(parsed?.memoryKiB, 64)
        XCTAssertEqual(parsed?.iterations, 1)
        XCTAssertEqual(parsed?.parallelism, 1)
        XCTAssertFalse(PasswordHasher(parameters: cheap).needsRehash(valid))
        for broken in [
            valid.replacingOccurrences(of: "m=64", with: "m=064"),
            valid.replacingOccurrences(of: "m=64", with: "m=+64"),
            valid.replacingOccurrences(of: "m=64,t=1", with: "t=1,m=64"),
            valid.replacingOccurrences(of: ",p=1", with: ""),
            valid.replacingOccurrences(of: "m=64", with: "m=99999999999"),
            "argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$AAAA",
            "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=64,t=1,p=1$$AAAA",
        ] {
            XCTAssertNil(PHCString(broken), broken)
        }
    }

    func testDummyHashIsMadeOnceWithCurrentParameters() throws {
        let hasher = PasswordHasher(parameters: cheap)
        let dummy = try hasher.dummyHash()
        XCTAssertFalse(hasher.needsRehash(dummy))
        XCTAssertEqual(try hasher.dummyHash(), dummy, "cached, not re-made per login")
        XCTAssertEqual(try PasswordHasher(parameters: cheap).dummyHash(), dummy, "shared between hashers")
        XCTAssertFalse(hasher.verify("", against: dummy))
        hasher.performDummyVerification("anything")

        let other = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 72, iterations: 1, parallelism: 1))
        XCTAssertNotEqual(try other.dummyHash(), dummy)
        XCTAssertFalse(other.needsRehash(try other.dummyHash()))
    }

    func testDummyVerificationCostsAboutAsMuchAsARealOne() throws {
        // The point of the dummy: an unknown email must not answer measurably faster.
        let hasher = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 4096, iterations: 2, parallelism: 1))
        let phc = try hasher.hash("Correct-Horse-1")
        _ = try hasher.dummyHash()
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<10 { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let real = seconds { _ = hasher.verify("Wrong-Horse-1", against: phc) }
        let dummy = seconds { hasher.performDummyVerification("Wrong-Horse-1") }
        XCTAssertGreaterThan(dummy, real / 3, "real \(real)s, dummy \(dummy)s")
        XCTAssertLessThan(dummy, real * 3, "real \(real)s, dummy \(dummy)s")
    }

    func testInvalidParametersAreRefusedWithAReason() {
        XCTAssertNoThrow(try PasswordHasher.validate(.default))
        XCTAssertNoThrow(try PasswordHasher.validate(cheap))
        let invalid = [
            Argon2Parameters(memoryKiB: 64, iterations: 0, parallelism: 1),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 0),
            Argon2Parameters(memoryKiB: 7, iterations: 1, parallelism: 1),
            Argon2Parameters(memoryKiB: 31, iterations: 1, parallelism: 4),
            Argon2Parameters(memoryKiB: UInt32.max, iterations: 1, parallelism: 0x100_0000),
        ]
        for parameters in invalid {
            XCTAssertThrowsError(try PasswordHasher.validate(parameters), "\(parameters)") { error in
                guard case .invalidParameters(let reason) = error as? PasswordHasherError else {
                    return XCTFail("unexpected \(error)")
                }
                XCTAssertFalse(reason.isEmpty)
            }
            XCTAssertThrowsError(try PasswordHasher(parameters: parameters).hash("x"), "\(parameters)")
        }
    }
}

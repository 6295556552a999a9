import Foundation
import XCTest

@testable import StewardCore

final class CryptoTests: XCTestCase {

    // MARK: SHA-256 (FIPS 180-4 example vectors)

    func testSHA256MatchesPublishedVectors() {
        XCTAssertEqual(
            Crypto.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            Crypto.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            Crypto.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            Crypto.hexEncode(Crypto.sha256([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSHA256HexHashesTheUTF8Bytes() {
        let text = "héllo, 世界"
        XCTAssertEqual(Crypto.sha256Hex(text), Crypto.hexEncode(Crypto.sha256(Array(text.utf8))))
        XCTAssertEqual(Crypto.sha256Hex(text).count, 64)
    }

    // MARK: HMAC-SHA-256 (RFC 4231 §4)

    private func hmacHex(key: [UInt8], message: [UInt8]) -> String {
        Crypto.hexEncode(Crypto.hmacSHA256(key: key, message: message))
    }

    func testHMACSHA256MatchesRFC4231() {
        // Test case 1
        XCTAssertEqual(
            hmacHex(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8)),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: a key shorter than the output
        XCTAssertEqual(
            hmacHex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 3
        XCTAssertEqual(
            hmacHex(key: [UInt8](repeating: 0xAA, count: 20), message: [UInt8](repeating: 0xDD, count: 50)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
        // Test case 4
        XCTAssertEqual(
            hmacHex(key: Array(1...25), message: [UInt8](repeating: 0xCD, count: 50)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
        // Test case 6: a key longer than the block, hashed first
        XCTAssertEqual(
            hmacHex(
                key: [UInt8](repeating: 0xAA, count: 131),
                message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        // Test case 7: key and data longer than the block
        XCTAssertEqual(
            hmacHex(
                key: [UInt8](repeating: 0xAA, count: 131),
                message: Array(
                    ("This is a test using a larger than block-size key and a larger than block-size data. "
                        + "The key needs to be hashed before being used by the HMAC algorithm.").utf8)),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    func testHMACWithEmptyKeyAndMessage() {
        // OpenSSL 3 fails HMAC() on a NULL key; an empty Swift array must still work.
        XCTAssertEqual(
            hmacHex(key: [], message: []), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    // MARK: Constant-time comparison

    func testConstantTimeEquals() {
        XCTAssertTrue(Crypto.constantTimeEquals([], []))
        XCTAssertTrue(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Crypto.constantTimeEquals([9, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        XCTAssertFalse(Crypto.constantTimeEquals([], [0]))
    }

    // MARK: Randomness

    func testRandomBytesHaveTheRequestedLengthAndDiffer() {
        XCTAssertEqual(Crypto.randomBytes(0), [])
        XCTAssertEqual(Crypto.randomBytes(1).count, 1)
        let a = Crypto.randomBytes(32), b = Crypto.randomBytes(32)
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a, b, "two 256-bit draws collided")
        // 4096 random bytes should use nearly every byte value; a stuck or zeroed buffer
        // would not.
        XCTAssertGreaterThan(Set(Crypto.randomBytes(4096)).count, 200)
    }

    func testRandomTokenIsUnpaddedBase64URL() {
        let token = Crypto.randomToken()
        XCTAssertEqual(token.count, 43)
        XCTAssertTrue(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        XCTAssertEqual(Crypto.base64URLDecode(token)?.count, 32)
        XCTAssertEqual(Crypto.randomToken(byteCount: 16).count, 22)
        XCTAssertNotEqual(Crypto.randomToken(), Crypto.randomToken())
    }

    func testSecureRandomNumberGeneratorDrawsAcrossTheRange() {
        var generator = SecureRandomNumberGenerator()
        let draws = (0..<64).map { _ in generator.next() }
        XCTAssertEqual(Set(draws).count, 64)
        XCTAssertTrue(draws.contains { $0 > UInt64(UInt32.max) }, "high half never set")
    }

    // MARK: base64url

    func testBase64URLEncodesRFC4648Vectors() {
        let vectors: [(String, String)] = [
            ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Crypto.base64URLEncode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Crypto.base64URLDecode(encoded), Array(plain.utf8))
        }
    }

    func testBase64URLUsesTheURLSafeAlphabet() {
        // 0xFB 0xFF 0xBF is "+/+/" in plain base64.
        XCTAssertEqual(Crypto.base64URLEncode([0xFB, 0xFF, 0xBF]), "-_-_")
        XCTAssertEqual(Crypto.base64URLDecode("-_-_"), [0xFB, 0xFF, 0xBF])
        XCTAssertEqual(Crypto.base64URLDecode(Substring("-_8")), [0xFB, 0xFF])
    }

    func testBase64URLAgreesWithFoundationForEveryLength() {
        for length in 0...70 {
            let bytes = Crypto.randomBytes(length)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let encoded = Crypto.base64URLEncode(bytes)
            XCTAssertEqual(encoded, foundation, "length \(length)")
            XCTAssertEqual(Crypto.base64URLDecode(encoded), bytes, "length \(length)")
        }
    }

    func testBase64URLDecodingIsStrict() {
        XCTAssertNil(Crypto.base64URLDecode("Zg=="), "padding")
        XCTAssertNil(Crypto.base64URLDecode("Zm8="), "padding")
        XCTAssertNil(Crypto.base64URLDecode("Z"), "a lone final character (4n+1)")
        XCTAssertNil(Crypto.base64URLDecode("Zm9vY"), "a lone final character (4n+1)")
        XCTAssertNil(Crypto.base64URLDecode("+/+/"), "plain base64 alphabet")
        XCTAssertNil(Crypto.base64URLDecode("Zm9v Yg"), "whitespace")
        XCTAssertNil(Crypto.base64URLDecode("Zm9v\nYg"), "newline")
        XCTAssertNil(Crypto.base64URLDecode("Zh"), "non-zero unused bits (2 chars)")
        XCTAssertNil(Crypto.base64URLDecode("Zm9"), "non-zero unused bits (3 chars)")
        XCTAssertNil(Crypto.base64URLDecode("Zm9vé"), "non-ASCII")
        XCTAssertEqual(Crypto.base64URLDecode(""), [])
    }

    // MARK: One-time passwords

    func testGeneratedPasswordsMeetThePasswordRules() {
        for length in [16, 20, 64, 128] {
            for _ in 0..<50 {
                let password = Crypto.generatePassword(length: length)
                XCTAssertEqual(password.count, length)
                XCTAssertTrue(password.contains { $0.isLowercase }, password)
                XCTAssertTrue(password.contains { $0.isUppercase }, password)
                XCTAssertTrue(password.contains { $0.isNumber }, password)
                XCTAssertTrue(password.contains { !$0.isLetter && !$0.isNumber }, password)
                XCTAssertTrue(password.allSatisfy { $0.isASCII && !$0.isWhitespace }, password)
            }
        }
        XCTAssertEqual(Crypto.generatePassword().count, 20)
    }

    func testGeneratedPasswordsAreUnpredictable() {
        let passwords = (0..<200).map { _ in Crypto.generatePassword() }
        XCTAssertEqual(Set(passwords).count, passwords.count)
        // The guaranteed characters are shuffled in, not parked at the front: over 200
        // passwords the first character must not always be a lower-case letter.
        XCTAssertFalse(passwords.allSatisfy { $0.first!.isLowercase })
        // Every symbol of the alphabet turns up across 4,000 draws.
        let alphabet = Set(
            Crypto.passwordLowercase + Crypto.passwordUppercase + Crypto.passwordDigits + Crypto.passwordSpecials)
        XCTAssertEqual(Set(passwords.joined()), alphabet)
    }
}

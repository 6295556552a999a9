import Foundation
import XCTest

@testable import StewardCore

final class JWTTests: XCTestCase {
    private let secret = Array("an-hs256-test-secret-of-32-bytes!".utf8)
    private var signer: JWTSigner { JWTSigner(secret: secret) }
    private let now = 1_750_000_000

    private func claims(nbf: Int? = nil) -> AccessClaims {
        AccessClaims(
            sub: "42", roles: ["admin", "moderator"], sid: "family-7", tv: 3,
            iat: now, exp: now + 900, jti: "token-id-1", nbf: nbf)
    }

    /// A token with exactly this header and payload JSON, signed with HS256 under
    /// `secret`: how an attacker who knows the secret, or a buggy issuer, would build one.
    private func token(header: String, payload: String, secret: [UInt8]? = nil) -> String {
        let signingInput =
            Crypto.base64URLEncode(Array(header.utf8)) + "." + Crypto.base64URLEncode(Array(payload.utf8))
        let mac = Crypto.hmacSHA256(key: secret ?? self.secret, message: Array(signingInput.utf8))
        return signingInput + "." + Crypto.base64URLEncode(mac)
    }

    private let standardHeader = #"{"alg":"HS256","typ":"JWT"}"#

    private func payload(_ members: [String]) -> String {
        "{" + members.joined(separator: ",") + "}"
    }

    private var validMembers: [String] {
        [
            #""iss":"steward""#, #""sub":"42""#, #""roles":["admin"]"#, #""sid":"s""#, #""tv":1"#,
            "\"iat\":\(now)", "\"exp\":\(now + 900)", #""jti":"j""#,
        ]
    }

    private func assertRejected(
        _ token: String, _ expected: JWTError, now: Int? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let claims = try signer.verify(token, now: now ?? self.now)
            XCTFail("accepted \(claims)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    // MARK: Remembered tokens

    func testARememberedTokenIsStillCheckedAgainstTheClock() throws {
        let remembering = JWTSigner(secret: secret, rememberingTokens: 16)
        let token = remembering.sign(claims())
        XCTAssertEqual(try remembering.verify(token, now: now), claims())
        XCTAssertEqual(try remembering.verify(token, now: now + 600), claims())
        XCTAssertThrowsError(try remembering.verify(token, now: now + 900 + 31)) { XCTAssertEqual($0 as? JWTError, .expired) }
        let early = remembering.sign(claims(nbf: now + 300))
        XCTAssertEqual(try remembering.verify(early, now: now + 300), claims(nbf: now + 300))
        XCTAssertThrowsError(try remembering.verify(early, now: now)) { XCTAssertEqual($0 as? JWTError, .notYetValid) }
    }

    func testARememberedTokenLetsNoAlteredOneThrough() throws {
        let remembering = JWTSigner(secret: secret, rememberingTokens: 16)
        let token = remembering.sign(claims())
        _ = try remembering.verify(token, now: now)
        let parts = token.split(separator: ".").map(String.init)
        var signature = Array(parts[2])
        signature[0] = signature[0] == "A" ? "B" : "A"
        XCTAssertThrowsError(try remembering.verify(parts[0] + "." + parts[1] + "." + String(signature), now: now)) {
            XCTAssertEqual($0 as? JWTError, .badSignature)
        }
        let otherPayload = Crypto.base64URLEncode(Array(#"{"iss":"steward","sub":"1","roles":["admin"],"sid":"s","tv":3,"iat":1750000000,"exp":1750000900,"jti":"j"}"#.utf8))
        XCTAssertThrowsError(try remembering.verify(parts[0] + "." + otherPayload + "." + parts[2], now: now)) {
            XCTAssertEqual($0 as? JWTError, .badSignature)
        }
        XCTAssertThrowsError(try remembering.verify(token + "x", now: now))
        XCTAssertEqual(try remembering.verify(token, now: now).sub, "42")
    }

    func testItRemembersAtMostItsCapacityAndOnlyValidTokens() throws {
        let tokens = VerifiedTokens(capacity: 3)
        for index in 0..<10 { tokens.remember("token-\(index)", claims()) }
        XCTAssertEqual(tokens.count, 3)
        let remembering = JWTSigner(secret: secret, rememberingTokens: 3)
        for index in 0..<10 {
            var claims = claims()
            claims.jti = "token-\(index)"
            XCTAssertEqual(try remembering.verify(remembering.sign(claims), now: now).jti, "token-\(index)")
        }
        // A forged token is refused every time, however often it is sent.
        let forged = JWTSigner(secret: Array("another-secret-another-secret-!!".utf8)).sign(claims())
        for _ in 0..<3 {
            XCTAssertThrowsError(try remembering.verify(forged, now: now)) { XCTAssertEqual($0 as? JWTError, .badSignature) }
        }
    }

    // MARK: Good tokens

    func testSignedTokenRoundTrips() throws {
        let original = claims()
        let token = signer.sign(original)
        XCTAssertEqual(try signer.verify(token, now: now), original)
        XCTAssertEqual(token.split(separator: ".").count, 3)
        XCTAssertFalse(token.contains("="), "no padding")
    }

    func testHeaderIsExactlyHS256AndJWT() throws {
        let header = try XCTUnwrap(signer.sign(claims()).split(separator: ".").first)
        XCTAssertEqual(Crypto.base64URLDecode(header), Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        XCTAssertEqual(String(header), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9")
    }

    func testPayloadIsPlainJSONOfTheClaims() throws {
        let withNBF = claims(nbf: now - 5)
        let parts = signer.sign(withNBF).split(separator: ".")
        let json = try XCTUnwrap(Crypto.base64URLDecode(parts[1]))
        // Any JSON reader sees the same claims (AccessClaims is Codable with the claim names).
        XCTAssertEqual(try JSONDecoder().decode(AccessClaims.self, from: Data(json)), withNBF)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["iss", "sub", "roles", "sid", "tv", "iat", "nbf", "exp", "jti"])
        XCTAssertEqual(object["iss"] as? String, "steward")

        let withoutNBF = signer.sign(claims()).split(separator: ".")[1]
        let plain = try XCTUnwrap(Crypto.base64URLDecode(withoutNBF))
        XCTAssertFalse(String(decoding: plain, as: UTF8.self).contains("nbf"), "nbf omitted when unset")
    }

    func testAwkwardStringsRoundTrip() throws {
        var awkward = claims()
        awkward.sub = "quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{7}"
        awkward.roles = ["héllo", "世界", "emoji 🎉", ""]
        awkward.sid = "\u{2028}\u{2029}"
        awkward.jti = Crypto.randomToken(byteCount: 16)
        XCTAssertEqual(try signer.verify(signer.sign(awkward), now: now), awkward)
    }

    func testDefaultClaimsUseStewardIssuerAndFreshTokenIDs() {
        let a = AccessClaims(sub: "1", roles: [], sid: "s", tv: 0, iat: now, exp: now + 60)
        let b = AccessClaims(sub: "1", roles: [], sid: "s", tv: 0, iat: now, exp: now + 60)
        XCTAssertEqual(a.iss, "steward")
        XCTAssertNil(a.nbf)
        XCTAssertNotEqual(a.jti, b.jti)
    }

    func testEquivalentHeadersAreAccepted() throws {
        // Not Steward's byte-for-byte header, but the same meaning: read in full, accepted.
        let body = payload(validMembers)
        for header in [
            #"{"typ":"JWT","alg":"HS256"}"#, #"{"alg":"HS256"}"#, #" { "alg" : "HS256" , "kid" : "k1" } "#,
            #"{"alg":"HS\u0032\u0035\u0036","typ":"JWT"}"#,
        ] {
            XCTAssertEqual(try signer.verify(token(header: header, payload: body), now: now).sub, "42", header)
        }
    }

    func testUnknownClaimsAreIgnored() throws {
        let body = payload(validMembers + [#""aud":["x",{"y":[1,2.5,true,null]}]"#, #""extra":-1e3"#])
        XCTAssertEqual(try signer.verify(token(header: standardHeader, payload: body), now: now).roles, ["admin"])
    }

    // MARK: Algorithm and header

    func testAlgNoneIsRejected() {
        let body = payload(validMembers)
        let unsigned =
            Crypto.base64URLEncode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Crypto.base64URLEncode(Array(body.utf8)) + "."
        assertRejected(unsigned, .unsupportedAlgorithm)
        assertRejected(token(header: #"{"alg":"none","typ":"JWT"}"#, payload: body), .unsupportedAlgorithm)
        assertRejected(token(header: #"{"alg":"None"}"#, payload: body), .unsupportedAlgorithm)
    }

    func testOtherAlgorithmsAreRejectedEvenWithAValidHS256MAC() {
        // Each of these carries a correct HMAC-SHA-256 signature: only the header says
        // otherwise, and that alone must be enough to refuse it.
        let body = payload(validMembers)
        for header in [
            #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"HS384","typ":"JWT"}"#, #"{"alg":"RS256","typ":"JWT"}"#,
            #"{"alg":"ES256","typ":"JWT"}"#, #"{"alg":"hs256","typ":"JWT"}"#, #"{"alg":"HS256 ","typ":"JWT"}"#,
            #"{"typ":"JWT"}"#, #"{"alg":null,"typ":"JWT"}"#, #"{"alg":["HS256"],"typ":"JWT"}"#,
        ] {
            assertRejected(token(header: header, payload: body), .unsupportedAlgorithm)
        }
    }

    func testWrongTypeIsRejected() {
        let body = payload(validMembers)
        assertRejected(token(header: #"{"alg":"HS256","typ":"JWS"}"#, payload: body), .unsupportedType)
        assertRejected(token(header: #"{"alg":"HS256","typ":"at+jwt"}"#, payload: body), .unsupportedType)
        assertRejected(token(header: #"{"alg":"HS256","typ":1}"#, payload: body), .unsupportedType)
    }

    func testDuplicatedHeaderParameterIsRejected() {
        let body = payload(validMembers)
        assertRejected(token(header: #"{"alg":"HS256","alg":"none"}"#, payload: body), .duplicateHeaderParameter)
        assertRejected(token(header: #"{"alg":"none","alg":"HS256"}"#, payload: body), .duplicateHeaderParameter)
        // The same key spelt with an escape is still the same key.
        assertRejected(token(header: #"{"alg":"HS256","\u0061lg":"none"}"#, payload: body), .duplicateHeaderParameter)
        assertRejected(
            token(header: #"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#, payload: body), .duplicateHeaderParameter)
    }

    func testCriticalHeaderExtensionsAreRejected() {
        let body = payload(validMembers)
        assertRejected(
            token(header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#, payload: body), .unsupportedCriticalHeader)
    }

    // MARK: Signature

    func testBadSignaturesAreRejected() {
        let good = signer.sign(claims())
        // Signed under another secret.
        assertRejected(JWTSigner(secret: Array("another-secret-another-secret-!!".utf8)).sign(claims()), .badSignature)
        // One signature character changed (the first, so no unused-bit subtleties).
        var characters = Array(good)
        let signatureStart = good.utf8.count - 43
        characters[signatureStart] = characters[signatureStart] == "A" ? "B" : "A"
        assertRejected(String(characters), .badSignature)
        // Signature cut short or lengthened (still valid base64url).
        assertRejected(String(good.dropLast(3)), .badSignature)
        assertRejected(good + "AAAA", .badSignature)
        // A payload swapped in from another token, keeping the first token's signature.
        var other = claims()
        other.sub = "1"
        let otherParts = signer.sign(other).split(separator: ".")
        let goodParts = good.split(separator: ".")
        assertRejected([goodParts[0], otherParts[1], goodParts[2]].joined(separator: "."), .badSignature)
    }

    func testSignatureIsCheckedBeforeThePayloadIsRead() {
        // A payload that is not even JSON: with a bad signature the answer is badSignature,
        // showing the payload was never parsed.
        let header = Crypto.base64URLEncode(Array(standardHeader.utf8))
        let junk = Crypto.base64URLEncode(Array("not json at all {{{".utf8))
        let signature = Crypto.base64URLEncode([UInt8](repeating: 0, count: 32))
        assertRejected("\(header).\(junk).\(signature)", .badSignature)
        // The same payload, correctly signed, gets as far as the JSON reader.
        assertRejected(token(header: standardHeader, payload: "not json at all {{{"), .malformed)
    }

    // MARK: Claims

    func testWrongIssuerIsRejected() {
        var forged = claims()
        forged.iss = "someone-else"
        assertRejected(signer.sign(forged), .wrongIssuer)
        forged.iss = "Steward"
        assertRejected(signer.sign(forged), .wrongIssuer)
        forged.iss = ""
        assertRejected(signer.sign(forged), .wrongIssuer)
    }

    func testExpiryHonoursTheLeeway() throws {
        let token = signer.sign(claims())
        let exp = now + 900
        XCTAssertNoThrow(try signer.verify(token, now: exp - 1, leeway: 0))
        XCTAssertThrowsError(try signer.verify(token, now: exp, leeway: 0)) {
            XCTAssertEqual($0 as? JWTError, .expired)
        }
        XCTAssertNoThrow(try signer.verify(token, now: exp + 29), "within the default 30 s leeway")
        assertRejected(token, .expired, now: exp + 30)
        assertRejected(token, .expired, now: exp + 86_400)
        XCTAssertNoThrow(try signer.verify(token, now: exp - 1, leeway: -10), "negative leeway counts as zero")
    }

    func testExtremeTimesDoNotOverflow() throws {
        var far = claims()
        far.exp = Int.max
        far.nbf = Int.min
        XCTAssertEqual(try signer.verify(signer.sign(far), now: now).exp, Int.max)
        far.exp = Int.min
        assertRejected(signer.sign(far), .expired)
        XCTAssertNoThrow(try signer.verify(signer.sign(claims()), now: now, leeway: Int.max))
    }

    func testCurrentTimeIsTheDefault() throws {
        let issued = Int(Date().timeIntervalSince1970)
        let fresh = AccessClaims(sub: "1", roles: ["user"], sid: "s", tv: 0, iat: issued, exp: issued + 60)
        XCTAssertEqual(try signer.verify(signer.sign(fresh)), fresh)
        let stale = AccessClaims(sub: "1", roles: ["user"], sid: "s", tv: 0, iat: now, exp: now + 60)
        XCTAssertThrowsError(try signer.verify(signer.sign(stale))) { XCTAssertEqual($0 as? JWTError, .expired) }
    }

    func testNotBeforeInTheFutureIsRejected() throws {
        let token = signer.sign(claims(nbf: now + 100))
        assertRejected(token, .notYetValid)
        XCTAssertThrowsError(try signer.verify(token, now: now + 69, leeway: 30))
        XCTAssertNoThrow(try signer.verify(token, now: now + 70, leeway: 30), "within the leeway")
        XCTAssertNoThrow(try signer.verify(token, now: now + 100, leeway: 0))
        XCTAssertEqual(try signer.verify(token, now: now + 200).nbf, now + 100)
    }

    func testDuplicatedClaimsAreRejected() {
        assertRejected(
            token(header: standardHeader, payload: payload(validMembers + [#""sub":"1""#])), .duplicateClaim)
        assertRejected(
            token(header: standardHeader, payload: payload(validMembers + ["\"exp\":\(now + 99_999)"])),
            .duplicateClaim)
        assertRejected(
            token(header: standardHeader, payload: payload(validMembers + [#""\u0073ub":"1""#])), .duplicateClaim)
        assertRejected(
            token(header: standardHeader, payload: payload(validMembers + [#""extra":1"#, #""extra":2"#])),
            .duplicateClaim)
    }

    func testMissingClaimsAreRejected() {
        for (index, member) in validMembers.enumerated() {
            let name = String(member.dropFirst().prefix { $0 != "\"" })
            var members = validMembers
            members.remove(at: index)
            assertRejected(token(header: standardHeader, payload: payload(members)), .missingClaim(name))
        }
    }

    func testClaimsOfTheWrongTypeAreRejected() {
        let cases: [(String, String)] = [
            (#""tv":"1""#, "tv"), (#""exp":1.5e9"#, "exp"), ("\"iat\":\(now).0", "iat"),
            (#""exp":99999999999999999999"#, "exp"), (#""sub":42"#, "sub"), (#""roles":"admin""#, "roles"),
            (#""roles":["admin",1]"#, "roles"), (#""nbf":null"#, "nbf"), (#""jti":null"#, "jti"),
        ]
        for (replacement, name) in cases {
            var members = validMembers.filter { !$0.hasPrefix("\"\(name)\"") }
            members.append(replacement)
            assertRejected(token(header: standardHeader, payload: payload(members)), .invalidClaim(name))
        }
    }

    // MARK: Malformed tokens

    func testTruncatedAndGarbageTokensAreRejected() {
        let good = signer.sign(claims())
        let parts = good.split(separator: ".").map(String.init)
        let malformed = [
            "", ".", "..", "...", "garbage", "a.b", "a.b.c.d",
            parts[0], parts[0] + "." + parts[1], parts[0] + "." + parts[1] + ".",
            "." + parts[1] + "." + parts[2], parts[0] + ".." + parts[2],
            good + ".", good + "." + parts[2],
            String(good.dropFirst()),  // header no longer valid base64url / JSON
            parts[0] + "=." + parts[1] + "." + parts[2],  // padding
            parts[0] + "." + parts[1] + "." + parts[2] + "=",
            parts[0] + "." + parts[1] + ".+" + parts[2].dropFirst(),  // plain base64 alphabet
            " " + good, good + "\n",
            "Bearer " + good,
            String(repeating: "A", count: JWTSigner.maximumTokenLength + 1),
        ]
        for candidate in malformed {
            XCTAssertThrowsError(try signer.verify(candidate, now: now), candidate)
        }
        // The payload part mangled after signing: refused as a bad signature.
        assertRejected(parts[0] + "." + String(parts[1].dropLast()) + "." + parts[2], .badSignature)
    }

    func testMalformedJSONIsRejectedEvenWhenSigned() {
        let bodies = [
            "", "[]", "null", "\"claims\"", "{", "{}}", #"{"sub":"42",}"#, #"{'sub':'42'}"#,
            payload(validMembers) + "x", "\u{FEFF}" + payload(validMembers),
            #"{"sub":"bad \u00"}"#, #"{"sub":"\ud800"}"#, #"{"sub":"\udc00"}"#, #"{"sub":"\ud800\u0041"}"#,
            #"{"sub":"\x41"}"#, "{\"sub\":\"tab\there\"}",
            #"{"sub":01}"#, #"{"sub":-}"#, #"{"sub":1.}"#, #"{"sub":tru}"#,
            "{\"a\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}",
        ]
        for body in bodies {
            assertRejected(token(header: standardHeader, payload: body), .malformed)
        }
        // Invalid UTF-8 inside a string.
        let invalidUTF8: [UInt8] = Array(#"{"sub":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let signingInput =
            Crypto.base64URLEncode(Array(standardHeader.utf8)) + "." + Crypto.base64URLEncode(invalidUTF8)
        let mac = Crypto.hmacSHA256(key: secret, message: Array(signingInput.utf8))
        assertRejected(signingInput + "." + Crypto.base64URLEncode(mac), .malformed)
    }

    func testEscapedStringsAreDecoded() throws {
        let members = validMembers.filter { !$0.hasPrefix(#""sub""#) } + [#""sub":"\u00e9\ud83c\udf89\n\/\"""#]
        let claims = try signer.verify(token(header: standardHeader, payload: payload(members)), now: now)
        XCTAssertEqual(claims.sub, "é🎉\n/\"")
    }

    // MARK: Hygiene and speed

    func testSignerNeverPrintsItsSecret() {
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [String(describing: signer), String(reflecting: signer), dumped] {
            XCTAssertFalse(text.contains("an-hs256"), text)
            XCTAssertFalse(text.contains("97"), text)  // the secret's first byte, as a number
        }
    }

    func testVerificationIsFast() throws {
        let token = signer.sign(claims())
        let rounds = 2_000
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            _ = try signer.verify(token, now: now)
        }
        let microseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000 / Double(rounds)
        // Measured about 6 µs in release and 35 to 130 µs unoptimised, on a loaded
        // two-core machine; the bounds leave room for noise but catch a slow path (a
        // Foundation JSON round trip or a regex costs far more).
        #if DEBUG
            let limit = 500.0
        #else
            let limit = 50.0
        #endif
        XCTAssertLessThan(microseconds, limit, "\(microseconds) µs per verification")
    }
}

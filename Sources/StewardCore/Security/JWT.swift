import COpenSSL
import Foundation
import Synchronization

// Steward's access tokens are JSON Web Tokens (RFC 7519) signed with HMAC-SHA-256 (HS256,
// RFC 7518 §3.2) under the server secret:
//
//     base64url(header) "." base64url(payload) "." base64url(HMAC-SHA-256(secret, first two parts))
//
// Only tokens Steward itself issued are ever accepted, so the verifier is deliberately
// narrow: one algorithm, one issuer, one claim set, strict encodings. Everything outside
// that is refused with a reason (``JWTError``), which the HTTP layer turns into 401.

/// The claims of an access token (docs/security.md). Field names are the JSON claim names.
public struct AccessClaims: Sendable, Equatable, Codable {
    /// Subject: the user's id, as a decimal string.
    public var sub: String
    /// Names of the user's roles when the token was issued.
    public var roles: [String]
    /// Session id: the refresh-token family the token was issued with, so logging out of
    /// that session can refuse its access tokens too.
    public var sid: String
    /// Token version: the user's counter at issue time. Password changes, resets, role
    /// changes and deactivation bump the stored counter, and a token whose `tv` is behind
    /// it is stale (checked by the caller against the database, not here).
    public var tv: Int
    /// Issued at, in seconds since 1970.
    public var iat: Int
    /// Expires at, in seconds since 1970.
    public var exp: Int
    /// Issuer: always ``JWTSigner/issuer`` for tokens Steward accepts.
    public var iss: String
    /// Token id: random, so every token is distinct and can be named in audit details.
    public var jti: String
    /// Not before, in seconds since 1970; Steward does not set it, but honours it.
    public var nbf: Int?

    public init(
        sub: String, roles: [String], sid: String, tv: Int, iat: Int, exp: Int,
        iss: String = JWTSigner.issuer, jti: String = Crypto.randomToken(byteCount: 16), nbf: Int? = nil
    ) {
        self.sub = sub
        self.roles = roles
        self.sid = sid
        self.tv = tv
        self.iat = iat
        self.exp = exp
        self.iss = iss
        self.jti = jti
        self.nbf = nbf
    }
}

/// Why a token was refused. Every case means "401"; the reason is for logs and tests.
///
/// No case carries text from the token itself: a token is a credential, and log lines
/// must never hold one (docs/security.md). The claim names in ``missingClaim(_:)`` and
/// ``invalidClaim(_:)`` are Steward's own constants.
public enum JWTError: Error, Sendable, Equatable {
    /// Not three base64url parts, not strict base64url, not a JSON object, or too long.
    case malformed
    /// The header's `alg` is absent or anything but exactly `HS256` (`none`, `HS512`,
    /// `RS256`, `hs256` …).
    case unsupportedAlgorithm
    /// The header's `typ` is present but is not `JWT`.
    case unsupportedType
    /// The header lists `crit` extensions, none of which Steward understands (RFC 7515
    /// §4.1.11 requires refusing the token then).
    case unsupportedCriticalHeader
    /// A header parameter appears twice.
    case duplicateHeaderParameter
    /// The signature is not the HMAC of the token under the server secret.
    case badSignature
    /// A claim appears twice in the payload.
    case duplicateClaim
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim has the wrong JSON type (a string `exp`, a number in `roles`, a fraction).
    case invalidClaim(String)
    /// `iss` is not ``JWTSigner/issuer``.
    case wrongIssuer
    /// `exp` has passed, by more than the leeway.
    case expired
    /// `nbf` is still in the future, by more than the leeway.
    case notYetValid
}

/// Signs and verifies HS256 access tokens under one secret.
///
/// Verification runs on every authenticated HTTP request, so it works on the token's bytes
/// directly: no regular expressions and no Foundation JSON, a few microseconds per token.
/// Its order matters: the header is checked first (so `alg: none` never reaches the
/// signature code), then the signature is compared in constant time, and only then is the
/// payload decoded and its claims read.
public struct JWTSigner: Sendable {
    /// The `iss` every Steward token carries, and the only one accepted.
    public static let issuer = "steward"

    /// Tokens longer than this are refused before any decoding. Steward's tokens are a few
    /// hundred bytes; the bound keeps a hostile header from costing more than that.
    public static let maximumTokenLength = 8192

    /// The HMAC key. RFC 7518 §3.2 asks for at least 32 bytes (the hash's size), which the
    /// configuration enforces for `STEWARD_JWT_SECRET` (docs/configuration.md).
    private let secret: [UInt8]
    /// Tokens already verified, when the signer remembers them (see ``VerifiedTokens``).
    private let verified: VerifiedTokens?

    /// - Parameter capacity: how many verified tokens to remember (0: none). A client
    ///   sends the same access token with every request for its lifetime; remembering it
    ///   saves the HMAC and the decoding, about a twentieth of what a small request costs.
    public init(secret: [UInt8], rememberingTokens capacity: Int = 0) {
        self.secret = secret
        self.verified = capacity > 0 ? VerifiedTokens(capacity: capacity) : nil
    }

    /// The one header Steward writes, `{"alg":"HS256","typ":"JWT"}`, already encoded.
    static let headerSegment = Crypto.base64URLEncode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    private static let headerSegmentBytes = Array(headerSegment.utf8)

    // MARK: Signing

    /// The signed token for `claims`: header `{"alg":"HS256","typ":"JWT"}`, the claims as
    /// compact JSON (`nbf` only when set), and the HMAC-SHA-256 signature.
    public func sign(_ claims: AccessClaims) -> String {
        var payload: [UInt8] = []
        payload.reserveCapacity(256)
        claims.appendJSON(to: &payload)
        let signingInput = Self.headerSegment + "." + Crypto.base64URLEncode(payload)
        let signature = Crypto.hmacSHA256(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Crypto.base64URLEncode(signature)
    }

    // MARK: Verifying

    /// The claims of `token` if Steward signed it with this secret and it is valid at
    /// `now`; otherwise the reason it is not.
    ///
    /// - Parameters:
    ///   - now: the current time in seconds since 1970 (a parameter so tests can move it).
    ///   - leeway: seconds of clock difference forgiven on `exp` and `nbf`; negative
    ///     values count as zero.
    ///
    /// A valid token here can still be stale: the caller compares `tv` with the user's
    /// token version and checks that the `sid` session was not logged out.
    public func verify(
        _ token: String, now: Int = Int(Date().timeIntervalSince1970), leeway: Int = 30
    ) throws(JWTError) -> AccessClaims {
        guard token.utf8.count <= Self.maximumTokenLength else { throw .malformed }
        let leeway = max(leeway, 0)
        if let verified, let claims = verified.claims(for: token) {
            do {
                try Self.checkTime(claims, now: now, leeway: leeway)
            } catch {
                verified.forget(token)
                throw error
            }
            return claims
        }
        var bytes = token
        let outcome = bytes.withUTF8 { bytes in
            Result { () throws(JWTError) -> AccessClaims in
                try verify(utf8: bytes, now: now, leeway: leeway)
            }
        }
        let claims = try outcome.get()
        verified?.remember(token, claims)
        return claims
    }

    private func verify(
        utf8 token: UnsafeBufferPointer<UInt8>, now: Int, leeway: Int
    ) throws(JWTError) -> AccessClaims {
        // Exactly two dots; header and payload non-empty. An empty signature is let through
        // to be refused by name: it is what `alg: none` tokens carry.
        var dots = (first: -1, second: -1)
        for index in 0..<token.count where token[index] == UInt8(ascii: ".") {
            if dots.first < 0 {
                dots.first = index
            } else if dots.second < 0 {
                dots.second = index
            } else {
                throw .malformed
            }
        }
        let (firstDot, secondDot) = dots
        guard firstDot > 0, secondDot > firstDot + 1 else { throw .malformed }
        let headerPart = UnsafeBufferPointer(rebasing: token[..<firstDot])
        let payloadPart = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        let signaturePart = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])

        // 1. The header: only HS256. Steward's own header is recognised byte for byte;
        //    anything else is decoded and read in full.
        if !Self.isCanonicalHeader(headerPart) {
            try Self.checkHeader(headerPart)
        }

        // 2. The signature, compared in constant time, before the payload is looked at.
        guard let signature = Crypto.base64URLDecode(utf8: signaturePart) else { throw .malformed }
        let signingInput = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<secondDot]))
        let expected = Crypto.hmacSHA256(key: secret, message: signingInput)
        guard Crypto.constantTimeEquals(signature, expected) else { throw .badSignature }

        // 3. The payload, now known to come from whoever holds the secret.
        guard let payload = Crypto.base64URLDecode(utf8: payloadPart) else { throw .malformed }
        let members: JSONObjectMembers
        do {
            members = try payload.withUnsafeBufferPointer { bytes throws(JSONObjectReader.Failure) in
                try JSONObjectReader.readObject(bytes)
            }
        } catch .duplicateKey {
            throw .duplicateClaim
        } catch {
            throw .malformed
        }
        let claims = try AccessClaims(members: members)

        guard claims.iss == Self.issuer else { throw .wrongIssuer }
        try Self.checkTime(claims, now: now, leeway: leeway)
        return claims
    }

    /// The time window: valid from `nbf` (if set) until `exp`, each `leeway` seconds wider.
    private static func checkTime(_ claims: AccessClaims, now: Int, leeway: Int) throws(JWTError) {
        // Valid while now < exp + leeway; with an exp so large that adding overflows, the
        // deadline is beyond any clock.
        let (deadline, deadlineOverflows) = claims.exp.addingReportingOverflow(leeway)
        guard deadlineOverflows || now < deadline else { throw .expired }
        if let nbf = claims.nbf {
            // Valid once now >= nbf - leeway; an underflow puts that before any clock.
            let (earliest, earliestUnderflows) = nbf.subtractingReportingOverflow(leeway)
            guard earliestUnderflows || now >= earliest else { throw .notYetValid }
        }
    }

    private static func isCanonicalHeader(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
        headerSegmentBytes.withUnsafeBytes { canonical in
            guard part.count == canonical.count, let base = part.baseAddress, let canonicalBase = canonical.baseAddress
            else { return false }
            return memcmp(base, canonicalBase, part.count) == 0
        }
    }

    /// Reads a header other than Steward's canonical one: `alg` must be exactly `HS256`,
    /// `typ` if present exactly `JWT`, no parameter twice and no `crit` list.
    private static func checkHeader(_ part: UnsafeBufferPointer<UInt8>) throws(JWTError) {
        guard let header = Crypto.base64URLDecode(utf8: part) else { throw .malformed }
        let members: JSONObjectMembers
        do {
            members = try header.withUnsafeBufferPointer { bytes throws(JSONObjectReader.Failure) in
                try JSONObjectReader.readObject(bytes)
            }
        } catch .duplicateKey {
            throw .duplicateHeaderParameter
        } catch {
            throw .malformed
        }
        guard case .string("HS256") = members["alg"] else { throw .unsupportedAlgorithm }
        if let type = members["typ"] {
            guard case .string("JWT") = type else { throw .unsupportedType }
        }
        guard members["crit"] == nil else { throw .unsupportedCriticalHeader }
    }
}

/// Access tokens a signer has verified, with their claims.
///
/// Only a token that passed every check is kept, under its whole text: a token differing
/// in one byte (a forged signature, an edited payload) is another key and is verified in
/// full. A kept token is still checked against the clock on every use and forgotten once
/// expired; whether its session and token version still stand is not a property of the
/// token, and the caller checks that on every request as before. At most `capacity` are
/// kept (an arbitrary one makes room), and only tokens this signer issued can get in, so
/// a client cannot grow it with tokens of its own making.
final class VerifiedTokens: Sendable {
    let capacity: Int
    private let held = Mutex<[String: AccessClaims]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { held.withLock { $0.count } }

    func claims(for token: String) -> AccessClaims? {
        held.withLock { $0[token] }
    }

    func remember(_ token: String, _ claims: AccessClaims) {
        held.withLock { held in
            if held.count >= capacity, held[token] == nil { held.remove(at: held.startIndex) }
            held[token] = claims
        }
    }

    func forget(_ token: String) {
        _ = held.withLock { $0.removeValue(forKey: token) }
    }
}

extension JWTSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    // The secret must never reach a log line, a crash report or `dump` output.
    public var description: String { "JWTSigner(secret: \(secret.count) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

// MARK: - Claims to and from JSON

extension AccessClaims {
    /// Compact JSON, written by hand: a fixed member order, no Foundation round trip, and
    /// the same bytes for the same claims every time.
    func appendJSON(to output: inout [UInt8]) {
        func key(_ name: StaticString) {
            output.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { output.append(contentsOf: $0) }
            output.append(contentsOf: #"":"#.utf8)
        }
        output.append(UInt8(ascii: "{"))
        key("iss"); JSONText.appendString(iss, to: &output, escaping: .shortForms)
        output.append(UInt8(ascii: ","))
        key("sub"); JSONText.appendString(sub, to: &output, escaping: .shortForms)
        output.append(UInt8(ascii: ","))
        key("roles")
        output.append(UInt8(ascii: "["))
        for (index, role) in roles.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONText.appendString(role, to: &output, escaping: .shortForms)
        }
        output.append(UInt8(ascii: "]"))
        output.append(UInt8(ascii: ","))
        key("sid"); JSONText.appendString(sid, to: &output, escaping: .shortForms)
        output.append(UInt8(ascii: ","))
        key("tv"); output.append(contentsOf: String(tv).utf8)
        output.append(UInt8(ascii: ","))
        key("iat"); output.append(contentsOf: String(iat).utf8)
        if let nbf {
            output.append(UInt8(ascii: ","))
            key("nbf"); output.append(contentsOf: String(nbf).utf8)
        }
        output.append(UInt8(ascii: ","))
        key("exp"); output.append(contentsOf: String(exp).utf8)
        output.append(UInt8(ascii: ","))
        key("jti"); JSONText.appendString(jti, to: &output, escaping: .shortForms)
        output.append(UInt8(ascii: "}"))
    }

    /// The claims from a verified payload's members: every claim but `nbf` is required,
    /// each with its JSON type; members Steward does not know are ignored.
    init(members: JSONObjectMembers) throws(JWTError) {
        func string(_ name: String) throws(JWTError) -> String {
            guard let value = members[name] else { throw .missingClaim(name) }
            guard case .string(let text) = value else { throw .invalidClaim(name) }
            return text
        }
        func integer(_ name: String) throws(JWTError) -> Int {
            guard let value = members[name] else { throw .missingClaim(name) }
            guard case .integer(let number) = value else { throw .invalidClaim(name) }
            return number
        }
        guard let rolesValue = members["roles"] else { throw .missingClaim("roles") }
        guard case .array(let roleValues) = rolesValue else { throw .invalidClaim("roles") }
        var roles: [String] = []
        roles.reserveCapacity(roleValues.count)
        for value in roleValues {
            guard case .string(let role) = value else { throw .invalidClaim("roles") }
            roles.append(role)
        }
        let nbf: Int? = members["nbf"] == nil ? nil : try integer("nbf")
        self.init(
            sub: try string("sub"), roles: roles, sid: try string("sid"), tv: try integer("tv"),
            iat: try integer("iat"), exp: try integer("exp"), iss: try string("iss"), jti: try string("jti"),
            nbf: nbf
        )
    }
}

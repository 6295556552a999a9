import Foundation

/// An IP address range in CIDR form (`10.0.0.0/8`, `::1/128`, or a bare address for one
/// host), for `STEWARD_TRUSTED_PROXIES`.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's bytes: 4 for IPv4, 16 for IPv6.
    let network: [UInt8]
    let prefixLength: Int

    public static let acceptedForm = "comma-separated CIDR ranges or addresses, such as 10.0.0.0/8, 192.168.1.10, ::1 or fd00::/8"

    /// Parses `text`; `nil` when it is not an address or a CIDR range.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let bytes = AddressRange.bytes(of: String(first)) else { return nil }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].allSatisfy(\.isNumber), (0...maximum).contains(value) else { return nil }
            length = value
        }
        network = AddressRange.masked(bytes, prefixLength: length)
        prefixLength = length
    }

    /// True when `address` (text, as a socket reports it) lies in the range. An IPv4
    /// address mapped into IPv6 (`::ffff:10.0.0.1`) counts as the IPv4 address.
    public func contains(_ address: String) -> Bool {
        guard var bytes = AddressRange.bytes(of: address) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        return AddressRange.masked(bytes, prefixLength: prefixLength) == network
    }

    public var description: String {
        var copy = network
        let text: String = copy.withUnsafeMutableBytes { raw in
            var buffer = [CChar](repeating: 0, count: 64)
            let family = raw.count == 4 ? AF_INET : AF_INET6
            guard inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(cString: buffer)
        }
        return "\(text)/\(prefixLength)"
    }

    static func bytes(of text: String) -> [UInt8]? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, prefixLength - index * 8))
            return bits == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }
}

extension Array where Element == AddressRange {
    /// The client of a request that came through proxies: when the TCP peer is one of these
    /// ranges, the right-most `X-Forwarded-For` address that is not (a proxy appends the
    /// address it received from, so addresses to the left of the first untrusted one are
    /// whatever the client claimed). Otherwise, and when the header holds nothing usable,
    /// the peer itself.
    public func clientAddress(peer: String, forwardedFor header: String?) -> String {
        guard !isEmpty, contains(where: { $0.contains(peer) }), let header else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard AddressRange.bytes(of: hop) != nil else { return peer }
            if !contains(where: { $0.contains(hop) }) { return hop }
        }
        return hops.first ?? peer
    }
}

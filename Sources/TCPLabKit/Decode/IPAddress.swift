/// An IPv4 or IPv6 address as the lab shows it: a value read from a packet header or
/// from /proc/net/tcp, printed the way `ss` and tcpdump print it.
public enum IPAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Four bytes in network order (`127.0.0.1` is `[127, 0, 0, 1]`).
    case v4(UInt8, UInt8, UInt8, UInt8)
    /// Sixteen bytes in network order.
    case v6([UInt8])

    public static let loopbackV4 = IPAddress.v4(127, 0, 0, 1)
    public static let loopbackV6 = IPAddress.v6(Array(repeating: 0, count: 15) + [1])

    /// Builds an address from 4 or 16 bytes in network order; `nil` for any other length.
    public init?<Bytes: Collection>(networkOrder bytes: Bytes) where Bytes.Element == UInt8 {
        let b = Array(bytes)
        switch b.count {
        case 4: self = .v4(b[0], b[1], b[2], b[3])
        case 16: self = .v6(b)
        default: return nil
        }
    }

    /// Parses dotted IPv4 (`127.0.0.1`) or IPv6 text (`::1`, `fe80::1`).
    public init?(_ text: String) {
        if let v4 = IPAddress.parseV4(text) { self = v4; return }
        if let v6 = IPAddress.parseV6(text) { self = v6; return }
        return nil
    }

    public var isIPv6: Bool { if case .v6 = self { return true } else { return false } }

    /// An IPv6 link-local unicast address, fe80::/10 (RFC 4291 §2.5.6): it means something only
    /// with a scope (the interface, `fe80::1%v0`), which the address bytes do not carry.
    public var isIPv6LinkLocal: Bool {
        guard case let .v6(bytes) = self else { return false }
        return bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
    }

    /// A total order (IPv4 before IPv6, then by bytes) that allocates nothing: connection
    /// tracking compares addresses for every decoded segment.
    public func precedes(_ other: IPAddress) -> Bool {
        switch (self, other) {
        case let (.v4(a, b, c, d), .v4(e, f, g, h)): return (a, b, c, d) < (e, f, g, h)
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        case let (.v6(x), .v6(y)): return x.lexicographicallyPrecedes(y)
        }
    }

    /// Hashes the address bytes in one call rather than byte by byte.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .v4(a, b, c, d):
            hasher.combine(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
        case let .v6(bytes):
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// The bytes in network order.
    public var bytes: [UInt8] {
        switch self {
        case let .v4(a, b, c, d): return [a, b, c, d]
        case let .v6(bytes): return bytes
        }
    }

    public var description: String {
        switch self {
        case let .v4(a, b, c, d):
            // Digit by digit: socket tables print tens of thousands of these.
            var text: [UInt8] = []
            text.reserveCapacity(15)
            IPAddress.appendV4(a, b, c, d, to: &text)
            return String(decoding: text, as: UTF8.self)
        case let .v6(bytes): return IPAddress.formatV6(bytes)
        }
    }

    /// `127.0.0.1:7777` or `[::1]:7777`, as ss prints an endpoint.
    public func endpoint(port: UInt16) -> String {
        guard case let .v4(a, b, c, d) = self else { return "[\(self)]:\(port)" }
        // Byte by byte, one buffer: `tcplab decode` names two endpoints per connection.
        var text: [UInt8] = []
        text.reserveCapacity(21)
        IPAddress.appendV4(a, b, c, d, to: &text)
        text.append(UInt8(ascii: ":"))
        text.appendDecimal(UInt64(port))
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `a.b.c.d` in decimal, no leading zeros.
    private static func appendV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, to text: inout [UInt8]) {
        func append(_ byte: UInt8) {
            if byte >= 100 { text.append(UInt8(ascii: "0") + byte / 100) }
            if byte >= 10 { text.append(UInt8(ascii: "0") + byte / 10 % 10) }
            text.append(UInt8(ascii: "0") + byte % 10)
        }
        append(a)
        text.append(UInt8(ascii: "."))
        append(b)
        text.append(UInt8(ascii: "."))
        append(c)
        text.append(UInt8(ascii: "."))
        append(d)
    }

    private static func parseV4(_ text: String) -> IPAddress? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return IPAddress(networkOrder: bytes)
    }

    private static func parseV6(_ text: String) -> IPAddress? {
        guard text.contains(":") else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return .v6(all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })
    }

    /// RFC 5952 text: lower-case hex, the longest run of two or more zero groups as `::`.
    private static func formatV6(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength { bestStart = index; bestLength = end - index }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

/// What one captured frame turned out to be: a TCP segment, or something else and what it was.
public enum DecodedPacket: Sendable, Hashable {
    /// A TCP segment with its IP endpoints.
    case tcp(TCPSegment)
    /// Not TCP, with a short reason: "ARP", "IPv4 protocol 17 (UDP)",
    /// "IPv6 next header 58 (ICMPv6)", "IPv4 fragment", "ethertype 0x88cc", …
    case notTCP(String)

    /// The segment, or `nil` when the frame was not TCP.
    public var segment: TCPSegment? {
        if case let .tcp(segment) = self { return segment }
        return nil
    }
}

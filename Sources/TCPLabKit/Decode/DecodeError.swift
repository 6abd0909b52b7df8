/// Why a captured frame could not be decoded down to TCP.
///
/// `layer` names where decoding stopped, in words a student can look up: "Ethernet header",
/// "802.1Q VLAN tag", "Linux cooked (SLL) header", "Linux cooked v2 (SLL2) header",
/// "loopback (NULL/LOOP) header", "IP header", "IPv4 header", "IPv6 header",
/// "IPv6 extension header", "TCP header", "TCP options", "MPLS label", "PPPoE header", "PPP header",
/// "802.2 LLC header", "SNAP header", "Cisco HDLC header".
public enum DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The frame ends before the layer does: the capture's snaplen cut it, or the packet is short.
    case truncated(layer: String, needed: Int, available: Int)
    /// The bytes are there but make no sense: a bad IP version, a TCP data offset below 5, …
    case invalid(layer: String, reason: String)
    /// The capture's link type (a pcap DLT/LINKTYPE value) is not one the decoder knows.
    case unsupportedLinkType(Int32)

    /// One line a student understands, e.g. "truncated TCP header: needed 20 bytes, have 12".
    public var description: String {
        switch self {
        case let .truncated(layer, needed, available):
            return "truncated \(layer): needed \(needed) bytes, have \(available)"
        case let .invalid(layer, reason):
            return "invalid \(layer): \(reason)"
        case let .unsupportedLinkType(value):
            return "unsupported link type \(value): tcplab reads Ethernet, Linux cooked (SLL/SLL2), "
                + "PPP, Cisco HDLC, raw IP and loopback (NULL/LOOP) captures"
        }
    }
}

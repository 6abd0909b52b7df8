/// The link layer a capture's frames start with, as pcap's `LINKTYPE_` values (the numbers
/// stored in a pcap file header).
public enum LinkType: Int32, Sendable, Hashable, Codable {
    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    case null = 0
    /// Ethernet II or 802.3 with LLC/SNAP, with any stack of VLAN tags, MPLS labels or a PPPoE
    /// session inside. Linux `lo` captures as this, MACs all zero.
    case ethernet = 1
    /// PPP (RFC 1661): an optional `ff 03` address and control, then a 1- or 2-byte protocol.
    case ppp = 9
    /// PPP in HDLC-like framing (RFC 1662), or Cisco HDLC, as tcpdump's `PPP_SERIAL`.
    case pppSerial = 50
    /// PPPoE without an Ethernet header (`PPP_ETHER`): the 6-byte PPPoE header, then PPP.
    case pppOverEthernet = 51
    /// Cisco HDLC (`C_HDLC`): address, control, then an ethertype.
    case ciscoHDLC = 104
    /// Raw IP: the frame is an IPv4 or IPv6 packet, told apart by its first nibble.
    case raw = 101
    /// OpenBSD loopback: a 4-byte address family in network byte order.
    case loop = 108
    /// Linux cooked capture v1 (`tcpdump -i any` on older libpcap): a 16-byte header.
    case linuxCooked = 113
    /// Raw IPv4 only.
    case ipv4 = 228
    /// Raw IPv6 only.
    case ipv6 = 229
    /// Linux cooked capture v2 (`tcpdump -i any` on libpcap ≥ 1.10): a 20-byte header.
    case linuxCooked2 = 276

    /// Maps a value from `pcap_datalink()` (a `DLT_` value) to a link type; `nil` if unsupported.
    ///
    /// Most DLT values equal their LINKTYPE, but `DLT_RAW` is 12 on most systems and 14 on
    /// OpenBSD, while a savefile records it as LINKTYPE_RAW 101; all three mean `.raw`.
    public init?(dataLinkType: Int32) {
        switch dataLinkType {
        case 12, 14, 101: self = .raw
        default:
            guard let type = LinkType(rawValue: dataLinkType) else { return nil }
            self = type
        }
    }
}

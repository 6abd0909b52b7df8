/// Which IP version the link layer says follows its header.
enum IPVersionHint: Sendable, Equatable {
    case v4
    case v6
    /// Raw IP: the version is whatever the packet's first nibble says.
    case fromFirstNibble
}

/// What a link-layer header said comes next.
enum LinkPayload: Sendable, Equatable {
    /// An IP packet starting at `offset` in the frame.
    case ip(IPVersionHint, offset: Int)
    /// Something other than IP, with a short reason for `DecodedPacket.notTCP`.
    case other(String)
}

/// Strips the link-layer header from a frame (Ethernet, Linux cooked, PPP, Cisco HDLC, loopback,
/// raw IP), and whatever the ethertype chain stacks on it (`EtherTypeChain`).
enum LinkLayer {
    /// Reads the link-layer header of `frame` and says where the IP packet starts.
    static func parse(_ frame: ByteReader, linkType: LinkType) throws(DecodeError) -> LinkPayload {
        var reader = frame
        switch linkType {
        case .ethernet:
            let layer = "Ethernet header"
            try reader.require(14, layer: layer)
            try reader.skip(12, layer: layer)  // destination and source MAC
            return try EtherTypeChain.payload(try reader.readUInt16(layer: layer), &reader)
        case .linuxCooked:
            // packet type, ARPHRD type, address length, 8-byte address, then the protocol.
            let layer = "Linux cooked (SLL) header"
            try reader.require(16, layer: layer)
            try reader.skip(14, layer: layer)
            return try cookedProtocol(try reader.readUInt16(layer: layer), &reader)
        case .linuxCooked2:
            // The protocol comes first; interface index, ARPHRD type, packet type and address follow.
            let layer = "Linux cooked v2 (SLL2) header"
            try reader.require(20, layer: layer)
            let type = try reader.readUInt16(layer: layer)
            try reader.skip(18, layer: layer)
            return try cookedProtocol(type, &reader)
        case .null, .loop:
            return try loopback(&reader)
        case .raw:
            return .ip(.fromFirstNibble, offset: 0)
        case .ipv4:
            return .ip(.v4, offset: 0)
        case .ipv6:
            return .ip(.v6, offset: 0)
        case .ppp:
            return try PPPFraming.ppp(&reader)
        case .pppSerial:
            return try PPPFraming.serial(&reader)
        case .pppOverEthernet:
            return try PPPFraming.pppoeSession(&reader)
        case .ciscoHDLC:
            return try PPPFraming.ciscoHDLC(&reader)
        }
    }

    /// A Linux cooked header's protocol: an ethertype, or (below 0x0600) one of the kernel's
    /// `ETH_P_*` pseudo-types; 4 (`ETH_P_802_2`) means an 802.2 LLC frame follows.
    private static func cookedProtocol(_ type: UInt16, _ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        if type >= 0x0600 { return try EtherTypeChain.payload(type, &reader) }
        if type == 0x0004 { return try EtherTypeChain.llc(&reader) }
        return .other("Linux cooked protocol 0x" + hex4(type))
    }

    /// BSD NULL / OpenBSD LOOP: a 4-byte address family.
    ///
    /// NULL stores it in the capturing host's byte order and LOOP in network order, and a file
    /// may come from a host of either endianness, so both readings are accepted.
    private static func loopback(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let family = try reader.readUInt32(layer: "loopback (NULL/LOOP) header")
        let swapped = family.byteSwapped
        if family == 2 || swapped == 2 { return .ip(.v4, offset: 4) }
        // AF_INET6 is 24 on NetBSD/OpenBSD, 28 on FreeBSD/DragonFly, 30 on macOS.
        for candidate in [family, swapped] where candidate == 24 || candidate == 28 || candidate == 30 {
            return .ip(.v6, offset: 4)
        }
        return .other("loopback address family \(min(family, swapped))")
    }
}

/// Four lower-case hex digits, as tcpdump prints an ethertype or a PPP protocol.
func hex4(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}

/// Two lower-case hex digits.
func hex2(_ value: UInt8) -> String {
    value < 0x10 ? "0" + String(value, radix: 16) : String(value, radix: 16)
}

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

/// Strips the link-layer header from a frame (Ethernet, Linux cooked, loopback, raw IP).
enum LinkLayer {
    /// Reads the link-layer header of `frame` and says where the IP packet starts.
    static func parse(_ frame: [UInt8], linkType: LinkType) throws(DecodeError) -> LinkPayload {
        var reader = ByteReader(frame)
        switch linkType {
        case .ethernet:
            return try ethernet(&reader)
        case .linuxCooked:
            // packet type, ARPHRD type, address length, 8-byte address, then the protocol.
            let layer = "Linux cooked (SLL) header"
            try reader.require(16, layer: layer)
            try reader.skip(14, layer: layer)
            return etherType(try reader.readUInt16(layer: layer), offset: 16)
        case .linuxCooked2:
            // The protocol comes first; interface index, ARPHRD type, packet type and address follow.
            let layer = "Linux cooked v2 (SLL2) header"
            try reader.require(20, layer: layer)
            return etherType(try reader.readUInt16(layer: layer), offset: 20)
        case .null, .loop:
            return try loopback(&reader)
        case .raw:
            return .ip(.fromFirstNibble, offset: 0)
        case .ipv4:
            return .ip(.v4, offset: 0)
        case .ipv6:
            return .ip(.v6, offset: 0)
        }
    }

    /// Ethernet II: two MACs and an ethertype, with at most one 802.1Q tag in between.
    private static func ethernet(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "Ethernet header"
        try reader.require(14, layer: layer)
        try reader.skip(12, layer: layer)
        let type = try reader.readUInt16(layer: layer)
        guard type == 0x8100 else { return etherType(type, offset: 14) }
        let tagLayer = "802.1Q VLAN tag"
        try reader.require(4, layer: tagLayer)
        try reader.skip(2, layer: tagLayer)  // priority, DEI and VLAN ID: the lab has no use for them
        return etherType(try reader.readUInt16(layer: tagLayer), offset: 18)
    }

    /// BSD NULL / OpenBSD LOOP: a 4-byte address family.
    ///
    /// NULL stores it in the capturing host's byte order and LOOP in network order, and a file
    /// may come from a host of either endianness, so both readings are accepted.
    private static func loopback(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let family = try reader.readUInt32(layer: "loopback (NULL/LOOP) header")
        let candidates = [family, family.byteSwapped]
        if candidates.contains(2) { return .ip(.v4, offset: 4) }
        // AF_INET6 is 24 on NetBSD/OpenBSD, 28 on FreeBSD/DragonFly, 30 on macOS.
        if candidates.contains(where: { [24, 28, 30].contains($0) }) { return .ip(.v6, offset: 4) }
        return .other("loopback address family \(min(family, family.byteSwapped))")
    }

    /// Dispatches on an ethertype (Ethernet, SLL and SLL2 share these numbers).
    private static func etherType(_ type: UInt16, offset: Int) -> LinkPayload {
        switch type {
        case 0x0800: return .ip(.v4, offset: offset)
        case 0x86DD: return .ip(.v6, offset: offset)
        case 0x0806: return .other("ARP")
        default: return .other("ethertype 0x" + hex4(type))
        }
    }

    private static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

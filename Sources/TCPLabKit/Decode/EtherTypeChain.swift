/// Follows an ethertype through what can be stacked before IP, as tcpdump's `ethertype_print`
/// does: any number of VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8, the older QinQ 0x9100 and
/// 0x9200), an MPLS label stack (0x8847, 0x8848, RFC 3032), a PPPoE session (0x8864, RFC 2516),
/// and 802.3 frames whose type field is a length (≤ 1500) with an 802.2 LLC header and SNAP.
///
/// Shared by Ethernet, Linux cooked (SLL, SLL2: a VLAN tag the kernel kept shows up here) and
/// Cisco HDLC. Every step consumes header bytes, so the chain ends with the frame.
enum EtherTypeChain {
    /// What follows an ethertype `type` whose field ends at `reader`'s position.
    static func payload(_ type: UInt16, _ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        var type = type
        while true {
            switch type {
            case 0x0800:
                return .ip(.v4, offset: reader.position)
            case 0x86DD:
                return .ip(.v6, offset: reader.position)
            case 0x0806:
                return .other("ARP")
            case 0x8100, 0x88A8, 0x9100, 0x9200:
                let layer = "802.1Q VLAN tag"
                try reader.require(4, layer: layer)
                try reader.skip(2, layer: layer)  // priority, DEI and VLAN ID: the lab has no use for them
                type = try reader.readUInt16(layer: layer)
            case 0x8847, 0x8848:
                return try mpls(&reader)
            case 0x8864:
                return try PPPFraming.pppoeSession(&reader)
            case 0x8863:
                return .other("PPPoE discovery")
            case 0...1500:
                // 802.3: the field is the frame's length; an 802.2 LLC header follows.
                return try llc(&reader)
            default:
                return .other("ethertype 0x" + hex4(type))
            }
        }
    }

    /// An MPLS label stack (4 bytes a label, the last with its S bit set), then the payload:
    /// label 0 is IPv4 and 2 IPv6 (explicit null), otherwise the first byte tells, as tcpdump guesses.
    static func mpls(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "MPLS label"
        var label: UInt32 = 0
        var bottom = false
        while !bottom {
            let entry = try reader.readUInt32(layer: layer)
            label = entry >> 12
            bottom = entry & 0x100 != 0
        }
        if label == 0 { return .ip(.v4, offset: reader.position) }
        if label == 2 { return .ip(.v6, offset: reader.position) }
        var peek = reader
        let first = try peek.readUInt8(layer: "MPLS payload")
        switch first {
        case 0x45...0x4F: return .ip(.v4, offset: reader.position)
        case 0x60...0x6F: return .ip(.v6, offset: reader.position)
        default: return .other("MPLS payload not IP")
        }
    }

    /// An 802.2 LLC header (DSAP, SSAP, a 1- or 2-byte control); SNAP (`aa aa 03`) carries an
    /// organisation code and an ethertype, which the chain follows.
    static func llc(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "802.2 LLC header"
        let dsap = try reader.readUInt8(layer: layer)
        let ssap = try reader.readUInt8(layer: layer)
        let control = try reader.readUInt8(layer: layer)
        if dsap == 0xAA, ssap == 0xAA, control == 0x03 {
            let snap = "SNAP header"
            let organisation = try reader.readUInt32(layer: snap)  // 3-byte OUI and the type's first byte
            let type = UInt16(truncatingIfNeeded: organisation) << 8 | UInt16(try reader.readUInt8(layer: snap))
            // OUI 0 is an encapsulated ethertype (RFC 1042), 00-00-f8 Cisco's bridge-tunnel form.
            guard organisation >> 8 == 0 || organisation >> 8 == 0xF8 else {
                return .other("SNAP OUI 0x" + String(organisation >> 8, radix: 16))
            }
            return try payload(type, &reader)
        }
        if control & 0x03 != 0x03 { try reader.skip(1, layer: layer) }  // I and S frames have 2 control bytes
        if dsap == 0x06 { return .ip(.v4, offset: reader.position) }  // IP over 802.2 (RFC 1042's other form)
        if dsap == 0x42 { return .other("802.3 LLC STP") }
        return .other("802.3 LLC DSAP 0x" + hex2(dsap))
    }
}

/// PPP and its framings: plain PPP (RFC 1661), PPP in HDLC-like framing (RFC 1662), PPPoE
/// sessions (RFC 2516) and Cisco HDLC, as tcpdump's print-ppp.c and print-chdlc.c read them.
enum PPPFraming {
    /// PPP: `ff 03` (address, control) may be there or not; the protocol is one byte when its
    /// value is odd (protocol-field compression), else two.
    static func ppp(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "PPP header"
        var peek = reader
        if reader.remaining >= 2, try peek.readUInt16(layer: layer) == 0xFF03 {
            try reader.skip(2, layer: layer)
        }
        return try protocolField(&reader)
    }

    /// `PPP_SERIAL`: PPP after `ff 03`, or Cisco HDLC after `0f`/`8f` (unicast/broadcast).
    static func serial(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        var peek = reader
        let address = try peek.readUInt8(layer: "PPP header")
        if address == 0x0F || address == 0x8F { return try ciscoHDLC(&reader) }
        return try ppp(&reader)
    }

    /// Cisco HDLC: address, control, then an ethertype.
    static func ciscoHDLC(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "Cisco HDLC header"
        try reader.require(4, layer: layer)
        try reader.skip(2, layer: layer)
        let type = try reader.readUInt16(layer: layer)
        if type == 0x8035 { return .other("Cisco SLARP") }
        return try EtherTypeChain.payload(type, &reader)
    }

    /// A PPPoE session header (version/type, code, session id, length), then PPP's protocol.
    static func pppoeSession(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "PPPoE header"
        try reader.require(6, layer: layer)
        try reader.skip(6, layer: layer)
        return try protocolField(&reader)
    }

    /// The PPP protocol field and where it leads: 0x0021 IPv4, 0x0057 IPv6.
    private static func protocolField(_ reader: inout ByteReader) throws(DecodeError) -> LinkPayload {
        let layer = "PPP header"
        var peek = reader
        let first = try peek.readUInt8(layer: layer)
        let value: UInt16
        if first & 1 == 1 {
            value = UInt16(try reader.readUInt8(layer: layer))
        } else {
            value = try reader.readUInt16(layer: layer)
        }
        switch value {
        case 0x0021: return .ip(.v4, offset: reader.position)
        case 0x0057: return .ip(.v6, offset: reader.position)
        case 0xC021: return .other("PPP LCP")
        case 0x8021: return .other("PPP IPCP")
        case 0x8057: return .other("PPP IPv6CP")
        case 0xC023: return .other("PPP PAP")
        case 0xC223: return .other("PPP CHAP")
        default: return .other("PPP protocol 0x" + hex4(value))
        }
    }
}

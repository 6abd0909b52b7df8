/// The fields of an IPv6 fixed header (RFC 8200) the lab needs.
struct IPv6Header: Sendable, Equatable {
    var source: IPAddress
    var destination: IPAddress
    /// Next header after the fixed header (may be an extension header).
    var nextHeader: UInt8
    var hopLimit: UInt8
    /// Payload length field: bytes after the 40-byte fixed header. 0 means a jumbogram or an
    /// offloaded packet; the decoder then trusts the captured length.
    var payloadLength: Int

    /// Where the extension-header chain ended.
    enum Upper: Sendable, Equatable {
        /// A TCP header starts at the reader's position.
        case tcp
        /// Not TCP (or a non-first fragment), with a reason for `DecodedPacket.notTCP`.
        case other(String)
    }

    /// Reads the 40-byte fixed header, leaving `reader` just past it.
    static func parse(_ reader: inout ByteReader) throws(DecodeError) -> IPv6Header {
        let layer = "IPv6 header"
        try reader.require(40, layer: layer)
        let first = try reader.readUInt8(layer: layer)
        guard first >> 4 == 6 else {
            throw .invalid(layer: layer, reason: "version field is \(first >> 4), expected 6")
        }
        try reader.skip(3, layer: layer)  // rest of traffic class, flow label
        let payloadLength = Int(try reader.readUInt16(layer: layer))
        let nextHeader = try reader.readUInt8(layer: layer)
        let hopLimit = try reader.readUInt8(layer: layer)
        let source = try reader.readBytes(16, layer: layer)
        let destination = try reader.readBytes(16, layer: layer)
        return IPv6Header(
            source: .v6(source), destination: .v6(destination), nextHeader: nextHeader,
            hopLimit: hopLimit, payloadLength: payloadLength)
    }

    /// Walks hop-by-hop (0), routing (43), destination options (60) and fragment (44) headers
    /// until TCP (6) or anything else, leaving `reader` at the start of the upper-layer header.
    static func skipExtensions(from nextHeader: UInt8, _ reader: inout ByteReader) throws(DecodeError) -> Upper {
        let layer = "IPv6 extension header"
        var next = nextHeader
        // Every extension header is at least 8 bytes, so the loop ends when the bytes do.
        while true {
            switch next {
            case 6:
                return .tcp
            case 0, 43, 60:
                try reader.require(2, layer: layer)
                var lengthReader = reader
                next = try lengthReader.readUInt8(layer: layer)
                let length = (Int(try lengthReader.readUInt8(layer: layer)) + 1) * 8
                try reader.skip(length, layer: layer)
            case 44:
                try reader.require(8, layer: layer)
                next = try reader.readUInt8(layer: layer)
                try reader.skip(1, layer: layer)  // reserved
                let offsetAndFlags = try reader.readUInt16(layer: layer)
                try reader.skip(4, layer: layer)  // identification
                if offsetAndFlags >> 3 != 0 { return .other("IPv6 fragment") }
            default:
                return .other("IPv6 next header \(next)" + IPProtocolName.suffix(for: next))
            }
        }
    }
}

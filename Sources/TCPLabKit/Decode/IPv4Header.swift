/// The fields of an IPv4 header (RFC 791) the lab needs.
struct IPv4Header: Sendable, Equatable {
    var source: IPAddress
    var destination: IPAddress
    /// The protocol field: 6 is TCP.
    var protocolNumber: UInt8
    var timeToLive: UInt8
    /// IHL × 4: where the payload starts.
    var headerLength: Int
    /// Total length field. 0 means the capture saw a segmentation-offload packet before the
    /// NIC split it (tcpdump guesses "TSO" too); the decoder then trusts the captured length.
    var totalLength: Int
    /// Fragment offset in 8-byte units; nonzero means this is not the first fragment.
    var fragmentOffset: UInt16

    /// Reads an IPv4 header, leaving `reader` just past it (options included).
    static func parse(_ reader: inout ByteReader) throws(DecodeError) -> IPv4Header {
        let layer = "IPv4 header"
        let start = reader
        try reader.require(20, layer: layer)
        let versionAndLength = try reader.readUInt8(layer: layer)
        let version = versionAndLength >> 4
        guard version == 4 else {
            throw .invalid(layer: layer, reason: "version field is \(version), expected 4")
        }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20 else {
            throw .invalid(layer: layer, reason: "header length \(headerLength) bytes is below the minimum 20")
        }
        try start.require(headerLength, layer: layer)
        try reader.skip(1, layer: layer)  // type of service / DSCP+ECN
        let totalLength = Int(try reader.readUInt16(layer: layer))
        if totalLength != 0 && totalLength < headerLength {
            throw .invalid(layer: layer,
                           reason: "total length \(totalLength) is shorter than the \(headerLength)-byte header")
        }
        try reader.skip(2, layer: layer)  // identification
        let fragment = try reader.readUInt16(layer: layer)
        let ttl = try reader.readUInt8(layer: layer)
        let protocolNumber = try reader.readUInt8(layer: layer)
        try reader.skip(2, layer: layer)  // header checksum: the kernel already judged it
        // Read as numbers, not copied into arrays: this runs for every packet of a capture.
        let source = try reader.readUInt32(layer: layer)
        let destination = try reader.readUInt32(layer: layer)
        try reader.skip(headerLength - 20, layer: layer)
        return IPv4Header(
            source: .v4(networkOrder: source),
            destination: .v4(networkOrder: destination),
            protocolNumber: protocolNumber, timeToLive: ttl, headerLength: headerLength,
            totalLength: totalLength, fragmentOffset: fragment & 0x1FFF)
    }
}

extension IPAddress {
    /// The IPv4 address whose four bytes, in network order, are `value`'s from the top.
    static func v4(networkOrder value: UInt32) -> IPAddress {
        .v4(UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }
}

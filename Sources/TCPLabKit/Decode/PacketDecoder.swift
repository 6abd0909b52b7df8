/// Decodes captured frames down to TCP segments.
///
/// Pure functions from bytes to values: no I/O, no global state. Every read is bounds-checked,
/// so any byte sequence either decodes or throws `DecodeError`; nothing traps.
public enum PacketDecoder {
    /// Decodes one frame of the given link type down to TCP.
    ///
    /// `originalLength` is the frame's length on the wire (the pcap record's `len`; the bytes
    /// given, when nil). An IP length past it is marked as tcpdump marks it
    /// (`TCPSegment.ipBytesMissing`); a frame cut by the snapshot length is not.
    ///
    /// Returns `.notTCP` for frames that are fine but carry something else (ARP, UDP, ICMP,
    /// non-first fragments); throws `.truncated` or `.invalid` for frames that are cut short or
    /// malformed, naming the layer. A TCP header whose options the snapshot length cut decodes,
    /// its options ending in `.cut` (tcpdump's `[|tcp]`); one cut inside its fixed 20 bytes but
    /// after the ports decodes to its ports (`TCPSegment.fixedHeaderCaptured`).
    public static func decode(_ frame: [UInt8], linkType: LinkType, originalLength: Int? = nil) throws(DecodeError) -> DecodedPacket {
        let wireEnd = max(originalLength ?? frame.count, frame.count)
        return try ByteReader.reading(frame) { (reader: inout ByteReader) throws(DecodeError) -> DecodedPacket in
            switch try LinkLayer.parse(reader, linkType: linkType) {
            case let .other(reason):
                return .notTCP(reason)
            case let .ip(version, offset):
                return try decodeIP(reader.from(offset), version: version, wireEnd: wireEnd)
            }
        }
    }

    /// Decodes one frame whose link type is a raw `pcap_datalink()` value; throws
    /// `.unsupportedLinkType` when `LinkType(dataLinkType:)` does not know it.
    public static func decode(_ frame: [UInt8], dataLinkType: Int32) throws(DecodeError) -> DecodedPacket {
        guard let linkType = LinkType(dataLinkType: dataLinkType) else {
            throw .unsupportedLinkType(dataLinkType)
        }
        return try decode(frame, linkType: linkType)
    }

    /// Decodes a bare IPv4 or IPv6 packet (no link-layer header), told apart by its first nibble.
    public static func decode(ipPacket: [UInt8]) throws(DecodeError) -> DecodedPacket {
        try ByteReader.reading(ipPacket) { (reader: inout ByteReader) throws(DecodeError) -> DecodedPacket in
            try decodeIP(reader, version: .fromFirstNibble, wireEnd: ipPacket.count)
        }
    }

    /// `wireEnd`: where the frame ended on the wire, as an index into the captured bytes.
    private static func decodeIP(_ reader: ByteReader, version: IPVersionHint, wireEnd: Int) throws(DecodeError) -> DecodedPacket {
        switch version {
        case .v4:
            return try decodeIPv4(reader, wireEnd: wireEnd)
        case .v6:
            return try decodeIPv6(reader, wireEnd: wireEnd)
        case .fromFirstNibble:
            var peek = reader
            let nibble = try peek.readUInt8(layer: "IP header") >> 4
            switch nibble {
            case 4: return try decodeIPv4(reader, wireEnd: wireEnd)
            case 6: return try decodeIPv6(reader, wireEnd: wireEnd)
            default: throw .invalid(layer: "IP header", reason: "version field is \(nibble), neither 4 nor 6")
            }
        }
    }

    private static func decodeIPv4(_ packet: ByteReader, wireEnd: Int) throws(DecodeError) -> DecodedPacket {
        var reader = packet
        let ip = try IPv4Header.parse(&reader)
        guard ip.protocolNumber == 6 else {
            return .notTCP("IPv4 protocol \(ip.protocolNumber)" + IPProtocolName.suffix(for: ip.protocolNumber))
        }
        guard ip.fragmentOffset == 0 else { return .notTCP("IPv4 fragment") }
        let declaredEnd = ip.totalLength == 0 ? packet.end : packet.position + ip.totalLength
        return try decodeTCP(
            from: reader, declaredEnd: declaredEnd, missing: declaredEnd - wireEnd,
            source: ip.source, destination: ip.destination, hopLimit: ip.timeToLive)
    }

    private static func decodeIPv6(_ packet: ByteReader, wireEnd: Int) throws(DecodeError) -> DecodedPacket {
        var reader = packet
        let ip = try IPv6Header.parse(&reader)
        let declaredEnd = ip.payloadLength == 0 ? packet.end : reader.position + ip.payloadLength
        switch try IPv6Header.skipExtensions(from: ip.nextHeader, &reader) {
        case let .other(reason):
            return .notTCP(reason)
        case .tcp:
            return try decodeTCP(
                from: reader, declaredEnd: declaredEnd, missing: declaredEnd - wireEnd,
                source: ip.source, destination: ip.destination, hopLimit: ip.hopLimit)
        }
    }

    /// Decodes the TCP segment at `reader`'s position; IP says it ends at `declaredEnd`, and
    /// bytes past that (Ethernet padding) are not payload. `missing` > 0: IP's length runs that
    /// many bytes past the frame on the wire (tcpdump's `truncated-ip - N bytes missing!`).
    private static func decodeTCP(
        from reader: ByteReader, declaredEnd: Int, missing: Int,
        source: IPAddress, destination: IPAddress, hopLimit: UInt8
    ) throws(DecodeError) -> DecodedPacket {
        let segmentLength = declaredEnd - reader.position
        guard segmentLength >= 0 else {
            throw .invalid(layer: "TCP header", reason: "IP extension headers run past the IP payload length")
        }
        var tcpReader = reader.prefix(segmentLength)
        let tcp = try TCPHeader.parse(&tcpReader, segmentLength: segmentLength)
        var segment = TCPSegment(
            source: source, sourcePort: tcp.sourcePort,
            destination: destination, destinationPort: tcp.destinationPort,
            sequenceNumber: tcp.sequenceNumber, acknowledgmentNumber: tcp.acknowledgmentNumber,
            flags: tcp.flags, window: tcp.window, options: tcp.options,
            payload: tcpReader.readRest(),
            ipPayloadLength: segmentLength - tcp.headerLength, hopLimit: hopLimit)
        segment.urgentPointer = tcp.urgentPointer
        if missing > 0 { segment.ipBytesMissing = missing }
        segment.fixedHeaderCaptured = tcp.fixedHeaderCaptured
        return .tcp(segment)
    }
}

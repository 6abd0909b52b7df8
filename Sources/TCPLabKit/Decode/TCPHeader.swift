/// A TCP header (RFC 9293) without its IP endpoints.
struct TCPHeader: Sendable, Equatable {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequenceNumber: UInt32
    var acknowledgmentNumber: UInt32
    var flags: TCPFlags
    var window: UInt16
    /// Data offset × 4: header plus options, where the payload starts.
    var headerLength: Int
    var options: [TCPOption]

    /// Reads a TCP header with its options, leaving `reader` at the payload.
    ///
    /// `segmentLength` is the TCP length the IP header declares (header + payload); a data
    /// offset pointing past it is `.invalid`, one pointing past the captured bytes `.truncated`.
    static func parse(_ reader: inout ByteReader, segmentLength: Int) throws(DecodeError) -> TCPHeader {
        let layer = "TCP header"
        let start = reader
        try reader.require(20, layer: layer)
        let sourcePort = try reader.readUInt16(layer: layer)
        let destinationPort = try reader.readUInt16(layer: layer)
        let sequenceNumber = try reader.readUInt32(layer: layer)
        let acknowledgmentNumber = try reader.readUInt32(layer: layer)
        let offsetAndFlags = try reader.readUInt16(layer: layer)
        let window = try reader.readUInt16(layer: layer)
        try reader.skip(4, layer: layer)  // checksum (often not yet filled in on loopback), urgent pointer

        let headerLength = Int(offsetAndFlags >> 12) * 4
        guard headerLength >= 20 else {
            throw .invalid(layer: layer,
                           reason: "data offset \(headerLength / 4) is below the minimum 5 (20 bytes)")
        }
        guard headerLength <= segmentLength else {
            throw .invalid(layer: layer, reason:
                "data offset says \(headerLength) header bytes but IP carries only \(segmentLength) TCP bytes")
        }
        try start.require(headerLength, layer: "TCP options")
        var optionReader = reader.prefix(headerLength - 20)
        let options = try parseOptions(&optionReader)
        try reader.skip(headerLength - 20, layer: "TCP options")
        return TCPHeader(
            sourcePort: sourcePort, destinationPort: destinationPort,
            sequenceNumber: sequenceNumber, acknowledgmentNumber: acknowledgmentNumber,
            flags: TCPFlags(rawValue: offsetAndFlags & 0x01FF), window: window,
            headerLength: headerLength, options: options)
    }

    /// Parses the option bytes between the fixed header and the data offset.
    ///
    /// A malformed list (an option length below 2, or one running past the data offset) throws
    /// `.invalid` rather than returning what parsed so far: no TCP stack sends one, so it means a
    /// corrupted frame, and a student should see that instead of a segment quietly missing options.
    /// After end-of-options the rest is padding and is not read.
    static func parseOptions(_ reader: inout ByteReader) throws(DecodeError) -> [TCPOption] {
        let layer = "TCP options"
        var options: [TCPOption] = []
        while reader.remaining > 0 {
            let kind = try reader.readUInt8(layer: layer)
            switch kind {
            case 0:
                options.append(.endOfOptions)
                return options
            case 1:
                options.append(.noOperation)
            default:
                guard reader.remaining > 0 else {
                    throw .invalid(layer: layer, reason: "option kind \(kind) has no length byte before the header ends")
                }
                let length = Int(try reader.readUInt8(layer: layer))
                guard length >= 2 else {
                    throw .invalid(layer: layer, reason: "option kind \(kind) has length \(length), below the minimum 2")
                }
                guard length - 2 <= reader.remaining else {
                    throw .invalid(layer: layer, reason:
                        "option kind \(kind) claims \(length) bytes but only \(reader.remaining + 2) are left in the header")
                }
                options.append(TCPOption(kind: kind, data: try reader.readBytes(length - 2, layer: layer)))
            }
        }
        return options
    }
}

extension TCPOption {
    /// Decodes one option from its kind and the bytes after its length byte.
    init(kind: UInt8, data: [UInt8]) {
        switch (kind, data.count) {
        case (2, 2):
            self = .maximumSegmentSize(UInt16(data[0]) << 8 | UInt16(data[1]))
        case (3, 1):
            self = .windowScale(data[0])
        case (4, 0):
            self = .sackPermitted
        case (5, let count) where count > 0 && count % 8 == 0:
            self = .sack(stride(from: 0, to: count, by: 8).map { index in
                SACKBlock(left: Self.uint32(data, index), right: Self.uint32(data, index + 4))
            })
        case (8, 8):
            self = .timestamp(value: Self.uint32(data, 0), echo: Self.uint32(data, 4))
        default:
            self = .unknown(kind: kind, data: data)
        }
    }

    // Callers have checked `data.count`; this only assembles the bytes.
    private static func uint32(_ data: [UInt8], _ index: Int) -> UInt32 {
        data[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

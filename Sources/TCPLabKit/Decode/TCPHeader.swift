/// A TCP header (RFC 9293) without its IP endpoints.
struct TCPHeader: Sendable, Equatable {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequenceNumber: UInt32
    var acknowledgmentNumber: UInt32
    var flags: TCPFlags
    var window: UInt16
    /// The urgent pointer field, whatever the URG flag says (tcpdump prints it only with URG).
    var urgentPointer: UInt16 = 0
    /// Data offset × 4: header plus options, where the payload starts.
    var headerLength: Int
    var options: [TCPOption]
    /// The bytes of the 20-byte fixed header the capture holds when it cut the header short (4
    /// to 19: the ports are there); nil when the whole fixed header was captured.
    var fixedHeaderCaptured: Int? = nil

    /// Reads a TCP header with its options, leaving `reader` at the payload.
    ///
    /// `segmentLength` is the TCP length the IP header declares (header + payload); a data
    /// offset pointing past it is `.invalid`; a fixed header (20 bytes) not all captured is
    /// `.truncated`, options the capture cut end in `.cut`, and the payload is what was captured.
    /// A fixed header the capture cut after its ports gives them alone, as tcpdump prints them
    /// (`192.0.2.1.40000 > 198.51.100.2.80:  [|tcp]`): `fixedHeaderCaptured` says how much was
    /// there, the other fields are 0 and the options `[.cut(kind: nil)]`; before the ports it is
    /// `.truncated` (tcpdump too prints the addresses alone then).
    static func parse(_ reader: inout ByteReader, segmentLength: Int) throws(DecodeError) -> TCPHeader {
        let layer = "TCP header"
        if reader.remaining < 20, reader.remaining >= 4, segmentLength >= 20 {
            let captured = reader.remaining
            let sourcePort = try reader.readUInt16(layer: layer)
            let destinationPort = try reader.readUInt16(layer: layer)
            try reader.skip(reader.remaining, layer: layer)
            return TCPHeader(
                sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: 0, acknowledgmentNumber: 0,
                flags: [], window: 0, headerLength: segmentLength, options: [.cut(kind: nil)], fixedHeaderCaptured: captured)
        }
        try reader.require(20, layer: layer)
        let sourcePort = try reader.readUInt16(layer: layer)
        let destinationPort = try reader.readUInt16(layer: layer)
        let sequenceNumber = try reader.readUInt32(layer: layer)
        let acknowledgmentNumber = try reader.readUInt32(layer: layer)
        let offsetAndFlags = try reader.readUInt16(layer: layer)
        let window = try reader.readUInt16(layer: layer)
        try reader.skip(2, layer: layer)  // checksum (often not yet filled in on loopback)
        let urgentPointer = try reader.readUInt16(layer: layer)

        let headerLength = Int(offsetAndFlags >> 12) * 4
        guard headerLength >= 20 else {
            throw .invalid(layer: layer,
                           reason: "data offset \(headerLength / 4) is below the minimum 5 (20 bytes)")
        }
        guard headerLength <= segmentLength else {
            throw .invalid(layer: layer, reason:
                "data offset says \(headerLength) header bytes but IP carries only \(segmentLength) TCP bytes")
        }
        let flags = TCPFlags(rawValue: offsetAndFlags & 0x01FF)
        // The snapshot length may cut the options: read what is there, as tcpdump does.
        let captured = min(headerLength - 20, reader.remaining)
        var optionReader = reader.prefix(captured)
        let options = try parseOptions(&optionReader, declared: headerLength - 20, flags: flags)
        try reader.skip(captured, layer: "TCP options")
        return TCPHeader(
            sourcePort: sourcePort, destinationPort: destinationPort,
            sequenceNumber: sequenceNumber, acknowledgmentNumber: acknowledgmentNumber,
            flags: flags, window: window, urgentPointer: urgentPointer, headerLength: headerLength, options: options)
    }

    /// Parses the option bytes between the fixed header and the data offset.
    ///
    /// `declared` is how many option bytes the data offset says there are; `reader` holds those
    /// that were captured. Where the capture stops short, the list ends in `.cut` (tcpdump's
    /// `[|tcp]`), with the kind of the option it stopped inside when its length byte was there.
    /// A malformed list (an option length below 2, or one running past the data offset) throws
    /// `.invalid` rather than returning what parsed so far: no TCP stack sends one, so it means a
    /// corrupted frame, and a student should see that instead of a segment quietly missing options.
    /// After end-of-options the rest is padding and is not read. `flags` are the segment's: what
    /// an MPTCP option means depends on them.
    static func parseOptions(_ reader: inout ByteReader, declared: Int? = nil, flags: TCPFlags = []) throws(DecodeError) -> [TCPOption] {
        let layer = "TCP options"
        var left = declared ?? reader.remaining
        var options: [TCPOption] = []
        // Room for a typical list (nop, nop, TS) at once, not grown option by option.
        if left > 0 { options.reserveCapacity(left / 4 + 2) }
        while left > 0 {
            guard reader.remaining > 0 else {
                options.append(.cut(kind: nil))
                return options
            }
            let kind = try reader.readUInt8(layer: layer)
            left -= 1
            switch kind {
            case 0:
                options.append(.endOfOptions)
                return options
            case 1:
                options.append(.noOperation)
            default:
                guard left > 0 else {
                    throw .invalid(layer: layer, reason: "option kind \(kind) has no length byte before the header ends")
                }
                guard reader.remaining > 0 else {
                    options.append(.cut(kind: nil))
                    return options
                }
                let length = Int(try reader.readUInt8(layer: layer))
                left -= 1
                guard length >= 2 else {
                    throw .invalid(layer: layer, reason: "option kind \(kind) has length \(length), below the minimum 2")
                }
                guard length - 2 <= left else {
                    throw .invalid(layer: layer, reason:
                        "option kind \(kind) claims \(length) bytes but only \(left + 2) are left in the header")
                }
                guard length - 2 <= reader.remaining else {
                    options.append(try cutOption(kind: kind, length: length, &reader))
                    return options
                }
                options.append(try TCPOption(kind: kind, length: length, reader: &reader, flags: flags))
                left -= length - 2
            }
        }
        return options
    }
}

extension TCPHeader {
    /// The option of `kind` and `length` whose data the capture cut, `reader` at what is left of
    /// it: a SACK option keeps its whole blocks, as tcpdump prints them before the mark
    /// (`sack 3 {1501:2001} [|tcp]`); any other is its name and the mark (`TS [|tcp]`).
    static func cutOption(kind: UInt8, length: Int, _ reader: inout ByteReader) throws(DecodeError) -> TCPOption {
        guard kind == 5, length > 2, (length - 2) % 8 == 0 else { return .cut(kind: kind) }
        var blocks: [SACKBlock] = []
        for _ in 0..<reader.remaining / 8 {
            blocks.append(SACKBlock(left: try reader.readUInt32(layer: "TCP options"), right: try reader.readUInt32(layer: "TCP options")))
        }
        return .sackCut(count: (length - 2) / 8, blocks: blocks)
    }
}

extension TCPOption {
    /// Decodes one option from its kind and length, `reader` at its data (all captured).
    /// The common options (mss, wscale, sackOK, TS) are read in place, without a copy of their bytes.
    init(kind: UInt8, length: Int, reader: inout ByteReader, flags: TCPFlags) throws(DecodeError) {
        let layer = "TCP options"
        switch (kind, length) {
        case (2, 4):
            self = .maximumSegmentSize(try reader.readUInt16(layer: layer))
        case (3, 3):
            self = .windowScale(try reader.readUInt8(layer: layer))
        case (4, 2):
            self = .sackPermitted
        case (8, 10):
            self = .timestamp(value: try reader.readUInt32(layer: layer), echo: try reader.readUInt32(layer: layer))
        case (5, let length) where length > 2 && (length - 2) % 8 == 0:
            var blocks: [SACKBlock] = []
            blocks.reserveCapacity((length - 2) / 8)
            for _ in 0..<(length - 2) / 8 {
                blocks.append(SACKBlock(left: try reader.readUInt32(layer: layer), right: try reader.readUInt32(layer: layer)))
            }
            self = .sack(blocks)
        case (19, 18):
            self = .md5Signature(try reader.readBytes(16, layer: layer))
        case (28, 4):
            self = .userTimeout(try reader.readUInt16(layer: layer))
        case (29, let length) where length >= 4:
            let keyID = try reader.readUInt8(layer: layer)
            let nextKeyID = try reader.readUInt8(layer: layer)
            self = .authentication(keyID: keyID, nextKeyID: nextKeyID, mac: try reader.readBytes(length - 4, layer: layer))
        case (30, _):
            self = .multipath(MPTCPOption(bytes: [kind, UInt8(length)] + (try reader.readBytes(length - 2, layer: layer)), flags: flags))
        case (34, _):
            self = .fastOpen(cookie: try reader.readBytes(length - 2, layer: layer))
        case (253, let length) where length >= 4, (254, let length) where length >= 4:
            let id = try reader.readUInt16(layer: layer)
            self = .experimental(kind: kind, experimentID: id, data: try reader.readBytes(length - 4, layer: layer))
        default:
            self = .unknown(kind: kind, data: try reader.readBytes(length - 2, layer: layer))
        }
    }

    /// Decodes one option from its kind and the bytes after its length byte (for tests and
    /// callers holding the bytes already); the segment's flags matter only to MPTCP.
    init(kind: UInt8, data: [UInt8], flags: TCPFlags = []) {
        // The reader holds exactly the option's data, so no read can fail.
        let parsed = try? ByteReader.reading(data) { (reader: inout ByteReader) throws(DecodeError) in
            try TCPOption(kind: kind, length: data.count + 2, reader: &reader, flags: flags)
        }
        self = parsed ?? .unknown(kind: kind, data: data)
    }
}

import Testing
@testable import TCPLabKit

/// Short and malformed frames throw, naming the layer; nothing ever traps.
@Suite struct TruncationTests {
    private func cut(_ frame: [UInt8], _ count: Int) -> [UInt8] { Array(frame.prefix(count)) }

    @Test func truncatedAtEachLayer() {
        let syn = IPv4Fixtures.syn
        #expect(throws: DecodeError.truncated(layer: "Ethernet header", needed: 14, available: 10)) {
            try PacketDecoder.decode(cut(syn, 10), linkType: .ethernet)
        }
        #expect(throws: DecodeError.truncated(layer: "IPv4 header", needed: 20, available: 10)) {
            try PacketDecoder.decode(cut(syn, 24), linkType: .ethernet)
        }
        // Before the ports; after them the cut header decodes (tcpdump prints the ports and `[|tcp]`).
        #expect(throws: DecodeError.truncated(layer: "TCP header", needed: 20, available: 2)) {
            try PacketDecoder.decode(cut(syn, 36), linkType: .ethernet)
        }
        #expect((try? PacketDecoder.decode(cut(syn, 46), linkType: .ethernet))?.segment?.fixedHeaderCaptured == 12)
        #expect(throws: DecodeError.truncated(layer: "IPv6 header", needed: 40, available: 20)) {
            try PacketDecoder.decode(cut(IPv6Fixtures.syn, 34), linkType: .ethernet)
        }
        #expect(throws: DecodeError.truncated(layer: "Linux cooked v2 (SLL2) header", needed: 20, available: 8)) {
            try PacketDecoder.decode(cut(OtherFixtures.sll2Syn, 8), linkType: .linuxCooked2)
        }
        #expect(throws: DecodeError.truncated(layer: "Linux cooked (SLL) header", needed: 16, available: 15)) {
            try PacketDecoder.decode(cut(OtherFixtures.sllSyn, 15), linkType: .linuxCooked)
        }
        #expect(throws: DecodeError.truncated(layer: "802.1Q VLAN tag", needed: 4, available: 2)) {
            try PacketDecoder.decode(cut(syn, 12) + [0x81, 0x00, 0x00, 0x64], linkType: .ethernet)
        }
        #expect(throws: DecodeError.truncated(layer: "loopback (NULL/LOOP) header", needed: 4, available: 3)) {
            try PacketDecoder.decode([0x02, 0x00, 0x00], linkType: .null)
        }
        #expect(throws: DecodeError.truncated(layer: "IP header", needed: 1, available: 0)) {
            try PacketDecoder.decode([], linkType: .raw)
        }
    }

    @Test func ipv4OptionsCutShort() {
        // IHL 15 says a 60-byte IPv4 header, but the recorded RST holds only 40 bytes of IP packet.
        let frame = IPv4Fixtures.rst.replacing(at: 14, with: [0x4F])
        #expect(throws: DecodeError.truncated(layer: "IPv4 header", needed: 60, available: 40)) {
            try PacketDecoder.decode(frame, linkType: .ethernet)
        }
    }

    @Test func invalidHeaders() {
        let data = IPv4Fixtures.dataHaha  // IPv4 at 14, total length at 16, TCP at 34
        #expect(throws: DecodeError.invalid(layer: "IPv4 header", reason: "header length 16 bytes is below the minimum 20")) {
            try PacketDecoder.decode(data.replacing(at: 14, with: [0x44]), linkType: .ethernet)
        }
        #expect(throws: DecodeError.invalid(layer: "IPv4 header", reason: "version field is 5, expected 4")) {
            try PacketDecoder.decode(data.replacing(at: 14, with: [0x55]), linkType: .ethernet)
        }
        #expect(throws: DecodeError.invalid(layer: "IPv4 header", reason: "total length 12 is shorter than the 20-byte header")) {
            try PacketDecoder.decode(data.replacing(at: 16, with: [0x00, 0x0C]), linkType: .ethernet)
        }
        // TCP byte 12 (frame offset 46): data offset 4 words.
        #expect(throws: DecodeError.invalid(layer: "TCP header", reason: "data offset 4 is below the minimum 5 (20 bytes)")) {
            try PacketDecoder.decode(data.replacing(at: 46, with: [0x40]), linkType: .ethernet)
        }
        // Data offset 15 (60 bytes) but IP carries 36 TCP bytes.
        #expect(throws: DecodeError.invalid(layer: "TCP header",
                                            reason: "data offset says 60 header bytes but IP carries only 36 TCP bytes")) {
            try PacketDecoder.decode(data.replacing(at: 46, with: [0xF0]), linkType: .ethernet)
        }
    }

    @Test func descriptionsReadAsOneLine() {
        #expect(DecodeError.truncated(layer: "TCP header", needed: 20, available: 12).description
            == "truncated TCP header: needed 20 bytes, have 12")
        #expect(DecodeError.invalid(layer: "IPv4 header", reason: "version field is 5, expected 4").description
            == "invalid IPv4 header: version field is 5, expected 4")
        #expect(DecodeError.unsupportedLinkType(147).description.hasPrefix("unsupported link type 147: "))
    }

    static let recorded: [(String, [UInt8], LinkType)] = [
        ("IPv4 SYN", IPv4Fixtures.syn, .ethernet),
        ("IPv4 SYN-ACK", IPv4Fixtures.synAck, .ethernet),
        ("IPv4 ACK", IPv4Fixtures.ack, .ethernet),
        ("IPv4 haha", IPv4Fixtures.dataHaha, .ethernet),
        ("IPv4 HAHA", IPv4Fixtures.dataHAHA, .ethernet),
        ("IPv4 FIN", IPv4Fixtures.fin, .ethernet),
        ("IPv4 RST", IPv4Fixtures.rst, .ethernet),
        ("IPv4 RST-ACK", IPv4Fixtures.rstAck, .ethernet),
        ("IPv6 SYN", IPv6Fixtures.syn, .ethernet),
        ("IPv6 haha", IPv6Fixtures.dataHaha, .ethernet),
        ("IPv6 RST", IPv6Fixtures.rst, .ethernet),
        ("SLL2 SYN", OtherFixtures.sll2Syn, .linuxCooked2),
        ("SLL SYN", OtherFixtures.sllSyn, .linuxCooked),
        ("UDP", OtherFixtures.udp, .ethernet),
        ("ICMP", OtherFixtures.icmp, .ethernet),
        ("raw IPv4 haha", Array(IPv4Fixtures.dataHaha.dropFirst(14)), .raw),
        ("raw IPv6 haha", Array(IPv6Fixtures.dataHaha.dropFirst(14)), .raw),
    ]

    /// Every prefix of a recorded frame, as a snapshot length would cut it (the wire length
    /// stays the whole frame's): truncated before the TCP ports; the ports alone, options `[|tcp]`,
    /// while the fixed header is cut; a segment whose options end in `.cut` (tcpdump's `[|tcp]`)
    /// while the options are cut; the same segment with a shorter payload once the headers are
    /// complete. Never an IP "bytes missing" mark.
    @Test(arguments: recorded.map(\.0))
    func everyPrefixDecodesOrThrowsTruncated(name: String) throws {
        let (_, frame, linkType) = try #require(Self.recorded.first { $0.0 == name })
        let whole = try PacketDecoder.decode(frame, linkType: linkType)
        let payloadCount = whole.segment?.payload.count ?? 0
        // For non-TCP frames everything after the IP header counts as "headers" here: any prefix
        // that reaches the IP payload already says "not TCP".
        let headersEnd = frame.count - payloadCount
        var cutSegments = 0
        for length in 0..<frame.count {
            let prefix = Array(frame.prefix(length))
            let result = Result { () throws(DecodeError) in
                try PacketDecoder.decode(prefix, linkType: linkType, originalLength: frame.count)
            }
            switch (result, whole) {
            case let (.success(.tcp(partial)), .tcp(full)) where length >= headersEnd:
                #expect(partial.payload == Array(full.payload.prefix(length - headersEnd)), "prefix \(length)")
                #expect(partial.ipPayloadLength == full.ipPayloadLength, "prefix \(length)")
                var withFullPayload = partial
                withFullPayload.payload = full.payload
                #expect(withFullPayload == full, "prefix \(length)")
            case let (.success(.tcp(partial)), .tcp(full)) where partial.fixedHeaderCaptured != nil:
                // Inside the fixed header, after the ports: those and the cut, nothing else.
                cutSegments += 1
                #expect((4..<20).contains(partial.fixedHeaderCaptured ?? 0), "prefix \(length)")
                #expect(partial.sourcePort == full.sourcePort && partial.destinationPort == full.destinationPort, "prefix \(length)")
                #expect(partial.source == full.source && partial.destination == full.destination, "prefix \(length)")
                #expect(partial.options == [.cut(kind: nil)] && partial.headerCut, "prefix \(length)")
                #expect(partial.payload.isEmpty && partial.ipBytesMissing == nil, "prefix \(length)")
            case let (.success(.tcp(partial)), .tcp(full)):
                // Inside the options: every field but the options is there, and the options read
                // so far are the whole frame's, then the cut.
                cutSegments += 1
                #expect(partial.headerCut, "prefix \(length)")
                #expect(partial.payload.isEmpty && partial.ipBytesMissing == nil, "prefix \(length)")
                let read = partial.options.dropLast()
                #expect(Array(full.options.prefix(read.count)) == Array(read), "prefix \(length)")
                var sameHeader = partial
                sameHeader.options = full.options
                sameHeader.payload = full.payload
                #expect(sameHeader == full, "prefix \(length)")
            case (.success(.notTCP(let reason)), .notTCP(let expected)):
                #expect(reason == expected, "prefix \(length)")
            case (.failure(.truncated), _) where length < headersEnd:
                break
            default:
                Issue.record("\(name) prefix \(length) of \(frame.count): unexpected \(result)")
            }
        }
        if let full = whole.segment, !full.options.isEmpty {
            #expect(cutSegments > 0, "no prefix cut inside the options decoded as a segment")
        }
    }

    /// Random corruption of recorded frames: whatever comes out, it comes out without trapping,
    /// and a decoded segment never has more payload than IP declared.
    @Test func corruptedFramesNeverTrap() {
        var random = SplitMix64(state: 0x7C91_AB00)
        var outcomes = (tcp: 0, notTCP: 0, truncated: 0, invalid: 0)
        for (_, frame, linkType) in Self.recorded {
            for _ in 0..<500 {
                var bytes = frame
                for _ in 0...Int.random(in: 0...3, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                switch decodeResult(bytes, linkType) {
                case let .success(.tcp(segment)):
                    outcomes.tcp += 1
                    #expect(segment.payload.count <= segment.ipPayloadLength)
                case .success(.notTCP): outcomes.notTCP += 1
                case .failure(.truncated): outcomes.truncated += 1
                case .failure(.invalid): outcomes.invalid += 1
                case .failure(.unsupportedLinkType): Issue.record("decode(_:linkType:) never reports this")
                }
            }
        }
        // The fuzzing reached every kind of outcome, so it exercised more than the first check.
        #expect(outcomes.tcp > 0 && outcomes.notTCP > 0 && outcomes.truncated > 0 && outcomes.invalid > 0)
    }

    @Test(arguments: [LinkType.null, .ethernet, .raw, .loop, .linuxCooked, .ipv4, .ipv6, .linuxCooked2])
    func randomBytesNeverTrap(linkType: LinkType) {
        var random = SplitMix64(state: UInt64(linkType.rawValue))
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...120, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if case let .success(.tcp(segment)) = decodeResult(bytes, linkType) {
                #expect(segment.payload.count <= segment.ipPayloadLength)
            }
        }
    }
}

import Testing
@testable import TCPLabKit

/// The same conversation over ::1, plus extension headers spliced into recorded frames.
@Suite struct IPv6DecodeTests {
    // In the Ethernet frames: the IPv6 header starts at 14, its payload length at 18, its next
    // header at 20, and TCP at 54.

    @Test func synOverIPv6() throws {
        let syn = try decodeSegment(IPv6Fixtures.syn)
        #expect(syn.source == .loopbackV6)
        #expect(syn.destination == .loopbackV6)
        #expect(syn.source.endpoint(port: syn.sourcePort) == "[::1]:48244")
        #expect(syn.destinationPort == 7777)
        #expect(syn.flags.tcpdumpNotation == "S")
        #expect(syn.sequenceNumber == 994_470_968)
        #expect(syn.window == 65476)
        #expect(syn.hopLimit == 64)
        #expect(tcpdumpOptions(syn) == "mss 65476,sackOK,TS val 660640698 ecr 0,nop,wscale 10")
    }

    @Test func dataOverIPv6() throws {
        let data = try decodeSegment(IPv6Fixtures.dataHaha)
        #expect(data.flags.tcpdumpNotation == "P.")
        #expect(data.sequenceNumber == 994_470_969)
        #expect(data.acknowledgmentNumber == 429_890_765)
        #expect(data.payload == Array("haha".utf8))
        #expect(data.ipPayloadLength == 4)
    }

    @Test func resetOverIPv6() throws {
        let rst = try decodeSegment(IPv6Fixtures.rst)
        #expect(rst.flags.tcpdumpNotation == "R")
        #expect(rst.sequenceNumber == 429_890_770)
        #expect(rst.sourcePort == 7777)
    }

    /// `dataHaha` with `header` (whose first byte must be 6, TCP) between IPv6 and TCP.
    private func withExtension(_ kind: UInt8, _ header: [UInt8]) -> [UInt8] {
        IPv6Fixtures.dataHaha
            .replacing(at: 18, with: [0x00, UInt8(36 + header.count)])
            .replacing(at: 20, with: [kind])
            .inserting(header, at: 54)
    }

    @Test func walksDestinationOptionsAndHopByHop() throws {
        // Destination options (60), 8 bytes: next header 6, length 0, one PadN option of 4 zeros.
        let destination = withExtension(60, [0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00])
        #expect(try decodeSegment(destination).payload == Array("haha".utf8))
        // Hop-by-hop (0), 16 bytes (length 1), chained to destination options, then TCP.
        let chained = withExtension(0, [0x3C, 0x01] + [UInt8](repeating: 0, count: 14)
            + [0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00])
        let segment = try decodeSegment(chained)
        #expect(segment.payload == Array("haha".utf8))
        #expect(segment.ipPayloadLength == 4)
    }

    @Test func fragmentHeaders() throws {
        // Fragment header (44): next header 6, reserved, offset/flags, identification.
        let later = withExtension(44, [0x06, 0x00, 0x00, 0x08, 0xDE, 0xAD, 0xBE, 0xEF])  // offset 1
        #expect(try PacketDecoder.decode(later, linkType: .ethernet) == .notTCP("IPv6 fragment"))
        let first = withExtension(44, [0x06, 0x00, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF])  // offset 0, M
        #expect(try decodeSegment(first).payload == Array("haha".utf8))
    }

    @Test func otherNextHeadersAreNotTCP() throws {
        let icmpv6 = IPv6Fixtures.dataHaha.replacing(at: 20, with: [58])
        #expect(try PacketDecoder.decode(icmpv6, linkType: .ethernet) == .notTCP("IPv6 next header 58 (ICMPv6)"))
        let udpAfterOptions = withExtension(60, [0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00])
        #expect(try PacketDecoder.decode(udpAfterOptions, linkType: .ethernet)
            == .notTCP("IPv6 next header 17 (UDP)"))
    }

    @Test func extensionHeaderRunningOffTheFrameIsTruncated() {
        // Hop-by-hop claiming (255 + 1) × 8 bytes where 36 bytes (TCP header + "haha") remain.
        let frame = IPv6Fixtures.dataHaha.replacing(at: 20, with: [0]).replacing(at: 54, with: [0x06, 0xFF])
        #expect(throws: DecodeError.truncated(layer: "IPv6 extension header", needed: 2048, available: 36)) {
            try PacketDecoder.decode(frame, linkType: .ethernet)
        }
    }
}

import Testing
@testable import TCPLabKit

/// What the ethertype chain and the PPP framings say about frames that are not IP, or not
/// quite right; the IP ones are in captures/fidelity/, checked against tcpdump.
@Suite struct EncapsulationTests {
    /// The recorded IPv4 SYN without its Ethernet header.
    private let ip = Array(IPv4Fixtures.syn.dropFirst(14))
    private let macs = Array(IPv4Fixtures.syn.prefix(12))

    private func ethernet(_ type: [UInt8], _ rest: [UInt8]) -> [UInt8] { macs + type + rest }

    @Test func mplsStacksEndAtTheBottomLabel() throws {
        // Labels 16 and 17 (S set on the second), TTL 64; the payload's first byte 0x45 says IPv4.
        let stacked = ethernet([0x88, 0x47], [0x00, 0x01, 0x00, 0x40, 0x00, 0x01, 0x11, 0x40] + ip)
        #expect(try decodeSegment(stacked) == (try decodeSegment(IPv4Fixtures.syn)))
        // Label 0 is IPv4 explicit null, whatever the first byte.
        #expect(try decodeSegment(ethernet([0x88, 0x47], [0x00, 0x00, 0x01, 0x40] + ip)).sequenceNumber
            == (try decodeSegment(IPv4Fixtures.syn)).sequenceNumber)
        let notIP = ethernet([0x88, 0x47], [0x00, 0x01, 0x01, 0x40, 0x00, 0x00, 0x00])
        #expect(try PacketDecoder.decode(notIP, linkType: .ethernet) == .notTCP("MPLS payload not IP"))
        #expect(throws: DecodeError.truncated(layer: "MPLS label", needed: 4, available: 2)) {
            try PacketDecoder.decode(ethernet([0x88, 0x47], [0x00, 0x01, 0x00, 0x40, 0x00, 0x01]), linkType: .ethernet)
        }
    }

    @Test func pppoeDiscoveryAndLinkControlAreNotTCP() throws {
        #expect(try PacketDecoder.decode(ethernet([0x88, 0x63], [0x11, 0x09, 0, 0, 0, 0]), linkType: .ethernet)
            == .notTCP("PPPoE discovery"))
        let lcp = ethernet([0x88, 0x64], [0x11, 0x00, 0x12, 0x34, 0x00, 0x06, 0xC0, 0x21, 1, 1, 0, 4])
        #expect(try PacketDecoder.decode(lcp, linkType: .ethernet) == .notTCP("PPP LCP"))
    }

    @Test func ieee8023FramesAreReadThroughLLC() throws {
        // 802.3 length field, then LLC DSAP/SSAP 0x42 (spanning tree), control 0x03.
        let stp = ethernet([0x00, 0x26], [0x42, 0x42, 0x03, 0, 0, 0])
        #expect(try PacketDecoder.decode(stp, linkType: .ethernet) == .notTCP("802.3 LLC STP"))
        let netbios = ethernet([0x00, 0x26], [0xF0, 0xF0, 0x03, 0, 0, 0])
        #expect(try PacketDecoder.decode(netbios, linkType: .ethernet) == .notTCP("802.3 LLC DSAP 0xf0"))
        // SNAP with a vendor's organisation code: not an ethertype.
        let vendor = ethernet([0x00, 0x26], [0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00])
        #expect(try PacketDecoder.decode(vendor, linkType: .ethernet) == .notTCP("SNAP OUI 0xc"))
        let snap = ethernet([0x00, 0x40], [0xAA, 0xAA, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00] + ip)
        #expect(try decodeSegment(snap) == (try decodeSegment(IPv4Fixtures.syn)))
    }

    @Test func pppFramings() throws {
        let syn = try decodeSegment(IPv4Fixtures.syn)
        #expect(try decodeSegment([0xFF, 0x03, 0x00, 0x21] + ip, .ppp) == syn)
        #expect(try decodeSegment([0x00, 0x21] + ip, .ppp) == syn)
        #expect(try decodeSegment([0x21] + ip, .ppp) == syn)  // protocol-field compression
        #expect(try PacketDecoder.decode([0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 4], linkType: .ppp) == .notTCP("PPP LCP"))
        #expect(try PacketDecoder.decode([0xFF, 0x03, 0x80, 0xFD, 1, 1, 0, 4], linkType: .ppp) == .notTCP("PPP protocol 0x80fd"))
        #expect(try decodeSegment([0x0F, 0x00, 0x08, 0x00] + ip, .pppSerial) == syn)
        #expect(try decodeSegment([0x8F, 0x00, 0x08, 0x00] + ip, .ciscoHDLC) == syn)
        #expect(try PacketDecoder.decode([0x8F, 0x00, 0x80, 0x35, 0, 0], linkType: .ciscoHDLC) == .notTCP("Cisco SLARP"))
        #expect(try decodeSegment([0x11, 0x00, 0x00, 0x01, 0x00, 0x2A, 0x00, 0x21] + ip, .pppOverEthernet) == syn)
        #expect(LinkType(dataLinkType: 9) == .ppp && LinkType(dataLinkType: 50) == .pppSerial)
    }

    @Test func ipLengthPastTheWireIsMarkedButASnaplenCutIsNot() throws {
        // The recorded "haha" segment says IP total length 56; the frame is whole.
        let data = IPv4Fixtures.dataHaha
        #expect(try decodeSegment(data).ipBytesMissing == nil)
        // IP says 156 bytes: 100 more than the frame had on the wire.
        let longer = data.replacing(at: 16, with: [0x00, 0x9C])
        let marked = try decodeSegment(longer)
        #expect(marked.ipBytesMissing == 100)
        #expect(marked.ipTruncationText == "truncated-ip - 100 bytes missing!")
        #expect(marked.payload == Array("haha".utf8))
        #expect(marked.ipPayloadLength == 104)
        // The same frame cut by a snapshot length: the wire had it all, nothing is missing.
        let cut = try PacketDecoder.decode(Array(longer.prefix(longer.count - 2)), linkType: .ethernet, originalLength: longer.count + 100)
        #expect(cut.segment?.ipBytesMissing == nil)
    }
}

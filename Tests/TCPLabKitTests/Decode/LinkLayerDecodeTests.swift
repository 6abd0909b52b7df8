import Testing
@testable import TCPLabKit

/// Every supported link type gets to the same TCP segment.
@Suite struct LinkLayerDecodeTests {
    /// The IPv4 packet inside the recorded Ethernet SYN.
    private let ipv4SYN = Array(IPv4Fixtures.syn.dropFirst(14))
    private let ipv6SYN = Array(IPv6Fixtures.syn.dropFirst(14))

    @Test func linuxCookedV2() throws {
        let syn = try decodeSegment(OtherFixtures.sll2Syn, .linuxCooked2)
        #expect(syn.sourcePort == 32854)
        #expect(syn.sequenceNumber == 1_104_698_723)
        #expect(syn.flags.tcpdumpNotation == "S")
        #expect(tcpdumpOptions(syn) == "mss 65495,sackOK,TS val 1320722789 ecr 0,nop,wscale 10")
        // The same packet seen on `lo` and on `any` decodes to the same segment.
        #expect(syn == (try decodeSegment(IPv4Fixtures.syn)))
    }

    @Test func linuxCookedV1() throws {
        let syn = try decodeSegment(OtherFixtures.sllSyn, .linuxCooked)
        #expect(syn.sourcePort == 52740)
        #expect(syn.destinationPort == 7777)
        #expect(syn.sequenceNumber == 2_492_150_938)
        #expect(syn.options.contains(.timestamp(value: 786_839_618, echo: 0)))
    }

    @Test func cookedHeadersWithOtherProtocols() throws {
        let arp = OtherFixtures.sll2Syn.replacing(at: 0, with: [0x08, 0x06])
        #expect(try PacketDecoder.decode(arp, linkType: .linuxCooked2) == .notTCP("ARP"))
        // Below 0x0600 the protocol is one of the kernel's ETH_P_* pseudo-types: 3 (ETH_P_ALL) names nothing.
        let other = OtherFixtures.sllSyn.replacing(at: 14, with: [0x00, 0x03])
        #expect(try PacketDecoder.decode(other, linkType: .linuxCooked) == .notTCP("Linux cooked protocol 0x0003"))
        #expect(try PacketDecoder.decode(OtherFixtures.sll2Syn.replacing(at: 0, with: [0x88, 0xB5]), linkType: .linuxCooked2)
            == .notTCP("ethertype 0x88b5"))
    }

    @Test func vlanTaggedEthernet() throws {
        // 802.1Q tag 0x8100, VLAN 100, inserted between the MACs and the ethertype.
        let tagged = IPv4Fixtures.dataHaha.inserting([0x81, 0x00, 0x00, 0x64], at: 12)
        let data = try decodeSegment(tagged)
        #expect(data.payload == Array("haha".utf8))
        #expect(data == (try decodeSegment(IPv4Fixtures.dataHaha)))
        // Stacked tags are followed, whatever their TPID (802.1Q, 802.1ad, the older QinQ ones).
        for outer: [UInt8] in [[0x81, 0x00], [0x88, 0xA8], [0x91, 0x00], [0x92, 0x00]] {
            let doubly = tagged.inserting(outer + [0x00, 0x65], at: 12)
            #expect(try decodeSegment(doubly) == data)
        }
    }

    @Test func rawIPPicksTheVersionFromTheFirstNibble() throws {
        let v4 = try decodeSegment(ipv4SYN, .raw)
        let v6 = try decodeSegment(ipv6SYN, .raw)
        #expect(v4.source == .loopbackV4)
        #expect(v6.source == .loopbackV6)
        #expect(try PacketDecoder.decode(ipPacket: ipv6SYN) == .tcp(v6))
        #expect(try decodeSegment(ipv4SYN, .ipv4) == v4)
        #expect(try decodeSegment(ipv6SYN, .ipv6) == v6)
        #expect(throws: DecodeError.invalid(layer: "IP header", reason: "version field is 5, neither 4 nor 6")) {
            try PacketDecoder.decode([0x50] + ipv4SYN.dropFirst(), linkType: .raw)
        }
    }

    @Test func ipv4LinkTypeRejectsIPv6() {
        #expect(throws: DecodeError.invalid(layer: "IPv4 header", reason: "version field is 6, expected 4")) {
            try PacketDecoder.decode(ipv6SYN, linkType: .ipv4)
        }
    }

    @Test(arguments: [
        // NULL stores the family in host order (little-endian here), LOOP in network order.
        ([0x02, 0x00, 0x00, 0x00] as [UInt8], LinkType.null, true),
        ([0x00, 0x00, 0x00, 0x02], .loop, true),
        ([0x00, 0x00, 0x00, 0x02], .null, true),  // a big-endian host's NULL file
        ([0x1E, 0x00, 0x00, 0x00], .null, false),  // AF_INET6 on macOS
        ([0x00, 0x00, 0x00, 0x18], .loop, false),  // AF_INET6 on OpenBSD
        ([0x1C, 0x00, 0x00, 0x00], .null, false),  // AF_INET6 on FreeBSD
    ])
    func loopbackFamilies(family: [UInt8], linkType: LinkType, isIPv4: Bool) throws {
        let segment = try decodeSegment(family + (isIPv4 ? ipv4SYN : ipv6SYN), linkType)
        #expect(segment.source.isIPv6 == !isIPv4)
        #expect(segment.flags == .syn)
    }

    @Test func unknownLoopbackFamilyIsNotTCP() throws {
        let frame = [0x07, 0x00, 0x00, 0x00] + ipv4SYN
        #expect(try PacketDecoder.decode(frame, linkType: .null) == .notTCP("loopback address family 7"))
    }

    @Test func dataLinkTypeValues() throws {
        #expect(LinkType(dataLinkType: 12) == .raw)
        #expect(LinkType(dataLinkType: 14) == .raw)
        #expect(LinkType(dataLinkType: 101) == .raw)
        #expect(LinkType(dataLinkType: 1) == .ethernet)
        #expect(LinkType(dataLinkType: 113) == .linuxCooked)
        #expect(LinkType(dataLinkType: 276) == .linuxCooked2)
        #expect(LinkType(dataLinkType: 0) == .null)
        #expect(LinkType(dataLinkType: 108) == .loop)
        #expect(LinkType(dataLinkType: 228) == .ipv4)
        #expect(LinkType(dataLinkType: 229) == .ipv6)
        #expect(LinkType(dataLinkType: 147) == nil)
        #expect(try PacketDecoder.decode(OtherFixtures.sll2Syn, dataLinkType: 276).segment?.sourcePort == 32854)
        #expect(throws: DecodeError.unsupportedLinkType(147)) {
            try PacketDecoder.decode(IPv4Fixtures.syn, dataLinkType: 147)
        }
    }
}

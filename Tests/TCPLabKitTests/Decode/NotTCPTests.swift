import Testing
@testable import TCPLabKit

/// Frames that decode fine but carry something other than TCP.
@Suite struct NotTCPTests {
    @Test func recordedUDPDatagram() throws {
        #expect(try PacketDecoder.decode(OtherFixtures.udp, linkType: .ethernet) == .notTCP("IPv4 protocol 17 (UDP)"))
    }

    @Test func recordedICMPPortUnreachable() throws {
        // The ICMP body quotes a UDP header; the decoder must not mistake it for anything.
        #expect(try PacketDecoder.decode(OtherFixtures.icmp, linkType: .ethernet) == .notTCP("IPv4 protocol 1 (ICMP)"))
    }

    @Test func otherEthertypes() throws {
        // ARP cannot be recorded on loopback, so the recorded UDP frame's ethertype is changed.
        let arp = OtherFixtures.udp.replacing(at: 12, with: [0x08, 0x06])
        #expect(try PacketDecoder.decode(arp, linkType: .ethernet) == .notTCP("ARP"))
        let lldp = OtherFixtures.udp.replacing(at: 12, with: [0x88, 0xCC])
        #expect(try PacketDecoder.decode(lldp, linkType: .ethernet) == .notTCP("ethertype 0x88cc"))
        let unnamed = OtherFixtures.udp.replacing(at: 23, with: [99])
        #expect(try PacketDecoder.decode(unnamed, linkType: .ethernet) == .notTCP("IPv4 protocol 99"))
    }

    @Test func segmentAccessor() throws {
        #expect(try PacketDecoder.decode(OtherFixtures.udp, linkType: .ethernet).segment == nil)
        #expect(try PacketDecoder.decode(IPv4Fixtures.syn, linkType: .ethernet).segment != nil)
    }
}

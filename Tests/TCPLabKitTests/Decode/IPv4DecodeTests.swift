import Testing
@testable import TCPLabKit

/// One recorded IPv4 connection over loopback, frame by frame.
@Suite struct IPv4DecodeTests {
    @Test func synCarriesTheKernelsOptions() throws {
        let syn = try decodeSegment(IPv4Fixtures.syn)
        #expect(syn.source == .loopbackV4)
        #expect(syn.destination == .loopbackV4)
        #expect(syn.sourcePort == 32854)
        #expect(syn.destinationPort == 7777)
        #expect(syn.sequenceNumber == 1_104_698_723)
        #expect(syn.acknowledgmentNumber == 0)
        #expect(syn.flags == .syn)
        #expect(syn.flags.tcpdumpNotation == "S")
        #expect(syn.window == 65495)
        #expect(syn.hopLimit == 64)
        #expect(syn.options == [
            .maximumSegmentSize(65495),
            .sackPermitted,
            .timestamp(value: 1_320_722_789, echo: 0),
            .noOperation,
            .windowScale(10),
        ])
        #expect(tcpdumpOptions(syn) == "mss 65495,sackOK,TS val 1320722789 ecr 0,nop,wscale 10")
        #expect(syn.payload.isEmpty)
        #expect(syn.ipPayloadLength == 0)
    }

    @Test func synAckAcknowledgesTheClientsISN() throws {
        let synAck = try decodeSegment(IPv4Fixtures.synAck)
        #expect(synAck.sourcePort == 7777)
        #expect(synAck.destinationPort == 32854)
        #expect(synAck.flags == [.syn, .ack])
        #expect(synAck.flags.tcpdumpNotation == "S.")
        #expect(synAck.sequenceNumber == 449_087_667)
        #expect(synAck.acknowledgmentNumber == 1_104_698_724)
        #expect(synAck.window == 65483)
        #expect(tcpdumpOptions(synAck) == "mss 65495,sackOK,TS val 1797274769 ecr 1320722789,nop,wscale 10")
    }

    @Test func handshakeAckHasTimestampsOnly() throws {
        let ack = try decodeSegment(IPv4Fixtures.ack)
        #expect(ack.flags.tcpdumpNotation == ".")
        #expect(ack.acknowledgmentNumber == 449_087_668)
        // The raw window field: 64 << wscale 10 is the real window, but tcpdump prints 64.
        #expect(ack.window == 64)
        #expect(tcpdumpOptions(ack) == "nop,nop,TS val 1320722790 ecr 1797274769")
    }

    @Test func clientDataIsPushedWithPayload() throws {
        let data = try decodeSegment(IPv4Fixtures.dataHaha)
        #expect(data.flags == [.psh, .ack])
        #expect(data.flags.tcpdumpNotation == "P.")
        #expect(data.sequenceNumber == 1_104_698_724)
        #expect(data.acknowledgmentNumber == 449_087_668)
        #expect(data.payload == Array("haha".utf8))
        #expect(data.payloadLength == 4)
        #expect(data.ipPayloadLength == 4)
    }

    @Test func serverReplyFlowsTheOtherWay() throws {
        let reply = try decodeSegment(IPv4Fixtures.dataHAHA)
        #expect(reply.sourcePort == 7777)
        #expect(reply.destinationPort == 32854)
        #expect(reply.flags.tcpdumpNotation == "P.")
        #expect(reply.sequenceNumber == 449_087_668)
        #expect(reply.acknowledgmentNumber == 1_104_698_728)
        #expect(reply.payload == Array("HAHA".utf8))
    }

    @Test func serverCloseSendsFinAck() throws {
        let fin = try decodeSegment(IPv4Fixtures.fin)
        #expect(fin.flags == [.fin, .ack])
        #expect(fin.flags.tcpdumpNotation == "F.")
        #expect(fin.sequenceNumber == 449_087_672)
        #expect(fin.payload.isEmpty)
    }

    @Test func dataToAClosedSocketGetsABareReset() throws {
        // The kernel answers with RST alone, its sequence number taken from the segment's ACK.
        let rst = try decodeSegment(IPv4Fixtures.rst)
        #expect(rst.sourcePort == 7777)
        #expect(rst.flags == .rst)
        #expect(rst.flags.tcpdumpNotation == "R")
        #expect(rst.sequenceNumber == 449_087_673)
        #expect(rst.window == 0)
        #expect(rst.options.isEmpty)
    }

    @Test func connectToAClosedPortGetsResetAck() throws {
        let rstAck = try decodeSegment(IPv4Fixtures.rstAck)
        #expect(rstAck.sourcePort == 7778)
        #expect(rstAck.destinationPort == 33072)
        #expect(rstAck.flags == [.rst, .ack])
        #expect(rstAck.flags.tcpdumpNotation == "R.")
        #expect(rstAck.sequenceNumber == 0)
        #expect(rstAck.acknowledgmentNumber == 3_907_690_382)
    }

    @Test func ethernetPaddingIsNotPayload() throws {
        // Short frames on a real wire are padded to 60 bytes; IP's total length says where TCP ends.
        let padded = IPv4Fixtures.rst + [UInt8](repeating: 0xEE, count: 6)
        let rst = try decodeSegment(padded)
        #expect(rst.payload.isEmpty)
        #expect(rst.ipPayloadLength == 0)
    }

    @Test func snaplenCutPayloadKeepsIPsLength() throws {
        // Drop the last 2 bytes of "haha", as a 68-byte snaplen would.
        let cut = Array(IPv4Fixtures.dataHaha.dropLast(2))
        let data = try decodeSegment(cut)
        #expect(data.payload == Array("ha".utf8))
        #expect(data.payloadLength == 2)
        #expect(data.ipPayloadLength == 4)
    }

    @Test func zeroTotalLengthTrustsTheCapture() throws {
        // Offloaded (TSO) packets are captured before the NIC fills in the total length.
        let tso = IPv4Fixtures.dataHaha.replacing(at: 16, with: [0x00, 0x00])
        let data = try decodeSegment(tso)
        #expect(data.payload == Array("haha".utf8))
        #expect(data.ipPayloadLength == 4)
    }

    @Test func laterFragmentsAreNotTCP() throws {
        // Flags/fragment offset 0x2001: more fragments, offset 8 bytes.
        let fragment = IPv4Fixtures.dataHaha.replacing(at: 20, with: [0x20, 0x01])
        #expect(try PacketDecoder.decode(fragment, linkType: .ethernet) == .notTCP("IPv4 fragment"))
        // A first fragment (offset 0, more-fragments set) still starts with the TCP header.
        let first = IPv4Fixtures.dataHaha.replacing(at: 20, with: [0x20, 0x00])
        #expect(try decodeSegment(first).payload == Array("haha".utf8))
    }

    @Test func ipv4OptionsAreSkipped() throws {
        // IHL 6 with one 4-byte option (four NOPs), total length 4 bytes longer.
        let frame = IPv4Fixtures.dataHaha
            .replacing(at: 14, with: [0x46])
            .replacing(at: 16, with: [0x00, 0x3c])
            .inserting([0x01, 0x01, 0x01, 0x01], at: 34)
        let data = try decodeSegment(frame)
        #expect(data.sourcePort == 32854)
        #expect(data.payload == Array("haha".utf8))
    }
}

import Testing
@testable import TCPLabKit

@Suite struct TCPFlagsTests {
    @Test(arguments: [
        (TCPFlags.syn, "S"),
        ([.syn, .ack], "S."),
        (.ack, "."),
        ([.psh, .ack], "P."),
        ([.fin, .ack], "F."),
        ([.fin, .psh, .ack], "FP."),
        (.rst, "R"),
        ([.rst, .ack], "R."),
        ([], "none"),
        // ECN: tcpdump prints a SYN asking for ECN as "SEW" and the SYN-ACK agreeing as "S.E".
        ([.syn, .ece, .cwr], "SEW"),
        ([.syn, .ack, .ece], "S.E"),
        ([.urg, .ack], ".U"),
        ([.ack, .ae], ".e"),
    ] as [(TCPFlags, String)])
    func tcpdumpNotation(flags: TCPFlags, expected: String) {
        #expect(flags.tcpdumpNotation == expected)
    }

    @Test func bitValuesMatchTheHeader() {
        #expect(TCPFlags.fin.rawValue == 0x01)
        #expect(TCPFlags.syn.rawValue == 0x02)
        #expect(TCPFlags.rst.rawValue == 0x04)
        #expect(TCPFlags.psh.rawValue == 0x08)
        #expect(TCPFlags.ack.rawValue == 0x10)
        #expect(TCPFlags.urg.rawValue == 0x20)
        #expect(TCPFlags.ece.rawValue == 0x40)
        #expect(TCPFlags.cwr.rawValue == 0x80)
        #expect(TCPFlags.ae.rawValue == 0x100)
    }

    @Test func aeBitIsReadFromTheDataOffsetByte() throws {
        // Byte 12 of the TCP header (offset 46 in the frame) holds the data offset and AE.
        let frame = IPv4Fixtures.ack.replacing(at: 46, with: [0x81])
        let segment = try decodeSegment(frame)
        #expect(segment.flags == [.ack, .ae])
        #expect(segment.options.count == 3)  // the data offset is unchanged
    }
}

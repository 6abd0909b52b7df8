import Testing
@testable import TCPLabKit

/// The options tcpdump names beyond the classic five, each printed as tcpdump 4.99 prints it
/// (print-tcp.c, print-mptcp.c); the well-formed ones are also checked against tcpdump itself
/// in captures/fidelity/options-named.pcap.
@Suite struct NamedOptionTests {
    private func text(_ kind: UInt8, _ data: [UInt8], _ flags: TCPFlags = [.syn]) -> String {
        TCPOption(kind: kind, data: data, flags: flags).tcpdumpText
    }

    @Test func mptcpSubtypesAndTheirLengths() {
        // MP_CAPABLE: 4 bytes on a SYN; 20 bytes with both keys only on the third ACK.
        #expect(text(30, [0x01, 0x00]) == "mptcp 4 capable v1")
        let keys: [UInt8] = [0x00, 0x00] + [UInt8](repeating: 0, count: 7) + [1] + [UInt8](repeating: 0, count: 7) + [2]
        #expect(text(30, keys, [.ack]) == "mptcp 20 capable v0 {0x1,0x2}")
        #expect(text(30, keys, [.syn]) == "mptcp 20 capable[bad opt]")
        #expect(text(30, [0x05, 0x00]) == "mptcp 4 capable Unknown Version (5)")
        // DSS: no DSS on a SYN; a 4-byte data ACK alone; DATA_FIN.
        #expect(text(30, [0x20, 0x01, 0, 0, 0, 9], [.ack]) == "mptcp 8 dss ack 9")
        #expect(text(30, [0x20, 0x11, 0, 0, 0, 9], [.ack]) == "mptcp 8 dss fin ack 9")
        #expect(text(30, [0x20, 0x01, 0, 0, 0, 9], [.syn]) == "mptcp 8 dss[bad opt]")
        #expect(text(30, [0x20, 0x01, 0, 0], [.ack]) == "mptcp 6 dss[bad opt]")
        #expect(text(30, [0x40, 3, 4], [.ack]) == "mptcp 5 rem-addr id 3 4")
        #expect(text(30, [0x51, 7], [.ack]) == "mptcp 4 prio backup id 7")
        #expect(text(30, [0x70, 0] + [UInt8](repeating: 0, count: 7) + [0xAB], [.ack]) == "mptcp 12 fast-close key 0xab")
        #expect(text(30, [0x80, 0], [.ack]) == "mptcp 4 unknown")
        #expect(text(30, [0x00]) == "mptcp 3 capable[bad opt]")
        #expect(text(30, []) == "mptcp[bad opt]")
    }

    @Test func fastOpenUserTimeoutAuthenticationExperiments() {
        #expect(text(34, []) == "tfo  cookiereq")
        #expect(text(34, [1, 2, 3, 4]) == "tfo  cookie 01020304")
        #expect(text(34, [1, 2, 3]) == "tfo  (invalid)")
        #expect(text(254, [0xF9, 0x89]) == "exp-tfo cookiereq")
        #expect(text(254, [0xAC, 0xC1, 0, 0, 1]) == "exp-acc1")
        #expect(text(253, [0x12, 0x34, 0xFF]) == "unknown-253 0x1234ff")
        #expect(text(254, [0xF9]) == "exp 0xf9")
        // User timeout: bit 0 of the field set means minutes (0x0259: 300 minutes = 18000 s).
        #expect(text(28, [0x02, 0x59]) == "uto 0x259 18000")
        #expect(text(28, [0x02, 0x58]) == "uto 0x258 300")
        #expect(text(29, [1, 2]) == "tcp-ao keyid 1 rnextkeyid 2")
        #expect(text(29, [1]) == "tcp-ao (invalid)")
        #expect(text(19, [UInt8](0..<16)) == "md5 shared secret not supplied with -M, can't check - 000102030405060708090a0b0c0d0e0f")
        #expect(text(6, [0, 0, 1, 0]) == "echo 256")
        #expect(text(99, [0xAB]) == "unknown-99 0xab")
    }

    @Test func cutOptionsNameWhatTcpdumpNamed() throws {
        #expect(TCPOption.cut(kind: 8).tcpdumpText == "TS [|tcp]")
        #expect(TCPOption.cut(kind: 30).tcpdumpText == "mptcp [|tcp]")
        #expect(TCPOption.cut(kind: nil).tcpdumpText == "[|tcp]")
        // Kind and length there, data short: the kind is named; the length byte missing: not.
        let named = try ByteReader.reading([0x02, 0x04, 0x05, 0xB4, 0x08, 0x0A, 0x00], end: 7) {
            (reader: inout ByteReader) throws(DecodeError) in try TCPHeader.parseOptions(&reader, declared: 16)
        }
        #expect(named == [.maximumSegmentSize(1460), .cut(kind: 8)])
        let unnamed = try ByteReader.reading([0x02, 0x04, 0x05, 0xB4, 0x08]) {
            (reader: inout ByteReader) throws(DecodeError) in try TCPHeader.parseOptions(&reader, declared: 16)
        }
        #expect(unnamed == [.maximumSegmentSize(1460), .cut(kind: nil)])
    }

    @Test func relativeSACKBlocks() {
        let blocks = TCPOption.sack([SACKBlock(left: 1_000_100, right: 1_000_200)])
        #expect(blocks.tcpdumpText(sackBase: 1_000_000) == "sack 1 {100:200}")
        #expect(blocks.tcpdumpText == "sack 1 {1000100:1000200}")
    }
}

import Testing
@testable import TCPLabKit

@Suite struct TCPOptionTests {
    private func parse(_ bytes: [UInt8]) throws(DecodeError) -> [TCPOption] {
        try ByteReader.reading(bytes) { (reader: inout ByteReader) throws(DecodeError) in try TCPHeader.parseOptions(&reader) }
    }

    @Test func tcpdumpText() {
        #expect(TCPOption.maximumSegmentSize(65495).tcpdumpText == "mss 65495")
        #expect(TCPOption.sackPermitted.tcpdumpText == "sackOK")
        #expect(TCPOption.timestamp(value: 123, echo: 0).tcpdumpText == "TS val 123 ecr 0")
        #expect(TCPOption.windowScale(7).tcpdumpText == "wscale 7")
        #expect(TCPOption.noOperation.tcpdumpText == "nop")
        #expect(TCPOption.endOfOptions.tcpdumpText == "eol")
        #expect(TCPOption.sack([SACKBlock(left: 100, right: 200)]).tcpdumpText == "sack 1 {100:200}")
        #expect(TCPOption.sack([.init(left: 1, right: 2), .init(left: 3, right: 4)]).tcpdumpText
            == "sack 2 {1:2}{3:4}")
        #expect(TCPOption.unknown(kind: 99, data: []).tcpdumpText == "unknown-99")
        #expect(TCPOption.unknown(kind: 99, data: [0x01, 0xAB]).tcpdumpText == "unknown-99 0x01ab")
    }

    @Test func parsesSackBlocks() throws {
        let options = try parse([0x01, 0x01, 0x05, 0x12,
                                 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0xC8,
                                 0x00, 0x00, 0x01, 0x2C, 0x00, 0x00, 0x01, 0x90])
        #expect(options == [.noOperation, .noOperation,
                            .sack([SACKBlock(left: 100, right: 200), SACKBlock(left: 300, right: 400)])])
    }

    @Test func wrongLengthForAKnownKindIsKeptAsUnknown() throws {
        #expect(try parse([0x02, 0x03, 0x05]) == [.unknown(kind: 2, data: [0x05])])
        #expect(try parse([0x05, 0x06, 1, 2, 3, 4]) == [.unknown(kind: 5, data: [1, 2, 3, 4])])
        #expect(try parse([0xFD, 0x02]) == [.unknown(kind: 253, data: [])])
        #expect(try parse([0x05, 0x06, 1, 2, 3, 4]).map(\.tcpdumpText) == ["sack invalid sack"])
    }

    @Test func endOfOptionsStopsAtPadding() throws {
        // After EOL the rest is padding, even if it looks like a (broken) option.
        #expect(try parse([0x01, 0x00, 0x08, 0xFF]) == [.noOperation, .endOfOptions])
    }

    @Test func malformedOptionListsAreInvalid() {
        #expect(throws: DecodeError.invalid(layer: "TCP options",
                                            reason: "option kind 8 claims 10 bytes but only 4 are left in the header")) {
            try parse([0x08, 0x0A, 0x00, 0x00])
        }
        #expect(throws: DecodeError.invalid(layer: "TCP options",
                                            reason: "option kind 2 has length 1, below the minimum 2")) {
            try parse([0x02, 0x01, 0x00, 0x00])
        }
        #expect(throws: DecodeError.invalid(layer: "TCP options",
                                            reason: "option kind 2 has no length byte before the header ends")) {
            try parse([0x01, 0x01, 0x01, 0x02])
        }
    }

    @Test func optionClaimingMoreThanTheHeaderInARecordedSYN() {
        // The SYN's wscale option (bytes 71–73) claims 5 bytes; only 3 remain before the data offset.
        let frame = IPv4Fixtures.syn.replacing(at: 72, with: [0x05])
        #expect(throws: DecodeError.invalid(layer: "TCP options",
                                            reason: "option kind 3 claims 5 bytes but only 3 are left in the header")) {
            try PacketDecoder.decode(frame, linkType: .ethernet)
        }
    }
}

import Testing
@testable import TCPLabKit

/// Without a SYN, Wireshark's relative numbers start at 1: a side's base is its first sequence
/// number minus one, or the first ack that names it minus one.
@Suite struct RelativeNumberingTests {
    /// The shared case; Wireshark: `Seq=1 Ack=1 Len=605`.
    @Test func midstreamCaseReadsLikeWireshark() throws {
        let row = try #require(try trackingDecoding("midstream-relative-seq-0").rows.first)
        #expect(row.sequence == 1)
        #expect(row.acknowledgment == 1)
        #expect(row.length == 605)
        #expect(row.sequenceText == "1:606")
    }

    @Test func anAckFirstNumbersThePeerFromOneToo() throws {
        let rows = try trackingDecoding("midstream-ack-first").rows
        #expect(rows.map(\.sequenceText) == ["1", "1:101", "1"])
        #expect(rows.map(\.acknowledgment) == [1, 1, 101])
        #expect(rows[2].annotation == "ACK = 1 + 100 bytes")
    }

    @Test func aSYNStillCountsFromZero() throws {
        let rows = try trackingDecoding("several-servers").rows
        #expect(rows.map(\.sequenceText) == ["0", "0", "0", "0", "1", "1"])
    }

    /// A refused connection's RST-ACK has no SYN of its own: Wireshark shows `Seq=1 Ack=1`.
    @Test func refusedRSTACKIsSeqOne() throws {
        let row = try #require(try goldenRows("mixed-udp-tcp").last)
        #expect(row.flags == "R.")
        #expect(row.sequenceText == "1" && row.acknowledgment == 1)
    }
}

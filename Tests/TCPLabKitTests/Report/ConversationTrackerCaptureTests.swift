import Testing
@testable import TCPLabKit

/// The tracker's annotations that need segments the fixtures lack (pure ACKs of data and of a
/// FIN, a refused connect), read from the golden captures in `captures/`. `goldenRows` decodes
/// as `tcplab decode` does, a capture of unknown origin: annotations say what a segment is.
@Suite struct ConversationTrackerCaptureTests {
    @Test func pureACKsSayWhatTheyAcknowledge() throws {
        let rows = try goldenRows("broken-pipe")
        try #require(rows.count == 11)
        // #4 is the client's "haha" (1:5); #5 the server's pure ACK of it.
        #expect(rows[3].payloadPreview == "\"haha\"")
        #expect(rows[4].who == "S > C")
        #expect(rows[4].acknowledgment == 5)
        #expect(rows[4].annotation == "ACK = 1 + 4 bytes")
        // #7 is the client's ACK of "HAHA".
        #expect(rows[6].who == "C > S")
        #expect(rows[6].annotation == "ACK = 1 + 4 bytes")
        #expect(rows[7].annotation == "FIN: no more data from the sender")
        #expect(rows[8].who == "C > S")
        #expect(rows[8].acknowledgment == 6)
        #expect(rows[8].annotation == "ACK of the FIN")
        #expect(rows[9].sequenceText == "5:9")
        #expect(rows[10].annotation == "RST after the sender's FIN: the peer's data found no reader")
    }

    @Test func clientCloseAndItsACK() throws {
        let rows = try goldenRows("broken-pipe-fixed-client")
        try #require(rows.count == 11)
        #expect(rows[9].who == "C > S")
        #expect(rows[9].annotation == "FIN: no more data from the sender")
        #expect(rows[9].direction == .clientToServer)
        #expect(rows[10].who == "S > C")
        #expect(rows[10].annotation == "ACK of the FIN")
        #expect(!rows.contains { $0.flags.contains("R") })
    }

    @Test func refusedConnectIsASecondConnection() throws {
        let capture = try goldenCapture("cooked-sll2")
        var tracker = ConversationTracker()
        var number = 0
        let rows = try capture.frames.map { frame in
            number += 1
            let segment = try decodeSegment(frame.bytes, capture.linkType)
            return tracker.describe(CapturedSegment(number: number, time: frame.time, segment: segment))
        }
        #expect(tracker.connectionCount == 2)
        let syn = try #require(rows.dropLast().last)
        let refusal = try #require(rows.last)
        #expect(syn.connection == 2)
        #expect(syn.who == "C2 > S")
        #expect(syn.annotation == "SYN")
        #expect(refusal.who == "S > C2")
        #expect(refusal.flags == "R.")
        // No SYN of its own: Wireshark's relative numbering gives it Seq=1.
        #expect(refusal.sequenceText == "1")
        #expect(refusal.acknowledgment == 1)
        #expect(refusal.annotation == "RST-ACK: nobody listens on port 7778 (connection refused)")
    }
}

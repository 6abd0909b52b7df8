import Testing
@testable import TCPLabKit

/// A capture started after the handshake: without a SYN, the side with the higher
/// (ephemeral-looking) port is taken as the client, whichever side sent first.
@Suite struct MidConnectionTests {
    @Test func serverSpeaksFirst() throws {
        // Starts at the server's "HAHA": 7777 -> 32854.
        let rows = describeAll(try capturedSegments([IPv4Fixtures.dataHAHA, IPv4Fixtures.fin]))
        #expect(rows[0].who == "S > C")
        #expect(rows[0].direction == .serverToClient)
        #expect(rows[0].sequenceText == "0:4")
        #expect(rows[0].annotation == "")
        #expect(rows[1].who == "S > C")
        #expect(rows[1].sequenceText == "4")
        #expect(rows[1].annotation == "FIN: server closes its side")
    }

    @Test func clientSpeaksFirst() throws {
        let rows = describeAll(try capturedSegments([IPv4Fixtures.dataHaha, IPv4Fixtures.dataHAHA]))
        #expect(rows[0].who == "C > S")
        #expect(rows[1].who == "S > C")
        #expect(rows[1].acknowledgment == 4)
    }

    @Test func ackBeforeThePeerIsSeenIsRelativeToo() throws {
        // #1 (client, ack 449087668) comes before any server segment; #2 is the server's data
        // starting at that very number, shown as relative 0. #1's ack should read 0 as well.
        let rows = describeAll(try capturedSegments([IPv4Fixtures.dataHaha, IPv4Fixtures.dataHAHA]))
        #expect(rows[1].sequence == 0)
        #expect(rows[0].acknowledgment == rows[1].sequence)
    }
}

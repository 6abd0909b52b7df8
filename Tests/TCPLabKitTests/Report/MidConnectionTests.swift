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
        // Wireshark's relative numbers without a SYN: the first byte seen is 1.
        #expect(rows[0].sequenceText == "1:5")
        #expect(rows[0].annotation == "")
        #expect(rows[1].who == "S > C")
        #expect(rows[1].sequenceText == "5")
        #expect(rows[1].annotation == "FIN: server closes its side")
    }

    @Test func clientSpeaksFirst() throws {
        let rows = describeAll(try capturedSegments([IPv4Fixtures.dataHaha, IPv4Fixtures.dataHAHA]))
        #expect(rows[0].who == "C > S")
        #expect(rows[1].who == "S > C")
        #expect(rows[1].acknowledgment == 5)
    }

    @Test func ackBeforeThePeerIsSeenIsRelativeToo() throws {
        // #1 (client, ack 449087668) comes before any server segment; #2 is the server's data
        // starting at that very number. Like Wireshark (base = ack - 1), both read 1.
        let rows = describeAll(try capturedSegments([IPv4Fixtures.dataHaha, IPv4Fixtures.dataHAHA]))
        #expect(rows[0].sequence == 1)
        #expect(rows[1].sequence == 1)
        #expect(rows[0].acknowledgment == rows[1].sequence)
    }
}

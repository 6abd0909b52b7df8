import Testing
@testable import TCPLabKit

/// The server's ACK of the client's FIN at teardown is not a keystroke ACK (issue 10: it was
/// counted among them). Both recordings end with the teardown, so the segment is there to miscount.
@Suite struct NagleTeardownTests {
    @Test(arguments: NagleFailures.both)
    func teardownAckIsNotAKeystrokeAck(_ recording: String) throws {
        let run = try DoctoredRun(recording)
        let facts = run.nagleFacts
        let port = run.port
        let fin = try #require(run.observation.segments.first { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) },
                               "the recording has no FIN from the client")
        let teardownAck = try #require(run.observation.segments.first {
            $0.segment.sourcePort == port && $0.segment.flags.contains(.ack) && $0.segment.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
        }, "the recording has no ACK of the client's FIN from the server")
        let (pure, piggybacked) = facts.serverAcks
        #expect(!(pure + piggybacked).contains { $0.number == teardownAck.number },
                "#\(teardownAck.number), the ACK of the client's FIN #\(fin.number), was counted as a keystroke ACK")
        #expect(!(pure + piggybacked).isEmpty, "no keystroke ACK counted at all")
        let claim = try #require(run.claims().first { $0.id == "acks" })
        #expect(claim.holds)
        #expect(!claim.evidence.contains("#\(teardownAck.number)"), "the acks claim names the teardown ACK: \(claim.evidence)")
    }
}

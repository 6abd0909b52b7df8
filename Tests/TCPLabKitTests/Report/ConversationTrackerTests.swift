import Testing
@testable import TCPLabKit

/// The tracker on the recorded IPv4 fixture conversation (client 32854, server 7777): who sent
/// each segment, the flags, the relative numbers and what the segment means.
@Suite struct ConversationTrackerTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var who: String
        var flags: String
        var sequence: String
        var ack: UInt32?
        var annotation: String
        var testDescription: String { "\(who) [\(flags)] \(sequence) \(annotation)" }
    }

    static let expected: [Expected] = [
        Expected(who: "C > S", flags: "S", sequence: "0", ack: nil, annotation: "SYN"),
        Expected(who: "S > C", flags: "S.", sequence: "0", ack: 1, annotation: "SYN-ACK"),
        Expected(who: "C > S", flags: ".", sequence: "1", ack: 1, annotation: "handshake done"),
        Expected(who: "C > S", flags: "P.", sequence: "1:5", ack: 1, annotation: ""),
        Expected(who: "S > C", flags: "P.", sequence: "1:5", ack: 5, annotation: ""),
        Expected(who: "S > C", flags: "F.", sequence: "5", ack: 5, annotation: "FIN: server closes its side"),
        // The RST answers "hehe" (not in the fixtures); seq 6 is one past the server's FIN.
        Expected(who: "S > C", flags: "R", sequence: "6", ack: nil,
                 annotation: "RST: data for a socket nobody holds (server had closed)"),
    ]

    @Test(arguments: zip(1...7, expected))
    func rowOfRecordedConversation(number: Int, expected: Expected) throws {
        let rows = describeAll(try capturedSegments(recordedConversation))
        let row = rows[number - 1]
        #expect(row.number == number)
        #expect(row.connection == 1)
        #expect(row.who == expected.who)
        #expect(row.flags == expected.flags)
        #expect(row.sequenceText == expected.sequence)
        #expect(row.acknowledgment == expected.ack)
        #expect(row.annotation == expected.annotation)
    }

    @Test func endpointsTimesAndPayloads() throws {
        let rows = describeAll(try capturedSegments(recordedConversation, spacing: 1_500))
        #expect(rows[0].source == "127.0.0.1:32854")
        #expect(rows[0].destination == "127.0.0.1:7777")
        #expect(rows[0].direction == .clientToServer)
        #expect(rows.map(\.milliseconds) == [0, 1.5, 3, 4.5, 6, 7.5, 9])
        #expect(rows[3].payloadPreview == "\"haha\"")
        #expect(rows[3].length == 4)
        #expect(rows[4].payloadPreview == "\"HAHA\"")
        #expect(rows[2].payloadPreview == nil)
        #expect(rows[6].window == 0)
    }

    @Test func everySegmentListsItsOptionsWithItsPaddingCounted() throws {
        let rows = describeAll(try capturedSegments(recordedConversation))
        #expect(rows[0].options == ["mss 65495", "sackOK", "TS val 1320722789 ecr 0", "nop", "wscale 10"])
        #expect(rows[1].options == ["mss 65495", "sackOK", "TS val 1797274769 ecr 1320722789", "nop", "wscale 10"])
        // The data segments carry a timestamp option too (nop, nop, TS: the two nops as one entry).
        #expect(rows[3].options == ["nop x2", "TS val 1320722990 ecr 1797274769"])
    }

    @Test func absoluteShowsRawSequenceNumbers() throws {
        let rows = describeAll(try capturedSegments(recordedConversation), absolute: true)
        #expect(rows[0].sequenceText == "1104698723")
        #expect(rows[1].sequenceText == "449087667")
        #expect(rows[1].acknowledgment == 1_104_698_724)
        #expect(rows[3].sequenceText == "1104698724:1104698728")
        #expect(rows[3].sequence == 1_104_698_724)
        #expect(rows[6].sequenceText == "449087673")
        // Annotations do not depend on the numbering.
        #expect(rows[2].annotation == "handshake done")
    }
}

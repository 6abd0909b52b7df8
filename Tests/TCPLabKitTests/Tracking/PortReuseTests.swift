import Testing
@testable import TCPLabKit

/// A SYN on a 4-tuple used before starts a new connection when its sequence number differs from
/// the base its sender has there (Wireshark's `dissect_tcp`): `[TCP Port numbers reused]`,
/// numbered from its own ISN. The same sequence number is a retransmission of the same SYN.
@Suite struct PortReuseTests {
    /// The shared case: two connections on 127.0.0.1:40000 > :5003, the second after TIME_WAIT.
    @Test func secondConnectionAfterTimeWaitIsNew() throws {
        let decoded = try trackingDecoding("port-reuse-new-connection")
        #expect(decoded.rows.map(\.connection) == Array(repeating: 1, count: 10) + Array(repeating: 2, count: 10))
        let syn = decoded.rows[10]
        #expect(syn.flags == "S")
        #expect(syn.analysis == [TCPAnalysisFlag.portNumbersReused])
        #expect(syn.annotation == "[TCP Port numbers reused] SYN")
        #expect(syn.sequenceText == "0", "numbered from its own ISN")
        #expect(decoded.rows[11].sequenceText == "0" && decoded.rows[11].acknowledgment == 1, "the SYN-ACK too")
        #expect(decoded.rows.allSatisfy { !$0.analysis.contains(.previousSegmentNotCaptured) })
        #expect(decoded.rows.filter { $0.analysis.contains(TCPAnalysisFlag.portNumbersReused) }.count == 1)
        #expect(decoded.summary == "20 frames: 20 TCP segments in 2 connections")
    }

    @Test func reuseAfterAResetThenItsSYNRetransmitted() throws {
        let rows = try trackingDecoding("port-reuse-after-rst").rows
        #expect(rows.map(\.connection) == [1, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(rows[5].analysis == [TCPAnalysisFlag.portNumbersReused])
        // Same ISN again: the same connection's SYN, retransmitted, not a third connection.
        #expect(rows[6].analysis == [.retransmission])
        #expect(rows[8].annotation == "handshake done")
    }

    @Test func absoluteNumbersStayTheSYNsOwn() throws {
        let rows = try trackingDecoding("port-reuse-after-rst", absolute: true).rows
        #expect(rows[5].sequence == 90000)
        #expect(rows[7].acknowledgment == 90001)
    }

    /// The rule alone, on the fixture connection: only a SYN without ACK, with a base known for
    /// its sender, and a different sequence number, starts a new connection.
    @Test func theRule() throws {
        let syn = try decodeSegment(IPv4Fixtures.syn)
        let synAck = try decodeSegment(IPv4Fixtures.synAck)
        let client = Endpoint(address: syn.source, port: syn.sourcePort)
        let server = Endpoint(address: syn.destination, port: syn.destinationPort)
        var connection = Connection(index: 1, firstSource: client, firstDestination: server, segment: syn, origin: .foreign)
        _ = connection.describe(syn, number: 1, source: client, time: 0, milliseconds: 0, absolute: false)
        #expect(!ConversationTracker.startsNewConnection(syn, after: connection, from: client), "same ISN: a retransmission")
        var other = syn
        other.sequenceNumber &+= 1_000_000
        #expect(ConversationTracker.startsNewConnection(other, after: connection, from: client))
        var otherSynAck = synAck
        otherSynAck.sequenceNumber &+= 1_000_000
        #expect(!ConversationTracker.startsNewConnection(otherSynAck, after: connection, from: server), "a SYN-ACK never starts one")
        #expect(!ConversationTracker.startsNewConnection(other, after: connection, from: server), "no base known yet for that sender")
    }
}

import Testing
@testable import TCPLabKit

/// Only a plain SYN or SYN-ACK (SYN set, FIN and RST not) says which side is the client: a
/// segment with SYN among odd flags (`FSRP.UEW`, SYN+FIN+RST) is named for what it is, and the
/// roles come from the ports as for a capture without a handshake.
@Suite struct OddFlagRolesTests {
    private func describe(_ frames: [[UInt8]]) throws -> [SegmentRow] {
        var tracker = ConversationTracker(origin: .foreign)
        return try capturedSegments(frames).map { tracker.describe($0) }
    }

    /// `10.0.0.1.40002 > 10.0.0.2.82: Flags [FSRP.UEW]` (tcpdump): SYN+ACK among every flag does
    /// not make its sender the server; the ephemeral-looking port 40002 is the client.
    @Test func everyFlagSetIsNotASYNACK() throws {
        let decoding = try trackingDecoding("odd-flags")
        let row = decoding.rows[1]
        #expect(row.flags == "FSRP.UEW")
        #expect(row.source == "10.0.0.1:40002")
        #expect(row.direction == .clientToServer)
        #expect(row.annotation.hasPrefix("SYN+FIN+RST: invalid combination"))
        let text = DecodeTextView.text(decoding.rows, absolute: false)
        #expect(text.contains("      connection 2: C2 = 10.0.0.1:40002, S = 10.0.0.2:82\n   2  0.100      C2 > S  FSRP.UEW"))
    }

    /// The recorded SYN-ACK (7777 → 32854) with its flags byte set to SYN+FIN+RST (0x007, no
    /// ACK): a plain SYN would make port 7777 the client; this one leaves the roles to the ports.
    @Test func synFinRstFromTheLowPortIsNotTheClient() throws {
        let odd = IPv4Fixtures.synAck.replacing(at: 47, with: [0x07])
        let row = try #require(try describe([odd]).first)
        #expect(row.flags == "FSR")
        #expect(row.direction == .serverToClient, "127.0.0.1:32854 is the client: \(row.who)")
        #expect(row.annotation.hasPrefix("SYN+FIN+RST: invalid combination"))
    }

    /// The same bytes as a plain SYN-ACK and a plain SYN keep naming the roles.
    @Test func plainSYNAndSYNACKStillName() throws {
        #expect(try describe([IPv4Fixtures.synAck]).first?.direction == .serverToClient)
        let synFromLowPort = IPv4Fixtures.synAck.replacing(at: 47, with: [0x02])
        #expect(try describe([synFromLowPort]).first?.direction == .clientToServer)
        // ECN setup (SYN+ECE+CWR, RFC 3168 §6.1.1) is still a plain SYN.
        let ecnSYN = IPv4Fixtures.synAck.replacing(at: 47, with: [0xc2])
        #expect(try describe([ecnSYN]).first?.direction == .clientToServer)
    }
}

import Testing
@testable import TCPLabKit

/// `tcplab decode --ladder` draws the segments in capture (file) order, as the table lists
/// them, even when the capture's clock goes backwards: each arrow is followed by the state
/// changes it caused, so the state marks read in order.
@Suite struct LadderCaptureOrderTests {
    /// The shared case: the SYN-ACK (#2) is stamped one second before the SYN (#1).
    @Test func timeGoingBackwardsKeepsTheFileOrder() throws {
        let rows = try trackingDecoding("time-backwards-shown-as-zero").rows
        let ladder = Ladder(rows: rows)
        #expect(ladder.arrows.map(\.number) == [1, 2])
        #expect(ladder.arrows.map(\.milliseconds) == [0, -1000], "the delta the table shows")
        let lines = LadderText(ladder, style: .ascii).lines(ladder)
        let syn = try #require(lines.firstIndex { $0.hasPrefix("   1 ") })
        let synAck = try #require(lines.firstIndex { $0.hasPrefix("   2 ") })
        #expect(syn < synAck)
        #expect(lines[syn + 1].contains("CLOSED -> SYN_SENT"), "the SYN's own change under it:\n\(lines.joined(separator: "\n"))")
        #expect(lines[synAck + 1].contains("SYN_SENT -> ESTABLISHED"))
    }

    /// Back and forward: #2 is 1.5 s before #1, #3 after both; still 1, 2, 3.
    @Test func backAndForward() throws {
        let ladder = Ladder(rows: try trackingDecoding("time-backwards").rows)
        #expect(ladder.arrows.map(\.number) == [1, 2, 3])
    }
}

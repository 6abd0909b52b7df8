import Testing
@testable import TCPLabKit

/// Wireshark-style analysis labels, each checked on recorded segments (captures/analysis-*.pcap,
/// made by captures/analysis.py in a private namespace).
@Suite struct SegmentAnalysisTests {
    /// The labels of row `number` (1-based frame number) of a golden capture.
    private func labels(_ rows: [SegmentRow], _ number: Int) -> [String] {
        rows.first { $0.number == number }?.analysis.map(\.text) ?? ["no row \(number)"]
    }

    @Test func keepAliveProbesAndTheirACKs() throws {
        let rows = try goldenRows("analysis-keepalive")
        // #6 and #8: seq 5 = next expected (6) - 1, no data: the kernel's keep-alive probe.
        #expect(labels(rows, 6) == ["TCP Keep-Alive"])
        #expect(labels(rows, 7) == ["TCP Keep-Alive ACK"])
        #expect(labels(rows, 8) == ["TCP Keep-Alive"])
        #expect(labels(rows, 9) == ["TCP Keep-Alive ACK"])
        // Nothing else in an ordinary exchange is flagged.
        #expect(rows.filter { !$0.analysis.isEmpty }.map(\.number) == [6, 7, 8, 9])
        #expect(rows[5].annotation.hasPrefix("[TCP Keep-Alive]"))
    }

    @Test func zeroWindowProbesRetransmissionAndWindowUpdate() throws {
        let rows = try goldenRows("analysis-zero-window")
        // #8 resends 2897:4345, already sent as #7: the receiver's 4 KiB buffer had no room.
        #expect(rows[6].sequenceText == "2897:4345" && rows[7].sequenceText == "2897:4345")
        #expect(labels(rows, 8) == ["TCP Retransmission"])
        #expect(labels(rows, 9) == ["TCP ZeroWindow"])
        #expect(labels(rows, 10) == ["TCP Keep-Alive"])
        // #11 answers the probe with the window still 0: Wireshark flags a Keep-Alive ACK only with a
        // non-zero window, so the answer is only a zero window.
        #expect(labels(rows, 11) == ["TCP ZeroWindow"])
        // #13: same ACK, window reopened from 0 to 2896 once the server read.
        #expect(labels(rows, 13) == ["TCP Window Update"])
        #expect(rows.first { $0.number == 13 }?.window == 2896)
    }

    @Test func droppedSYNsAreRetransmitted() throws {
        let rows = try goldenRows("analysis-syn-retransmission")
        let retransmitted = rows.filter { $0.analysis == [.retransmission] }
        #expect(retransmitted.count == 4)
        #expect(retransmitted.allSatisfy { $0.flags == "S" && $0.sequence == 0 })
        // The first two clients fit in listen(1)'s queue (backlog + 1): their SYNs are answered once.
        #expect(rows.filter { $0.flags == "S." }.count == 2)
    }

    /// A capture that lost a frame: the same recorded frames with #6 ("1449:2897") left out.
    @Test func gapIsPreviousSegmentNotCaptured() throws {
        var capture = try goldenCapture("analysis-zero-window")
        capture.frames.remove(at: 5)
        let rows = CaptureDecoding(capture, absolute: false).rows
        let next = try #require(rows.first { $0.sequenceText == "2897:4345" })
        #expect(next.analysis == [.previousSegmentNotCaptured])
    }

    /// The same recorded ACK twice, with no data in between: a duplicate ACK, counted.
    @Test func repeatedACKIsDuplicate() throws {
        let capture = try goldenCapture("analysis-keepalive")
        var tracker = ConversationTracker()
        // #5 is the server's ACK of "hello"; #1…#5 set up the connection state.
        let frames = Array(capture.frames[0..<5]) + [capture.frames[4], capture.frames[4]]
        let rows = try frames.enumerated().map { index, frame in
            guard case .tcp(let segment) = try PacketDecoder.decode(frame.bytes, linkType: capture.linkType) else {
                throw Unseen("frame \(index + 1) is not TCP")
            }
            return tracker.describe(CapturedSegment(number: index + 1, time: frame.time, segment: segment))
        }
        #expect(rows[5].analysis == [.duplicateAck(frame: 5, count: 1)])
        #expect(rows[6].analysis == [.duplicateAck(frame: 5, count: 2)])
    }

    @Test func serialNumberOrderWrapsAround() {
        #expect(SegmentAnalysis.isAfter(5, 0xFFFF_FFF0))
        #expect(!SegmentAnalysis.isAfter(0xFFFF_FFF0, 5))
        #expect(!SegmentAnalysis.isAfter(7, 7))
    }
}

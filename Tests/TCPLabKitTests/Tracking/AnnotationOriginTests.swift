import Testing
@testable import TCPLabKit

/// In a tcplab run the roles are the lab's own and both ends are Linux kernels, so an annotation
/// may say who did what; in a capture from elsewhere it says what the segment is. Odd flag
/// combinations and data on an RST are named either way.
@Suite struct AnnotationOriginTests {
    private func describe(_ frames: [[UInt8]], origin: CaptureOrigin) throws -> [SegmentRow] {
        var tracker = ConversationTracker(origin: origin)
        return try capturedSegments(frames).map { tracker.describe($0) }
    }

    @Test func labRunNamesTheRolesAndKernels() throws {
        let rows = try describe(recordedConversation, origin: .labRun)
        #expect(rows[5].annotation == "FIN: server closes its side")
        #expect(rows[6].annotation == "RST: data for a socket nobody holds (server had closed)")
    }

    @Test func foreignCaptureSaysWhatTheSegmentIs() throws {
        let rows = try describe(recordedConversation, origin: .foreign)
        #expect(rows[5].annotation == "FIN: no more data from the sender")
        #expect(rows[6].annotation == "RST after the sender's FIN: the peer's data found no reader")
        #expect(rows.allSatisfy { !$0.annotation.contains("kernel") && !$0.annotation.contains("server") })
    }

    @Test func decodeOfAFileIsForeign() throws {
        let rows = try goldenRows("analysis-syn-retransmission")
        #expect(rows.last?.annotation == "RST: connection reset")
        let refused = try #require(try goldenRows("mixed-udp-tcp").last)
        #expect(refused.annotation == "RST-ACK answering the SYN: connection refused")
    }

    @Test func labRunKeepsItsWording() throws {
        var printer = TimelinePrinter(absolute: false, write: { _ in })
        var observation = Observation()
        observation.segments = try capturedSegments(recordedConversation)
        printer.flush(observation)
        #expect(printer.rows[6].annotation == "RST: data for a socket nobody holds (server had closed)")
    }

    @Test func oddFlagsAreNamed() throws {
        let rows = try trackingDecoding("odd-flags").rows
        #expect(rows.map(\.flags) == ["FS", "FSRP.UEW", "none", "FPU", "SR", "R."])
        #expect(rows[0].annotation.hasPrefix("SYN+FIN: invalid combination"))
        #expect(rows[1].annotation.hasSuffix("SYN+FIN+RST: invalid combination (RFC 9293 §3.10.7 checks RST first: a receiver acts on the RST alone)"))
        #expect(rows[2].annotation.hasPrefix("no flags set: invalid"))
        #expect(rows[3].annotation.hasPrefix("no ACK on a segment that is not a SYN or RST: invalid"))
        #expect(rows[4].annotation.hasPrefix("SYN+RST: invalid combination"))
        #expect(rows[5].annotation == "RST carrying 58 bytes of data (RFC 9293 §3.5.3 diagnostic payload)")
    }

    @Test(arguments: [CaptureOrigin.labRun, .foreign])
    func oddFlagsAreNamedInBothOrigins(origin: CaptureOrigin) throws {
        let decoded = try trackingDecoding("odd-flags")
        let frames = try PcapFile.read(path: trackingDirectory.appendingPathComponent("odd-flags.pcap").path).frames
        var tracker = ConversationTracker(origin: origin)
        let rows = try frames.enumerated().map { index, frame in
            tracker.describe(CapturedSegment(number: index + 1, time: frame.time, segment: try decodeSegment(frame.bytes)))
        }
        #expect(rows.map(\.annotation) == decoded.rows.map(\.annotation))
    }

    @Test func oddSegmentRules() {
        #expect(OddSegment.annotation([.syn, .fin], length: 0)?.hasPrefix("SYN+FIN") == true)
        #expect(OddSegment.annotation([.rst, .ack], length: 1) == "RST carrying 1 byte of data (RFC 9293 §3.5.3 diagnostic payload)")
        #expect(OddSegment.annotation([.rst, .ack], length: 0) == nil)
        #expect(OddSegment.annotation([.rst], length: 0) == nil)
        #expect(OddSegment.annotation([.syn], length: 0) == nil)
        #expect(OddSegment.annotation([.syn, .ack, .ece], length: 0) == nil)
        #expect(OddSegment.annotation([.psh, .ack], length: 4) == nil)
        #expect(OddSegment.annotation([.fin, .ack], length: 0) == nil)
        #expect(OddSegment.annotation([.ece], length: 0)?.hasPrefix("no ACK") == true)
    }
}

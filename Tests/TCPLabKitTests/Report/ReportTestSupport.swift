import Testing
@testable import TCPLabKit

/// Recorded frames as the capture hands them to the tracker: numbered from 1, `spacing`
/// microseconds apart from `start`.
func capturedSegments(
    _ frames: [[UInt8]], linkType: LinkType = .ethernet, start: Int64 = 1_700_000_000_000_000,
    spacing: Int64 = 1_000, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [CapturedSegment] {
    try frames.enumerated().map { index, frame in
        CapturedSegment(
            number: index + 1, time: start + Int64(index) * spacing,
            segment: try decodeSegment(frame, linkType, sourceLocation: sourceLocation))
    }
}

/// Runs `segments` through one tracker, in order.
func describeAll(_ segments: [CapturedSegment], absolute: Bool = false) -> [SegmentRow] {
    var tracker = ConversationTracker(absolute: absolute)
    return segments.map { tracker.describe($0) }
}

/// The recorded IPv4 connection in capture order (no pure ACK of haha and no ACK of the FIN
/// were kept in the fixtures; the golden captures have those).
let recordedConversation: [[UInt8]] = [
    IPv4Fixtures.syn, IPv4Fixtures.synAck, IPv4Fixtures.ack, IPv4Fixtures.dataHaha,
    IPv4Fixtures.dataHAHA, IPv4Fixtures.fin, IPv4Fixtures.rst,
]

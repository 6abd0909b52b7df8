/// Wireshark-style TCP analysis for one connection: flags a segment that is a retransmission,
/// a duplicate ACK, a zero window, a window update, a keep-alive, or that follows a gap (the
/// previous segment was not captured).
///
/// The rules follow Wireshark's `tcp_analyze_sequence_number` (packet-tcp.c), simplified: each
/// direction remembers the next sequence number it should send, its last ACK and window.
struct SegmentAnalysis: Sendable {
    private struct Direction: Sendable {
        var nextSequence: UInt32?
        var lastAck: UInt32?
        var lastWindow: UInt16?
        /// The segment number whose ACK the duplicates repeat, and how many duplicates so far.
        var ackFrame = 0
        var duplicates = 0
    }

    /// Per side of the connection (0 or 1, as `Connection` numbers them).
    private var directions = [Direction(), Direction()]
    /// The side whose newest segment was a keep-alive probe: the peer's next ACK answers it.
    private var keepAliveFrom: Int?

    /// The analysis labels for `segment`, sent by side `source`, numbered `number` in the capture.
    mutating func analyze(_ segment: TCPSegment, number: Int, side source: Int, length: Int) -> [String] {
        var state = directions[source]
        let answersKeepAlive = keepAliveFrom != nil && keepAliveFrom != source
        keepAliveFrom = nil
        defer { directions[source] = state }
        let flags = segment.flags
        let seq = segment.sequenceNumber
        let ack = segment.acknowledgmentNumber
        let control = flags.contains(.syn) || flags.contains(.fin) || flags.contains(.rst)
        let span = UInt32(length) &+ (flags.contains(.syn) ? 1 : 0) &+ (flags.contains(.fin) ? 1 : 0)
        var labels: [String] = []

        if segment.window == 0, !flags.contains(.rst), !flags.contains(.syn) { labels.append("TCP ZeroWindow") }

        var keepAlive = false
        if let next = state.nextSequence, !flags.contains(.rst) {
            keepAlive = length <= 1 && !control && seq == next &- 1
            if keepAlive {
                labels.append("TCP Keep-Alive")
                keepAliveFrom = source
            } else if Self.isAfter(seq, next) {
                labels.append("TCP Previous segment not captured")
            } else if span > 0, Self.isAfter(next, seq) {
                labels.append("TCP Retransmission")
            }
        }

        if flags.contains(.ack), length == 0, !control, !keepAlive,
           let lastAck = state.lastAck, let lastWindow = state.lastWindow, seq == state.nextSequence, ack == lastAck
        {
            if segment.window != 0, segment.window != lastWindow {
                labels.append("TCP Window Update")
            } else if answersKeepAlive {
                labels.append("TCP Keep-Alive ACK")
            } else if segment.window != 0 {
                state.duplicates += 1
                labels.append("TCP Dup ACK \(state.ackFrame)#\(state.duplicates)")
            }
        }

        if flags.contains(.ack), ack != state.lastAck {
            state.lastAck = ack
            state.ackFrame = number
            state.duplicates = 0
        }
        state.lastWindow = segment.window
        let end = seq &+ span
        if let next = state.nextSequence {
            if Self.isAfter(end, next) { state.nextSequence = end }
        } else {
            state.nextSequence = end
        }
        return labels
    }

    /// Sequence-number order with wrap-around (RFC 1982 serial arithmetic): is `a` after `b`?
    static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }
}

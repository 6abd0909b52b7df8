/// Wireshark's TCP sequence analysis for one connection: which `TCPAnalysisFlag`s a segment gets
/// (retransmission, fast retransmission, spurious retransmission, out-of-order, duplicate ACK,
/// zero window, window update, keep-alive, previous segment not captured …).
///
/// The rules are those of Wireshark's user's guide, "TCP Analysis" (section 7.5), in the order
/// and with the thresholds of `tcp_analyze_sequence_number` in epan/dissectors/packet-tcp.c. Each
/// direction remembers its next expected sequence number (and when it last grew), its last ACK
/// (and when it was sent), its window, its duplicate-ACK count and the flags of its newest segment.
///
/// Where tcplab differs, on purpose: a segment that starts before the next expected sequence
/// number but carries bytes beyond it (a sender repacking unacknowledged and new data into one
/// segment) advances the stream, so it is not flagged as a retransmission of any kind; Wireshark
/// compares only its first byte. Window Full and ACKed-unseen-segment are not flagged.
struct SegmentAnalysis: Sendable {
    /// Out-Of-Order's time limit when the handshake gave no initial RTT (Wireshark: 3 ms).
    static let defaultOutOfOrderMicroseconds: Int64 = 3_000
    /// Fast Retransmission's limit after the last duplicate ACK (Wireshark: 20 ms).
    static let fastRetransmissionMicroseconds: Int64 = 20_000

    private struct Direction: Sendable {
        /// The sequence number after the highest byte (SYN and FIN count one) sent so far.
        var nextSequence: UInt32?
        /// When `nextSequence` last grew (microseconds).
        var nextSequenceTime: Int64 = 0
        var lastAck: UInt32?
        /// When the newest segment with the ACK bit was sent (microseconds).
        var lastAckTime: Int64 = 0
        var lastWindow: UInt16?
        /// The segment number of the newest ACK that was not a repeat, and how many repeats since.
        var ackFrame = 0
        var duplicates = 0
        /// The flags the newest segment of this direction got (keep-alive, zero window probe).
        var lastFlags: [TCPAnalysisFlag] = []
    }

    /// Per side of the connection (0 or 1, as `Connection` numbers them).
    private var directions = SidePair(Direction(), Direction())
    /// When the newest SYN (without ACK) was sent (Wireshark's `ts_mru_syn`).
    private var synTime: Int64?
    /// The initial RTT: from the SYN to the ACK that completes the handshake (microseconds).
    private(set) var initialRTT: Int64?

    /// The analysis flags for `segment`, sent by side `source` at `time` (microseconds), numbered
    /// `number` in the capture, carrying `length` bytes of data.
    mutating func analyze(_ segment: TCPSegment, number: Int, side source: Int, length: Int, time: Int64) -> [TCPAnalysisFlag] {
        var forward = directions[source]
        let reverse = directions[1 - source]
        defer { directions[source] = forward }
        let flags = segment.flags
        let seq = segment.sequenceNumber
        let ack = segment.acknowledgmentNumber
        let window = segment.window
        let synOrFin = flags.contains(.syn) || flags.contains(.fin)
        let control = synOrFin || flags.contains(.rst)
        let end = seq &+ UInt32(length) &+ (flags.contains(.syn) ? 1 : 0) &+ (flags.contains(.fin) ? 1 : 0)
        noteHandshake(flags, time: time)
        var found: [TCPAnalysisFlag] = []

        // The checks of packet-tcp.c's first part, in its order; a zero window probe, a keep-alive
        // ACK and a zero window probe ACK skip the rest ("goto finished_fwd").
        checks: do {
            if length == 1, seq == forward.nextSequence, reverse.lastWindow == 0 {
                found.append(.zeroWindowProbe)
                break checks
            }
            if window == 0, !control { found.append(.zeroWindow) }
            if let next = forward.nextSequence, Self.isAfter(seq, next), !flags.contains(.rst) {
                found.append(.previousSegmentNotCaptured)
            }
            if length <= 1, !control, let next = forward.nextSequence, seq == next &- 1 {
                found.append(.keepAlive)
            }
            // The pure-ACK kinds: no data, no SYN/FIN/RST, at the next expected sequence number,
            // repeating the last ACK.
            guard length == 0, !control, forward.lastAck != nil, seq == forward.nextSequence, ack == forward.lastAck,
                  let lastWindow = forward.lastWindow
            else { break checks }
            if window != 0, window != lastWindow { found.append(.windowUpdate) }
            guard window == lastWindow else { break checks }
            if window != 0, reverse.lastFlags.contains(.keepAlive) {
                found.append(.keepAliveAck)
            } else if window == 0, reverse.lastFlags.contains(.zeroWindowProbe) {
                found.append(.zeroWindowProbeAck)
            } else if window != 0 {
                forward.duplicates += 1
                found.append(.duplicateAck(frame: forward.ackFrame, count: forward.duplicates))
            }
        }
        if flags.contains(.ack), ack != forward.lastAck {
            forward.ackFrame = number
            forward.duplicates = 0
        }

        if (length > 0 || synOrFin), !found.contains(.keepAlive),
           let kind = retransmissionKind(seq: seq, end: end, length: length, synOrFin: synOrFin, time: time, forward, reverse)
        {
            found.append(kind)
        }

        // Remember what this segment leaves behind: a zero window probe does not advance the stream.
        if forward.nextSequence.map({ Self.isAfter(end, $0) }) ?? true, !found.contains(.zeroWindowProbe) {
            forward.nextSequence = end
            forward.nextSequenceTime = time
        }
        forward.lastWindow = window
        if flags.contains(.ack) {
            forward.lastAck = ack
            forward.lastAckTime = time
        }
        forward.lastFlags = found
        return found
    }

    /// Spurious, fast, out-of-order or plain retransmission, in Wireshark's order; nil for a
    /// segment that advances the stream.
    private func retransmissionKind(
        seq: UInt32, end: UInt32, length: Int, synOrFin: Bool, time: Int64, _ forward: Direction, _ reverse: Direction
    ) -> TCPAnalysisFlag? {
        guard let next = forward.nextSequence else { return nil }
        // Not advanced: it starts before the next expected byte and brings nothing beyond it (see
        // the type's note); a segment of 2+ bytes starting one before it follows a zero window probe.
        var notAdvanced = Self.isAfter(next, seq) && !Self.isAfter(end, next)
        if length > 1, seq == next &- 1 { notAdvanced = false }
        if length > 0, let acked = reverse.lastAck, !Self.isAfter(seq &+ UInt32(length), acked) {
            return .spuriousRetransmission
        }
        guard notAdvanced else { return nil }
        if reverse.duplicates >= 2, reverse.lastAck == seq, time - reverse.lastAckTime < Self.fastRetransmissionMicroseconds {
            return .fastRetransmission
        }
        let threshold = initialRTT ?? Self.defaultOutOfOrderMicroseconds
        if time - forward.nextSequenceTime < threshold, next != end {
            return .outOfOrder
        }
        return .retransmission
    }

    /// Measures the initial RTT as Wireshark does (`ts_first_rtt`): from the newest SYN to the
    /// first segment with ACK and without SYN after it.
    private mutating func noteHandshake(_ flags: TCPFlags, time: Int64) {
        if flags.contains(.syn) {
            if !flags.contains(.ack) { synTime = time }
        } else if flags.contains(.ack), initialRTT == nil, let synTime {
            initialRTT = time - synTime
        }
    }

    /// Sequence-number order with wrap-around (RFC 1982 serial arithmetic): is `a` after `b`?
    static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }
}

/// Probes in a capture: segments a side sends with no data and the sequence number one below
/// its next one (snd_nxt − 1), a byte the peer has already acknowledged, so that the peer must
/// answer with an ACK that shows its current window (RFC 9293 §3.8.4 keep-alives, §3.8.6.1 zero-window probing).
///
/// Linux sends both its keepalive probes and its zero-window probes this way
/// (`tcp_xmit_probe_skb` with seq snd_una − 1). Wireshark labels either `[TCP Keep-Alive]`.
enum ProbeSegments {
    /// The probes among `segments` sent by the side `isSender` selects, in capture order.
    static func probes(in segments: [CapturedSegment], sentBy isSender: (TCPSegment) -> Bool) -> [CapturedSegment] {
        var next: UInt32?
        var probes: [CapturedSegment] = []
        for captured in segments where isSender(captured.segment) {
            let segment = captured.segment
            let control = segment.flags.contains(.syn) || segment.flags.contains(.fin) || segment.flags.contains(.rst)
            if let expected = next, !control, segment.ipPayloadLength == 0, segment.sequenceNumber == expected &- 1 {
                probes.append(captured)
                continue
            }
            let span = UInt32(segment.ipPayloadLength) &+ (segment.flags.contains(.syn) ? 1 : 0) &+ (segment.flags.contains(.fin) ? 1 : 0)
            let end = segment.sequenceNumber &+ span
            if next.map({ SegmentAnalysis.isAfter(end, $0) }) ?? true { next = end }
        }
        return probes
    }
}

/// A saved capture decoded for `tcplab decode`: the TCP segments as timeline rows, and a count
/// of the frames that were not TCP or could not be decoded.
public struct CaptureDecoding: Sendable {
    public var rows: [SegmentRow] = []
    public var frames = 0
    public var notTCP: [String: Int] = [:]
    public var undecodable: [String] = []

    public init(_ capture: PcapFile, absolute: Bool) {
        var tracker = ConversationTracker(absolute: absolute)
        for frame in capture.frames {
            frames += 1
            do {
                switch try PacketDecoder.decode(frame.bytes, linkType: capture.linkType) {
                case .tcp(let segment):
                    // Numbered by frame, as Wireshark's No. column counts every packet in the file.
                    rows.append(tracker.describe(CapturedSegment(number: frames, time: frame.time, segment: segment)))
                case .notTCP(let what):
                    notTCP[what, default: 0] += 1
                }
            } catch {
                undecodable.append("frame \(frames): \(error)")
            }
        }
    }

    /// `12 frames: 10 TCP segments in 1 connection, 2 not TCP (skipped: ARP 2)`.
    public var summary: String {
        let connections = Set(rows.map(\.connection)).count
        var text = "\(frames) frames: \(rows.count) TCP segments in \(connections) connection\(connections == 1 ? "" : "s")"
        let skipped = notTCP.values.reduce(0, +)
        if skipped > 0 {
            let kinds = notTCP.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            text += ", \(skipped) not TCP (skipped: \(kinds))"
        }
        if !undecodable.isEmpty { text += ", \(undecodable.count) undecodable (\(undecodable.prefix(3).joined(separator: "; ")))" }
        return text
    }
}

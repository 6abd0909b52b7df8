/// One of Wireshark's TCP "SEQ/ACK analysis" flags (`tcp.analysis.*`), as its packet list shows
/// it between brackets: `[TCP Retransmission]`, `[TCP Dup ACK 12#3]`.
///
/// The text (`text`, `description`, and the JSON form) is Wireshark's own wording, so a student
/// can look the flag up in the Wireshark user's guide ("TCP Analysis", section 7.5) and filter
/// on it there (`tcp.analysis.retransmission` …). `SegmentAnalysis` decides which flags a
/// segment gets.
public enum TCPAnalysisFlag: Sendable, Hashable, CustomStringConvertible {
    /// `tcp.analysis.retransmission`: data (or a SYN/FIN) that starts before the next expected
    /// sequence number and ends at or before it, and fits none of the more specific kinds.
    case retransmission
    /// `tcp.analysis.fast_retransmission`: a retransmission of the very byte the peer's 2 or more
    /// duplicate ACKs ask for, sent within 20 ms of the last of them.
    case fastRetransmission
    /// `tcp.analysis.spurious_retransmission`: data the peer had already acknowledged.
    case spuriousRetransmission
    /// `tcp.analysis.out_of_order`: an earlier byte range arriving within the initial RTT of the
    /// highest one (reordering rather than loss).
    case outOfOrder
    /// `tcp.analysis.duplicate_ack`: an ACK repeating the previous one (no data, same window),
    /// `frame` being the segment number of the original ACK and `count` how many repeats so far.
    case duplicateAck(frame: Int, count: Int)
    /// `tcp.analysis.lost_segment`: the segment starts after the next expected sequence number:
    /// bytes in between were never captured.
    case previousSegmentNotCaptured
    /// `tcp.analysis.zero_window`: the sender advertises a receive window of 0.
    case zeroWindow
    /// `tcp.analysis.zero_window_probe`: one byte at the next expected sequence number while the
    /// peer's window is 0.
    case zeroWindowProbe
    /// `tcp.analysis.zero_window_probe_ack`: the answer to a zero window probe, window still 0.
    case zeroWindowProbeAck
    /// `tcp.analysis.window_update`: a pure ACK whose only news is a different, non-zero window.
    case windowUpdate
    /// `tcp.analysis.keep_alive`: 0 or 1 byte at one less than the next expected sequence number.
    case keepAlive
    /// `tcp.analysis.keep_alive_ack`: the peer's answer to a keep-alive.
    case keepAliveAck
    /// `tcp.analysis.reused_ports`: a SYN on a 4-tuple already used, with a new initial sequence
    /// number: a new connection (numbered from its own ISN), not a retransmission.
    case portNumbersReused

    /// Wireshark's wording: `TCP Retransmission`, `TCP Dup ACK 5#2`, `TCP ZeroWindow`.
    public var text: String {
        switch self {
        case .retransmission: "TCP Retransmission"
        case .fastRetransmission: "TCP Fast Retransmission"
        case .spuriousRetransmission: "TCP Spurious Retransmission"
        case .outOfOrder: "TCP Out-Of-Order"
        case let .duplicateAck(frame, count): "TCP Dup ACK \(frame)#\(count)"
        case .previousSegmentNotCaptured: "TCP Previous segment not captured"
        case .zeroWindow: "TCP ZeroWindow"
        case .zeroWindowProbe: "TCP ZeroWindowProbe"
        case .zeroWindowProbeAck: "TCP ZeroWindowProbeAck"
        case .windowUpdate: "TCP Window Update"
        case .keepAlive: "TCP Keep-Alive"
        case .keepAliveAck: "TCP Keep-Alive ACK"
        case .portNumbersReused: "TCP Port numbers reused"
        }
    }

    public var description: String { text }

    /// Whether the flag says the segment carries bytes sent before (any of the four
    /// retransmission-family flags).
    public var isRetransmission: Bool {
        switch self {
        case .retransmission, .fastRetransmission, .spuriousRetransmission, .outOfOrder: true
        default: false
        }
    }

    /// Every flag without a parameter, for reading text back.
    private static let plain: [TCPAnalysisFlag] = [
        .retransmission, .fastRetransmission, .spuriousRetransmission, .outOfOrder, .previousSegmentNotCaptured,
        .zeroWindow, .zeroWindowProbe, .zeroWindowProbeAck, .windowUpdate, .keepAlive, .keepAliveAck,
        .portNumbersReused,
    ]

    /// Reads Wireshark's wording back (`TCP Dup ACK 5#2` included); nil for any other text.
    public init?(text: String) {
        if let flag = Self.plain.first(where: { $0.text == text }) {
            self = flag
            return
        }
        let prefix = "TCP Dup ACK "
        guard text.hasPrefix(prefix) else { return nil }
        let numbers = text.dropFirst(prefix.count).split(separator: "#", omittingEmptySubsequences: false)
        guard numbers.count == 2, let frame = Int(numbers[0]), let count = Int(numbers[1]) else { return nil }
        self = .duplicateAck(frame: frame, count: count)
    }
}

extension TCPAnalysisFlag: Codable {
    /// A flag is stored as its text, as `--json` has always written it (`"TCP Retransmission"`).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let flag = TCPAnalysisFlag(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a TCP analysis flag: \(text)"))
        }
        self = flag
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

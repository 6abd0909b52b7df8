/// One captured segment as the timeline prints it and as `--json` records it.
public struct SegmentRow: Sendable, Codable, Equatable {
    public enum Direction: String, Sendable, Codable { case clientToServer = "client > server", serverToClient = "server > client" }

    public var number: Int
    /// CLOCK_REALTIME microseconds.
    public var time: Int64
    /// Milliseconds since the first segment of the capture.
    public var milliseconds: Double
    /// Which connection (1, 2 …) in order of first appearance.
    public var connection: Int
    public var direction: Direction
    public var source: String
    public var destination: String
    /// tcpdump notation: `S`, `S.`, `.`, `P.`, `F.`, `R`, `R.`.
    public var flags: String
    public var sequence: UInt32
    public var acknowledgment: UInt32?
    public var length: Int
    public var window: UInt16
    /// The urgent pointer, only when URG is set, as tcpdump prints it after the window
    /// (`win 512, urg 1`); nil otherwise.
    public var urgentPointer: UInt16? = nil
    /// Decoded options in tcpdump's words, a run of N padding options as one entry (`nop`,
    /// `nop x2`, `eol`); SACK blocks relative to the peer's initial sequence number unless
    /// absolute; a list cut by the snapshot length ends in tcpdump's `[|tcp]` (`TS [|tcp]`,
    /// `sack 3 {1:2} [|tcp]`).
    public var options: [String]
    public var payloadPreview: String?
    /// What the segment means, when it means something: `SYN`, `handshake done`, `ACK = 1 + 4 bytes`.
    public var annotation: String
    /// `1:5` for data, `1` otherwise: relative or absolute as asked.
    public var sequenceText: String
    /// Wireshark's analysis flags (`TCP Retransmission`, `TCP Dup ACK 5#1`, `TCP ZeroWindow` …),
    /// written as Wireshark's text in `--json`.
    public var analysis: [TCPAnalysisFlag] = []
    /// The advertised window in bytes: `window` × 2^wscale of the sender, as the handshake agreed
    /// (`WindowScaling`); nil when the capture lacks the handshake and the scale is unknown.
    public var windowBytes: UInt32? = nil
    /// tcpdump's mark when the IP header's length runs past the frame: `truncated-ip - 156 bytes missing!`.
    public var truncated: String? = nil
    /// The bytes of the 20-byte fixed TCP header captured when the snapshot length cut it short
    /// (4 to 19); nil when all 20 were. Such a row has the ports only, as tcpdump prints them:
    /// no flags (`""`), sequence, ack, length or window (0), options `[|tcp]`.
    public var headerBytesCaptured: Int? = nil

    /// `C > S` (or `C2 > S` for a second connection).
    public var who: String {
        let client = connection > 1 ? "C\(connection)" : "C"
        return direction == .clientToServer ? "\(client) > S" : "S > \(client)"
    }
}

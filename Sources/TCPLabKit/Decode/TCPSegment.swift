/// One decoded TCP segment with its IP endpoints: what the timeline, claims and JSON use.
public struct TCPSegment: Sendable, Hashable, Codable {
    /// Sender's IP address.
    public var source: IPAddress
    /// Sender's TCP port.
    public var sourcePort: UInt16
    /// Receiver's IP address.
    public var destination: IPAddress
    /// Receiver's TCP port.
    public var destinationPort: UInt16
    /// Absolute sequence number from the header (tcpdump shows it relative unless `-S`).
    public var sequenceNumber: UInt32
    /// Absolute acknowledgment number from the header; meaningful only with `.ack` set.
    public var acknowledgmentNumber: UInt32
    /// The flag bits.
    public var flags: TCPFlags
    /// The raw window field, unscaled, exactly as tcpdump prints it after `win`.
    public var window: UInt16
    /// The urgent pointer field (RFC 9293 §3.1: the offset from `sequenceNumber` of the byte
    /// after the urgent data), as the header carries it; it means something only with `.urg`
    /// set, and tcpdump prints it (`urg 1`) only then.
    public var urgentPointer: UInt16 = 0
    /// The header options in the order they appear.
    public var options: [TCPOption]
    /// The payload bytes that were captured (fewer than `ipPayloadLength` if the snaplen cut them).
    public var payload: [UInt8]
    /// The TCP payload length the IP header declares (total length minus IP and TCP headers):
    /// what tcpdump prints as `length`, even when the capture kept fewer bytes.
    public var ipPayloadLength: Int
    /// IPv4 TTL or IPv6 hop limit.
    public var hopLimit: UInt8
    /// How many bytes the IP header's length runs past the frame as it was on the wire (not as
    /// the snapshot length cut it); nil when none. tcpdump says `truncated-ip - N bytes missing!`.
    public var ipBytesMissing: Int?
    /// The bytes of the 20-byte fixed TCP header the capture holds when the snapshot length cut
    /// it short (4 to 19); nil when it holds all 20. Only the ports of such a segment are read,
    /// as tcpdump prints only them (`192.0.2.1.40000 > 198.51.100.2.80:  [|tcp]`): its other
    /// fields are 0, its payload length unknown (0) and its options `[.cut(kind: nil)]`.
    public var fixedHeaderCaptured: Int?

    /// Number of payload bytes captured.
    public var payloadLength: Int { payload.count }

    /// tcpdump's mark for an IP length past the frame: `truncated-ip - 156 bytes missing!`
    /// (`truncated-ip6 - …` for IPv6); nil when the lengths agree.
    public var ipTruncationText: String? {
        guard let missing = ipBytesMissing else { return nil }
        return "truncated-ip\(source.isIPv6 ? "6" : "") - \(missing) bytes missing!"
    }

    /// The snapshot length cut the TCP header, in its options or before them (tcpdump's
    /// `[|tcp]`): the options list ends in `.cut` or `.sackCut`.
    public var headerCut: Bool {
        switch options.last {
        case .cut?, .sackCut?: return true
        default: return false
        }
    }

    /// Builds a segment field by field, for tests and for code that synthesises segments.
    /// `ipPayloadLength` defaults to `payload.count` (nothing cut by the snaplen); `hopLimit` to 64.
    public init(
        source: IPAddress, sourcePort: UInt16,
        destination: IPAddress, destinationPort: UInt16,
        sequenceNumber: UInt32, acknowledgmentNumber: UInt32,
        flags: TCPFlags, window: UInt16,
        options: [TCPOption] = [], payload: [UInt8] = [],
        ipPayloadLength: Int? = nil, hopLimit: UInt8 = 64
    ) {
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags
        self.window = window
        self.options = options
        self.payload = payload
        self.ipPayloadLength = ipPayloadLength ?? payload.count
        self.hopLimit = hopLimit
    }
}

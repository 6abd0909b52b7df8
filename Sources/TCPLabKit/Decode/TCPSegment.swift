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
    /// The header options in the order they appear.
    public var options: [TCPOption]
    /// The payload bytes that were captured (fewer than `ipPayloadLength` if the snaplen cut them).
    public var payload: [UInt8]
    /// The TCP payload length the IP header declares (total length minus IP and TCP headers):
    /// what tcpdump prints as `length`, even when the capture kept fewer bytes.
    public var ipPayloadLength: Int
    /// IPv4 TTL or IPv6 hop limit.
    public var hopLimit: UInt8

    /// Number of payload bytes captured.
    public var payloadLength: Int { payload.count }

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

/// One link-layer frame as libpcap delivered it, copied out of libpcap's buffer.
public struct CapturedFrame: Sendable {
    /// CLOCK_REALTIME microseconds (the pcap header's timestamp).
    public var time: Int64
    /// The captured bytes (at most the snapshot length).
    public var bytes: [UInt8]
    /// The frame's length on the wire, which may exceed `bytes.count`.
    public var originalLength: Int
}

/// One link-layer frame as libpcap delivered it, copied out of libpcap's buffer.
public struct CapturedFrame: Sendable {
    /// CLOCK_REALTIME microseconds (the pcap header's timestamp).
    public var time: Int64
    /// The captured bytes (at most the snapshot length).
    public var bytes: [UInt8]
    /// The frame's length on the wire, which may exceed `bytes.count`.
    public var originalLength: Int
    /// The LINKTYPE_ of this frame's interface when it is not the capture's `linkType` (a pcapng
    /// file whose interfaces differ); nil otherwise.
    public var dataLinkType: Int32?

    /// A frame of the capture's own link type unless `dataLinkType` says otherwise.
    public init(time: Int64, bytes: [UInt8], originalLength: Int, dataLinkType: Int32? = nil) {
        self.time = time
        self.bytes = bytes
        self.originalLength = originalLength
        self.dataLinkType = dataLinkType
    }
}

/// The window scaling a connection's handshake agreed (RFC 7323 §2): each side's SYN may carry a
/// `wscale` option, a shift count (at most 14); only when BOTH SYNs carry one is scaling in
/// effect, and then every later window field a side sends counts units of 2^shift bytes, its own
/// announced shift. The window field of a SYN itself is never scaled. Wireshark calls the result
/// "Calculated window size"; tcpdump prints only the raw field (`win 64`).
public struct WindowScaling: Sendable, Equatable {
    /// The shift the SYN's sender announced (`wscale 7`), capped at 14 as RFC 7323 §2.3 says;
    /// nil when the segment carries no wscale option.
    public static func announcedShift(in segment: TCPSegment) -> UInt8? {
        for option in segment.options {
            if case .windowScale(let shift) = option { return min(shift, 14) }
        }
        return nil
    }

    /// The shift applied to the windows of the connection's first SYN sender and of its peer.
    public var initiatorShift: UInt8
    public var responderShift: UInt8

    /// The scaling agreed by `syn` (the initiator's) and `synAck` (the responder's).
    public init(syn: TCPSegment, synAck: TCPSegment) {
        let mine = Self.announcedShift(in: syn), theirs = Self.announcedShift(in: synAck)
        let agreed = mine != nil && theirs != nil
        initiatorShift = agreed ? mine! : 0
        responderShift = agreed ? theirs! : 0
    }

    /// The scaling agreed by SYNs that announced these shifts (nil: no `wscale` option); shifts
    /// above 14 are taken as 14, as `announcedShift(in:)` gives them.
    public init(initiatorShift mine: UInt8?, responderShift theirs: UInt8?) {
        let agreed = mine != nil && theirs != nil
        initiatorShift = agreed ? min(mine!, 14) : 0
        responderShift = agreed ? min(theirs!, 14) : 0
    }

    /// The window `segment` advertises, in bytes: its raw field shifted by its sender's shift
    /// (`fromInitiator`), or unshifted for a SYN.
    public func bytes(_ segment: TCPSegment, fromInitiator: Bool) -> UInt32 {
        if segment.flags.contains(.syn) { return UInt32(segment.window) }
        return UInt32(segment.window) << UInt32(fromInitiator ? initiatorShift : responderShift)
    }
}

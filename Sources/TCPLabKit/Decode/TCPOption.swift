/// One SACK block (RFC 2018): the receiver holds bytes `left..<right` of the sender's stream.
public struct SACKBlock: Sendable, Hashable, Codable {
    /// First sequence number of the block.
    public var left: UInt32
    /// Sequence number just past the block.
    public var right: UInt32

    /// A block covering `left..<right`.
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }
}

/// One option from a TCP header, decoded.
///
/// A known kind whose length does not match its definition (an MSS option of length 3, a SACK
/// option whose data is not a multiple of 8) is kept as `.unknown` with its raw data rather than
/// guessed at.
public enum TCPOption: Sendable, Hashable, Codable {
    /// Kind 0: end of the option list; the rest of the header is padding.
    case endOfOptions
    /// Kind 1: a one-byte filler, used to align the next option.
    case noOperation
    /// Kind 2: the largest segment the sender wants to receive (SYN only).
    case maximumSegmentSize(UInt16)
    /// Kind 3: the shift the sender will apply to its advertised window (SYN only, RFC 7323).
    case windowScale(UInt8)
    /// Kind 4: the sender can take SACK options (SYN only).
    case sackPermitted
    /// Kind 5: selective acknowledgment blocks.
    case sack([SACKBlock])
    /// Kind 8: timestamps (RFC 7323): the sender's clock and the last one it saw from its peer.
    case timestamp(value: UInt32, echo: UInt32)
    /// Any other kind, or a known kind with a malformed length, with the data after kind and length.
    case unknown(kind: UInt8, data: [UInt8])

    /// The option as tcpdump prints it inside `options [...]`: "mss 65495", "sackOK",
    /// "TS val 123 ecr 0", "wscale 7", "nop", "eol", "sack 1 {100:200}", "unknown-30 0x0102".
    ///
    /// SACK blocks are the absolute sequence numbers in the header (tcpdump's `-S` output); an
    /// unknown option with no data is just "unknown-K".
    public var tcpdumpText: String {
        switch self {
        case .endOfOptions: return "eol"
        case .noOperation: return "nop"
        case let .maximumSegmentSize(mss): return "mss \(mss)"
        case let .windowScale(shift): return "wscale \(shift)"
        case .sackPermitted: return "sackOK"
        case let .sack(blocks):
            return "sack \(blocks.count) " + blocks.map { "{\($0.left):\($0.right)}" }.joined()
        case let .timestamp(value, echo): return "TS val \(value) ecr \(echo)"
        case let .unknown(kind, data):
            guard !data.isEmpty else { return "unknown-\(kind)" }
            return "unknown-\(kind) 0x" + data.map(Self.hexByte).joined()
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return byte < 0x10 ? "0" + digits : digits
    }
}

import Testing
@testable import TCPLabKit

/// Decodes `frame` and requires it to be a TCP segment.
func decodeSegment(
    _ frame: [UInt8], _ linkType: LinkType = .ethernet,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> TCPSegment {
    let packet = try PacketDecoder.decode(frame, linkType: linkType)
    return try #require(packet.segment, "expected TCP, got \(packet)", sourceLocation: sourceLocation)
}

/// The outcome of decoding, as a value tests can switch over.
func decodeResult(_ frame: [UInt8], _ linkType: LinkType = .ethernet) -> Result<DecodedPacket, DecodeError> {
    Result { () throws(DecodeError) in try PacketDecoder.decode(frame, linkType: linkType) }
}

/// The options as tcpdump joins them inside `options [...]`.
func tcpdumpOptions(_ segment: TCPSegment) -> String {
    segment.options.map(\.tcpdumpText).joined(separator: ",")
}

/// Edits to recorded frames, for cases a loopback capture cannot produce (VLAN tags, fragments,
/// extension headers, broken lengths). Each test says which bytes it changed and why.
extension Array where Element == UInt8 {
    /// A copy with the bytes at `offset` overwritten.
    func replacing(at offset: Int, with bytes: [UInt8]) -> [UInt8] {
        var copy = self
        copy.replaceSubrange(offset..<offset + bytes.count, with: bytes)
        return copy
    }

    /// A copy with `bytes` inserted before `offset`.
    func inserting(_ bytes: [UInt8], at offset: Int) -> [UInt8] {
        var copy = self
        copy.insert(contentsOf: bytes, at: offset)
        return copy
    }
}

/// A small deterministic generator (SplitMix64), so fuzz tests fail the same way every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

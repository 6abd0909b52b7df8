/// A segment's TCP options as `DescribedSegment` keeps them for writing. A list of the kinds
/// nearly every segment carries (padding, MSS, window scale, SACK permitted, timestamps: Linux
/// sends `nop, nop, TS` on every segment and `mss, sackOK, TS, nop, wscale` on a SYN), each
/// valued kind at most once, is kept inline in a few dozen bytes, with no heap storage to count
/// or free; any other list stays the array it was decoded into. Either way it reads back as the
/// same `TCPOption`s, in order.
struct OptionList: Sendable {
    /// Kinds kept inline at most: a 40-byte option area holds more only as padding runs.
    private static let inlineCapacity = 16

    /// The inline list's option kinds (RFC 9293 kind numbers: 0, 1, 2, 3, 4, 8), in order.
    private var kinds: InlineArray<16, UInt8> = .init(repeating: 0)
    private var inlineCount: UInt8 = 0
    /// The values of the inline list's valued options (each kind appears at most once).
    private var maximumSegmentSize: UInt16 = 0
    private var windowShift: UInt8 = 0
    private var timestamp: (value: UInt32, echo: UInt32) = (0, 0)
    /// The list as decoded when it cannot be kept inline; nil otherwise.
    private var other: [TCPOption]?

    init(_ options: [TCPOption]) {
        guard options.count <= Self.inlineCapacity, keepInline(options) else {
            other = options
            inlineCount = 0
            return
        }
    }

    /// Keeps `options` inline; false (part kept) when one is of another kind or a repeat of a valued one.
    private mutating func keepInline(_ options: [TCPOption]) -> Bool {
        // A bit per valued kind already kept (kinds are below 16).
        var seen: UInt16 = 0
        for option in options {
            let kind: UInt8
            switch option {
            case .endOfOptions: kind = 0
            case .noOperation: kind = 1
            case .maximumSegmentSize(let size): kind = 2; maximumSegmentSize = size
            case .windowScale(let shift): kind = 3; windowShift = shift
            case .sackPermitted: kind = 4
            case .timestamp(let value, let echo): kind = 8; timestamp = (value, echo)
            default: return false
            }
            if kind > 1 {
                guard seen & (1 << kind) == 0 else { return false }
                seen |= 1 << kind
            }
            kinds[Int(inlineCount)] = kind
            inlineCount += 1
        }
        return true
    }

    var count: Int { other?.count ?? Int(inlineCount) }

    /// Option `index`, `index` below `count`.
    subscript(index: Int) -> TCPOption {
        if let other { return other[index] }
        switch kinds[index] {
        case 0: return .endOfOptions
        case 1: return .noOperation
        case 2: return .maximumSegmentSize(maximumSegmentSize)
        case 3: return .windowScale(windowShift)
        case 4: return .sackPermitted
        default: return .timestamp(value: timestamp.value, echo: timestamp.echo)
        }
    }
}

/// Drop rules a run loaded into the input hook of its namespace (`NftRuleset`), and from when
/// they were in force. The observation keeps them (`Observation.inputDrops`, `inputDrops` in
/// `--json`) so that what is inferred from the capture knows which captured segments never
/// reached the receiving socket.
///
/// The capture on `lo` sees a segment as it is sent, before the receiving stack's input hook
/// drops it. So a dropped segment is in the capture, but only its sender acted on it. The
/// sender's state changes when it sends the segment. The receiver's state does not change, and
/// the receiver's sequence space does not move.
public struct InputDrops: Sendable, Codable, Equatable {
    /// CLOCK_REALTIME microseconds: when `nft -f -` returned. The rules are in force from then
    /// on. A segment captured earlier is taken as delivered (the lab loads its rules while
    /// nothing is on the wire).
    public var time: Int64
    /// The rules, in the chain's order.
    public var drops: [NftRuleset.Drop]

    public init(time: Int64, drops: [NftRuleset.Drop]) {
        self.time = time
        self.drops = drops
    }

    /// The numbers of the segments in `segments` (capture order) that the rules in `loaded` dropped on input.
    ///
    /// This replays nft's evaluation of one input chain (nft(8)). Every captured segment on `lo`
    /// goes through the receiver's input hook once. The rules are tried in order. A rule's
    /// `numgen inc` counter counts the segments that got to it, that is, the ones that matched
    /// every match before it. The rule drops while its counter is within `count`, and always
    /// when it has no count. Otherwise the next rule is tried.
    public static func dropped(_ segments: [CapturedSegment], by loaded: [InputDrops]) -> Set<Int> {
        guard !loaded.isEmpty else { return [] }
        var counters: [[Int]] = loaded.map { Array(repeating: 0, count: $0.drops.count) }
        var dropped: Set<Int> = []
        for captured in segments {
            search: for (load, rules) in loaded.enumerated() where captured.time >= rules.time {
                for (index, rule) in rules.drops.enumerated() where rule.matches.allSatisfy({ $0.holds(for: captured.segment) }) {
                    counters[load][index] += 1
                    if rule.count.map({ counters[load][index] <= $0 }) ?? true {
                        dropped.insert(captured.number)
                        break search
                    }
                }
            }
        }
        return dropped
    }
}

extension NftRuleset.Match {
    /// Whether `segment` matches, as nft's expression would decide on that segment.
    func holds(for segment: TCPSegment) -> Bool {
        switch self {
        case .destinationPort(let port): segment.destinationPort == port
        case .sourcePort(let port): segment.sourcePort == port
        case .connectionRequest: segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        case .payloadPrefix(let prefix): segment.payload.starts(with: Array(prefix.utf8))
        }
    }
}

/// `{"destinationPort": 7777}`, `{"sourcePort": 7777}`, `{"connectionRequest": true}`,
/// `{"payloadPrefix": "seg3"}`: one key for each match.
extension NftRuleset.Match: Codable {
    private enum Key: String, CodingKey { case destinationPort, sourcePort, connectionRequest, payloadPrefix }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let port = try container.decodeIfPresent(UInt16.self, forKey: .destinationPort) {
            self = .destinationPort(port)
        } else if let port = try container.decodeIfPresent(UInt16.self, forKey: .sourcePort) {
            self = .sourcePort(port)
        } else if try container.decodeIfPresent(Bool.self, forKey: .connectionRequest) == true {
            self = .connectionRequest
        } else if let prefix = try container.decodeIfPresent(String.self, forKey: .payloadPrefix) {
            self = .payloadPrefix(prefix)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a drop rule's match needs one of destinationPort, sourcePort, connectionRequest, payloadPrefix"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .destinationPort(let port): try container.encode(port, forKey: .destinationPort)
        case .sourcePort(let port): try container.encode(port, forKey: .sourcePort)
        case .connectionRequest: try container.encode(true, forKey: .connectionRequest)
        case .payloadPrefix(let prefix): try container.encode(prefix, forKey: .payloadPrefix)
        }
    }
}

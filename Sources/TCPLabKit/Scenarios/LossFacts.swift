/// What the capture and the roles say about a loss run: which byte ranges the client sent, how
/// often and when, the server's ACKs with their SACK blocks, the SYNs, and Wireshark's analysis
/// flags for each segment. Shared by the run's waits, its summary and the claims.
struct LossFacts {
    /// One byte range of the client's stream and every captured copy of it, in capture order.
    struct Range {
        var start: UInt32
        var end: UInt32
        var copies: [CapturedSegment]
        /// Milliseconds from each copy to the next.
        var intervals: [Double] { zip(copies, copies.dropFirst()).map { Double($1.time - $0.time) / 1000 } }
    }

    let observation: Observation
    let serverPort: UInt16
    /// Wireshark's flags per segment number, from the same analysis `decode` prints.
    let flags: [Int: [TCPAnalysisFlag]]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        self.serverPort = serverPort
        var tracker = ConversationTracker()
        var flags: [Int: [TCPAnalysisFlag]] = [:]
        for segment in observation.segments { flags[segment.number] = tracker.describe(segment).analysis }
        self.flags = flags
    }

    func fromClient(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == serverPort }
    func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == serverPort }

    /// The client's SYNs (without ACK), in capture order.
    var syns: [CapturedSegment] { observation.segments.filter { fromClient($0) && $0.segment.flags.contains(.syn) && !$0.segment.flags.contains(.ack) } }
    /// The server's SYN-ACKs.
    var synAcks: [CapturedSegment] { observation.segments.filter { fromServer($0) && $0.segment.flags.contains([.syn, .ack]) } }

    /// The client's initial sequence number (its first SYN's), for relative numbers.
    var clientISN: UInt32? { syns.first?.segment.sequenceNumber }

    /// Segments from the client that carry data, in capture order.
    var clientData: [CapturedSegment] { observation.segments.filter { fromClient($0) && $0.segment.ipPayloadLength > 0 } }

    /// The absolute sequence number just past the client's highest data byte.
    var clientDataEnd: UInt32? {
        clientData.map { $0.segment.sequenceNumber &+ UInt32($0.segment.ipPayloadLength) }
            .max { SegmentAnalysis.isAfter($1, $0) }
    }

    /// The client's byte ranges in order of first appearance, each with all its copies.
    var ranges: [Range] {
        var ranges: [Range] = []
        for segment in clientData {
            let start = segment.segment.sequenceNumber, end = start &+ UInt32(segment.segment.ipPayloadLength)
            if let index = ranges.firstIndex(where: { $0.start == start && $0.end == end }) {
                ranges[index].copies.append(segment)
            } else {
                ranges.append(Range(start: start, end: end, copies: [segment]))
            }
        }
        return ranges
    }

    /// The ranges captured more than once.
    var resent: [Range] { ranges.filter { $0.copies.count > 1 } }

    /// The server's pure ACKs (no data, no SYN/FIN/RST), in capture order.
    var serverAcks: [CapturedSegment] {
        observation.segments.filter {
            fromServer($0) && $0.segment.ipPayloadLength == 0 && $0.segment.flags.contains(.ack)
                && !$0.segment.flags.contains(.syn) && !$0.segment.flags.contains(.fin) && !$0.segment.flags.contains(.rst)
        }
    }

    /// The SACK blocks a segment carries (RFC 2018), absolute.
    func sackBlocks(_ segment: CapturedSegment) -> [SACKBlock] {
        segment.segment.options.flatMap { option -> [SACKBlock] in
            if case .sack(let blocks) = option { return blocks }
            return []
        }
    }

    /// The flags of a segment.
    func flags(_ segment: CapturedSegment) -> [TCPAnalysisFlag] { flags[segment.number] ?? [] }

    /// Whether the analysis called the segment a duplicate ACK.
    func isDuplicateAck(_ segment: CapturedSegment) -> Bool {
        flags(segment).contains { if case .duplicateAck = $0 { return true } else { return false } }
    }

    /// Bytes the server's recv() calls returned, in all.
    var bytesRead: Int {
        observation.steps(of: "server").filter { $0.call == "recv" }.compactMap(\.returnValue).filter { $0 > 0 }.reduce(0, +)
    }

    /// The client's send() calls.
    var sends: [RoleStep] { observation.steps(of: "client").filter { $0.call == "send" } }

    /// `1:27` relative to the client's ISN, as the timeline prints it.
    func text(_ range: Range) -> String {
        let base = clientISN ?? 0
        return "\(range.start &- base):\(range.end &- base)"
    }

    /// `#7 (+205.3 ms)`.
    func copiesText(_ range: Range) -> String {
        var parts = ["#\(range.copies[0].number)"]
        for (copy, interval) in zip(range.copies.dropFirst(), range.intervals) {
            parts.append("#\(copy.number) (+\(Self.milliseconds(interval)))")
        }
        return parts.joined(separator: ", ")
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? "\(Int(value.rounded())) ms" : String(format: "%.2f ms", value)
    }

    /// The lines printed after the exchange: every range sent more than once, with its intervals.
    var summary: [String] {
        var lines: [String] = []
        if syns.count > 1 {
            let intervals = zip(syns, syns.dropFirst()).map { Self.milliseconds(Double($1.time - $0.time) / 1000) }
            lines.append("SYN sent \(syns.count) times: " + syns.map { "#\($0.number)" }.joined(separator: ", ") + " (after " + intervals.joined(separator: ", ") + ")")
        }
        for range in resent {
            lines.append("bytes \(text(range)) sent \(range.copies.count) times: \(copiesText(range))")
        }
        let duplicates = serverAcks.filter(isDuplicateAck)
        if !duplicates.isEmpty { lines.append("\(duplicates.count) duplicate ACK\(duplicates.count == 1 ? "" : "s") from the server: #" + duplicates.map { String($0.number) }.joined(separator: ", #")) }
        if lines.isEmpty { lines.append("no segment was sent twice") }
        return lines
    }
}

/// Follows the TCP connections in a capture, segment by segment, to say what each segment means:
/// who is client and server, sequence numbers relative to each side's initial one (as Wireshark
/// and tcpdump show them), and a one-line annotation (handshake, ACK = seq + len, FIN, RST).
///
/// It is fed segments in capture order, live or from a file, and keeps only per-connection state.
public struct ConversationTracker: Sendable {
    /// Show raw sequence numbers instead of relative ones (`--absolute`).
    public var absolute: Bool
    /// Whose capture this is: it decides whether annotations may name the lab's roles and kernels.
    public let origin: CaptureOrigin
    private var firstTime: Int64?
    /// The newest connection on each 4-tuple. An older one on the same ports is never fed again,
    /// so it is dropped: memory grows with the distinct 4-tuples, not with the capture.
    private var connections: [ConnectionKey: Connection] = [:]
    /// The number of distinct connections seen so far.
    public private(set) var connectionCount = 0
    /// The 4-tuple of the last segment and where its connection sits in `connections`: a
    /// connection's segments mostly come in runs, and the run's next segment then needs no
    /// hashing. Only `describeInParts` changes `connections`, and it sets these every time.
    private var lastKey: ConnectionKey?
    private var lastSlot: Dictionary<ConnectionKey, Connection>.Index?

    public init(absolute: Bool = false, origin: CaptureOrigin = .labRun) {
        self.absolute = absolute
        self.origin = origin
    }

    /// The row for the next segment of the capture.
    public mutating func describe(_ captured: CapturedSegment) -> SegmentRow {
        describeInParts(captured).spelledOut
    }

    /// The same, its option, preview and sequence texts not yet spelled out: for a writer that
    /// puts them straight into its output (`tcplab decode`).
    public mutating func describeInParts(_ captured: CapturedSegment) -> DescribedSegment {
        let segment = captured.segment
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        let key = ConnectionKey(source, destination)
        var portsReused = false
        if let headerBytes = segment.fixedHeaderCaptured {
            // Only its ports were captured: shown in its connection, never a new one's start
            // on a reused 4-tuple, and kept out of the sequence analysis. Rare: no fast path.
            let slot: Dictionary<ConnectionKey, Connection>.Index
            if let known = connections.index(forKey: key) {
                slot = known
            } else {
                connections[key] = newConnection(source, destination, segment)
                slot = connections.index(forKey: key)!
            }
            (lastKey, lastSlot) = (key, slot)
            let start = firstTime ?? captured.time
            firstTime = start
            return connections.values[slot].describeCut(
                segment, captured: headerBytes, number: captured.number, source: source,
                time: captured.time, milliseconds: Double(captured.time - start) / 1000)
        }
        let slot: Dictionary<ConnectionKey, Connection>.Index
        let cached = lastKey == key ? lastSlot : nil
        if let known = cached ?? connections.index(forKey: key) {
            // Only a SYN can start a new connection: the others skip looking at the old one.
            if segment.flags.contains(.syn) {
                portsReused = Self.startsNewConnection(segment, after: connections.values[known], from: source)
            }
            if portsReused {
                let fresh = newConnection(source, destination, segment)
                connections.values[known] = fresh
            }
            slot = known
        } else {
            let fresh = newConnection(source, destination, segment)
            connections[key] = fresh
            slot = connections.index(forKey: key)!
        }
        (lastKey, lastSlot) = (key, slot)
        let start = firstTime ?? captured.time
        firstTime = start
        // Mutated in place in the dictionary: no copy of the connection's state per segment.
        var described = connections.values[slot].describe(
            segment, number: captured.number, source: source,
            time: captured.time, milliseconds: Double(captured.time - start) / 1000, absolute: absolute)
        if portsReused { Self.markPortsReused(&described.row) }
        return described
    }

    /// Wireshark's rule (packet-tcp.c, `dissect_tcp`): a SYN without ACK whose sequence number
    /// differs from the base its sender already has on this 4-tuple starts a new conversation
    /// (the client bound the same port again, after TIME_WAIT or a reset). A SYN with the same
    /// sequence number is the same connection's SYN again: a retransmission, left to the analysis.
    static func startsNewConnection(_ segment: TCPSegment, after connection: Connection, from source: Endpoint) -> Bool {
        guard segment.flags.intersection([.syn, .ack]) == .syn,
              let base = connection.baseSequence(sentBy: source)
        else { return false }
        return segment.sequenceNumber != base
    }

    /// Connection number `connectionCount + 1`, opened by `segment`: the caller makes it the one
    /// its 4-tuple's segments go to from now on.
    private mutating func newConnection(_ source: Endpoint, _ destination: Endpoint, _ segment: TCPSegment) -> Connection {
        connectionCount += 1
        return Connection(
            index: connectionCount, firstSource: source, firstDestination: destination, segment: segment, origin: origin)
    }

    /// Puts `[TCP Port numbers reused]` first, as Wireshark's Info column does.
    private static func markPortsReused(_ row: inout SegmentRow) {
        row.analysis.insert(.portNumbersReused, at: 0)
        row.annotation = "[\(TCPAnalysisFlag.portNumbersReused)]" + (row.annotation.isEmpty ? "" : " \(row.annotation)")
    }
}

struct Endpoint: Hashable, Sendable {
    var address: IPAddress
    var port: UInt16
    var text: String { address.endpoint(port: port) }
}

/// A connection is the same whichever way its segments travel.
struct ConnectionKey: Hashable, Sendable {
    let low: Endpoint
    let high: Endpoint
    init(_ a: Endpoint, _ b: Endpoint) {
        let aFirst = a.address == b.address ? a.port <= b.port : a.address.precedes(b.address)
        (low, high) = aFirst ? (a, b) : (b, a)
    }
}

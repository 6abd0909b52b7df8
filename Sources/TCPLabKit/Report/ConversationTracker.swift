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
    private var connections: [Connection] = []
    /// The newest connection on each 4-tuple: an older one on the same ports is never fed again.
    private var indexes: [ConnectionKey: Int] = [:]

    public init(absolute: Bool = false, origin: CaptureOrigin = .labRun) {
        self.absolute = absolute
        self.origin = origin
    }

    /// The number of distinct connections seen so far.
    public var connectionCount: Int { connections.count }

    public mutating func describe(_ captured: CapturedSegment) -> SegmentRow {
        let segment = captured.segment
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        let key = ConnectionKey(source, destination)
        let index: Int
        var portsReused = false
        if let headerBytes = segment.fixedHeaderCaptured {
            // Only its ports were captured: shown in its connection, never a new one's start
            // on a reused 4-tuple, and kept out of the sequence analysis.
            let cutIndex = indexes[key] ?? startConnection(key, source, destination, segment)
            let start = firstTime ?? captured.time
            firstTime = start
            return connections[cutIndex].describeCut(
                segment, captured: headerBytes, number: captured.number, source: source,
                time: captured.time, milliseconds: Double(captured.time - start) / 1000)
        }
        if let known = indexes[key] {
            portsReused = Self.startsNewConnection(segment, after: connections[known], from: source)
            index = portsReused ? startConnection(key, source, destination, segment) : known
        } else {
            index = startConnection(key, source, destination, segment)
        }
        let start = firstTime ?? captured.time
        firstTime = start
        // Mutated in place in the array: no copy of the connection's state per segment.
        var row = connections[index].describe(
            segment, number: captured.number, source: source,
            time: captured.time, milliseconds: Double(captured.time - start) / 1000, absolute: absolute)
        if portsReused { Self.markPortsReused(&row) }
        return row
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

    /// Opens connection number `connections.count + 1` for `key` and makes it the one its
    /// 4-tuple's segments go to from now on.
    private mutating func startConnection(_ key: ConnectionKey, _ source: Endpoint, _ destination: Endpoint, _ segment: TCPSegment) -> Int {
        let index = connections.count
        indexes[key] = index
        connections.append(Connection(
            index: index + 1, firstSource: source, firstDestination: destination, segment: segment, origin: origin))
        return index
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

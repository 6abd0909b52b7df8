/// Follows the TCP connections in a capture, segment by segment, to say what each segment means:
/// who is client and server, sequence numbers relative to each side's initial one (as Wireshark
/// and tcpdump show them), and a one-line annotation (handshake, ACK = seq + len, FIN, RST).
///
/// It is fed segments in capture order, live or from a file, and keeps only per-connection state.
public struct ConversationTracker: Sendable {
    /// Show raw sequence numbers instead of relative ones (`--absolute`).
    public var absolute: Bool
    private var firstTime: Int64?
    private var connections: [Connection] = []
    private var indexes: [ConnectionKey: Int] = [:]

    public init(absolute: Bool = false) { self.absolute = absolute }

    /// The number of distinct connections seen so far.
    public var connectionCount: Int { connections.count }

    public mutating func describe(_ captured: CapturedSegment) -> SegmentRow {
        let segment = captured.segment
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        let key = ConnectionKey(source, destination)
        let index: Int
        if let known = indexes[key] {
            index = known
        } else {
            index = connections.count
            indexes[key] = index
            connections.append(Connection(index: index + 1, firstSource: source, firstDestination: destination, segment: segment))
        }
        let start = firstTime ?? captured.time
        firstTime = start
        // Mutated in place in the array: no copy of the connection's state per segment.
        return connections[index].describe(
            segment, number: captured.number, source: source,
            time: captured.time, milliseconds: Double(captured.time - start) / 1000, absolute: absolute)
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

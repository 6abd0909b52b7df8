/// Follows the TCP connections in a capture, segment by segment, to say what each segment means:
/// who is client and server, sequence numbers relative to each side's initial one (as Wireshark
/// and tcpdump show them), and a one-line annotation (handshake, ACK = seq + len, FIN, RST).
///
/// It is fed segments in capture order, live or from a file, and keeps only per-connection state.
public struct ConversationTracker: Sendable {
    /// Show raw sequence numbers instead of relative ones (`--absolute`).
    public var absolute: Bool
    private var firstTime: Int64?
    private var connections: [ConnectionKey: Connection] = [:]
    private var order: [ConnectionKey] = []

    public init(absolute: Bool = false) { self.absolute = absolute }

    /// The number of distinct connections seen so far.
    public var connectionCount: Int { order.count }

    public mutating func describe(_ captured: CapturedSegment) -> SegmentRow {
        let segment = captured.segment
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        let key = ConnectionKey(source, destination)
        if connections[key] == nil {
            connections[key] = Connection(index: order.count + 1, firstSource: source, firstDestination: destination, segment: segment)
            order.append(key)
        }
        var connection = connections[key]!
        let start = firstTime ?? captured.time
        firstTime = start
        let row = connection.describe(segment, number: captured.number, source: source, destination: destination,
                                      time: captured.time, milliseconds: Double(captured.time - start) / 1000,
                                      absolute: absolute)
        connections[key] = connection
        return row
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
        if (a.address.bytes, a.port) <= (b.address.bytes, b.port) { (low, high) = (a, b) } else { (low, high) = (b, a) }
    }
}

private func <= (lhs: ([UInt8], UInt16), rhs: ([UInt8], UInt16)) -> Bool {
    if lhs.0 != rhs.0 { return lhs.0.lexicographicallyPrecedes(rhs.0) }
    return lhs.1 <= rhs.1
}

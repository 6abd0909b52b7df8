/// What the capture says about each client of the backlog story: its SYNs, whether the server
/// answered, whether the handshake completed. Shared by the run's waits and the claims.
struct BacklogFacts {
    let observation: Observation
    let serverPort: UInt16
    /// The clients' local ports, in the order they called connect() (client 1 first).
    let clientPorts: [UInt16]

    init(_ observation: Observation, serverPort: UInt16, clientPorts: [UInt16]) {
        self.observation = observation
        self.serverPort = serverPort
        self.clientPorts = clientPorts
    }

    /// `127.0.0.1:41234` or `[::1]:41234` -> 41234.
    static func port(of endpoint: String) -> UInt16? {
        endpoint.split(separator: ":").last.flatMap { UInt16($0) }
    }

    /// The client's number (1 for the first connect()), as the timeline's labels use it.
    func number(_ port: UInt16) -> Int { (clientPorts.firstIndex(of: port) ?? -1) + 1 }

    /// Every SYN (without ACK) the client sent, in capture order: the first and its retransmissions.
    func syns(from port: UInt16) -> [CapturedSegment] {
        observation.segments.filter {
            $0.segment.sourcePort == port && $0.segment.destinationPort == serverPort
                && $0.segment.flags.contains(.syn) && !$0.segment.flags.contains(.ack)
        }
    }

    /// The server's first SYN-ACK to the client, if it answered.
    func synAck(to port: UInt16) -> CapturedSegment? {
        observation.segments.first {
            $0.segment.sourcePort == serverPort && $0.segment.destinationPort == port
                && $0.segment.flags.contains(.syn) && $0.segment.flags.contains(.ack)
        }
    }

    /// The client's ACK of the SYN-ACK: the handshake's last segment.
    func handshakeAck(_ port: UInt16) -> CapturedSegment? {
        guard let synAck = synAck(to: port) else { return nil }
        return observation.segments.first {
            $0.number > synAck.number && $0.segment.sourcePort == port && $0.segment.destinationPort == serverPort
                && !$0.segment.flags.contains(.syn) && $0.segment.flags.contains(.ack)
                && $0.segment.acknowledgmentNumber == synAck.segment.sequenceNumber &+ 1
        }
    }

    /// Any RST the server sent to the client.
    func reset(to port: UInt16) -> CapturedSegment? {
        observation.segments.first { $0.segment.sourcePort == serverPort && $0.segment.destinationPort == port && $0.segment.flags.contains(.rst) }
    }

    /// Clients whose three-way handshake completed.
    var completed: [UInt16] { clientPorts.filter { handshakeAck($0) != nil } }

    /// Clients that sent a SYN and got nothing back at all: no SYN-ACK, no RST.
    var unanswered: [UInt16] {
        clientPorts.filter { !syns(from: $0).isEmpty && synAck(to: $0) == nil && reset(to: $0) == nil }
    }

    /// Seconds between the client's consecutive SYNs.
    func retransmissionIntervals(_ port: UInt16) -> [Double] {
        let times = syns(from: port).map(\.time)
        return zip(times.dropFirst(), times).map { Double($0 - $1) / 1_000_000 }
    }

    /// `clients 1, 2, 3`.
    func names(_ ports: [UInt16]) -> String {
        ports.isEmpty ? "none" : (ports.count == 1 ? "client " : "clients ") + ports.map { String(number($0)) }.joined(separator: ", ")
    }
}

/// Finds the evidence of a connection's close in an observation: FINs, their ACKs, steps and
/// snapshots, seen from the server's port. Shared by close-states and unread-close.
struct CloseEvidence {
    let observation: Observation
    let port: UInt16
    let client: [RoleStep]
    let server: [RoleStep]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        port = serverPort
        client = observation.steps(of: "client").filter { !$0.isNote }
        server = observation.steps(of: "server").filter { !$0.isNote }
    }

    func name(_ fromServer: Bool) -> String { fromServer ? "server" : "client" }

    func isFrom(server fromServer: Bool, _ segment: CapturedSegment) -> Bool {
        (segment.segment.sourcePort == port) == fromServer
    }

    /// The first FIN a side sent.
    func fin(fromServer: Bool) -> CapturedSegment? {
        observation.segments.first { isFrom(server: fromServer, $0) && $0.segment.flags.contains(.fin) }
    }

    /// The first segment from the other side that acknowledges `fin`.
    func ack(of fin: CapturedSegment, fromServer: Bool) -> CapturedSegment? {
        observation.segments.first {
            $0.number > fin.number && isFrom(server: !fromServer, $0) && $0.segment.flags.contains(.ack)
                && $0.segment.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
        }
    }

    /// Whether `segment` acknowledges `fin` (covers the FIN's sequence number).
    func acknowledges(_ segment: CapturedSegment, _ fin: CapturedSegment) -> Bool {
        segment.segment.flags.contains(.ack) && segment.segment.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
    }

    /// The socket table recorded at `moment`, if the run got that far.
    func snapshot(_ moment: some ScenarioMoment) -> SocketSnapshot? { observation.sockets(at: moment) }

    /// The server's connection row (not the listener) in a snapshot.
    func serverSide(_ snapshot: SocketSnapshot) -> SocketEntry? {
        snapshot.table.entries.first { $0.localPort == port && $0.state != .listen }
    }

    /// The client's row in a snapshot.
    func clientSide(_ snapshot: SocketSnapshot) -> SocketEntry? {
        snapshot.table.entries.first { $0.remotePort == port }
    }

    func side(_ fromServer: Bool, in snapshot: SocketSnapshot) -> SocketEntry? {
        fromServer ? serverSide(snapshot) : clientSide(snapshot)
    }

    /// `FIN_WAIT2 timer:(timewait,59sec,0)`, or `gone` for a missing row.
    func describe(_ entry: SocketEntry?) -> String {
        guard let entry else { return "gone" }
        let timer = entry.timer.ssText
        return entry.state.name + (timer.isEmpty ? "" : " " + timer)
    }

    func steps(_ fromServer: Bool) -> [RoleStep] { fromServer ? server : client }

    func milliseconds(_ segment: CapturedSegment) -> String {
        guard let first = observation.segments.first else { return "?" }
        let value = Double(segment.time - first.time) / 1000
        return String(Int(value.rounded())) + " ms"
    }
}

/// What the capture, the roles and /proc say about the keepalive run: the client's probes, what
/// answered them, the intervals between them, the client's recv(). Shared by the run's waits and
/// the claims.
struct KeepaliveFacts {
    let observation: Observation
    let serverPort: UInt16

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        self.serverPort = serverPort
    }

    func fromClient(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == serverPort }
    func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == serverPort }

    /// The client's keep-alive probes (no data, seq = snd_nxt − 1), in order.
    var probes: [CapturedSegment] {
        ProbeSegments.probes(in: observation.segments, sentBy: { $0.destinationPort == serverPort })
    }

    /// The server's answer to `probe`: its next segment, if that is an ACK of the probe's
    /// sequence number + 1 (snd_nxt: "I have everything up to here") and comes before the next probe.
    func answer(to probe: CapturedSegment) -> CapturedSegment? {
        let nextProbe = probes.first { $0.number > probe.number }?.number ?? Int.max
        guard let reply = observation.segments.first(where: { fromServer($0) && $0.number > probe.number }),
              reply.number < nextProbe, reply.segment.flags == .ack, reply.segment.ipPayloadLength == 0,
              reply.segment.acknowledgmentNumber == probe.segment.sequenceNumber &+ 1
        else { return nil }
        return reply
    }

    /// For each probe, the milliseconds since the segment before it (either way): the silence
    /// that the keepalive timer measured.
    var silences: [(probe: CapturedSegment, milliseconds: Double, after: CapturedSegment)] {
        probes.compactMap { probe in
            guard let before = observation.segments.last(where: { $0.number < probe.number }) else { return nil }
            return (probe, Double(probe.time - before.time) / 1000, before)
        }
    }

    /// The client's RST, if its kernel sent one.
    var clientReset: CapturedSegment? { observation.segments.first { fromClient($0) && $0.segment.flags.contains(.rst) } }

    /// The client's first recv().
    var receive: RoleStep? { observation.steps(of: "client").first { $0.call == "recv" } }

    /// The rows of the table recorded at `moment` that are the connection's two sides.
    func sides(at moment: Keepalive.Moment) -> (client: SocketEntry?, server: SocketEntry?)? {
        guard let snapshot = observation.sockets(at: moment) else { return nil }
        let rows = zip(snapshot.table.entries, snapshot.labels).filter { $0.0.state != .listen }
        return (rows.first { $0.1 == "client" }?.0, rows.first { $0.1 == "server" }?.0)
    }
}

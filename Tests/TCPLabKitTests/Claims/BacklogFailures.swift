@testable import TCPLabKit

/// backlog's claims, each made to fail the way another kernel (or its settings) would.
enum BacklogFailures {
    static let both = ["backlog-default", "backlog-patient"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(both, "backlog-plus-one", "a kernel whose queue holds only the backlog: client 3 got no SYN-ACK",
                          seen: "2 of 5 handshakes completed") { run in
            guard let client3 = run.backlogClient(3) else { return }
            let port = run.port
            run.removeSegments { ($0.segment.sourcePort == port && $0.segment.destinationPort == client3)
                || ($0.segment.sourcePort == client3 && !$0.segment.flags.contains(.syn)) }
        }
        + ClaimFailure.each(both, "backlog-plus-one", "the capture dropped packets", seen: "dropped 2 packets") { run in run.dropPackets(2) }
        + ClaimFailure.each(both, "listen-recv-q", "LISTEN Recv-Q 2 at the last look (a connection left the queue)",
                            seen: "LISTEN Recv-Q 2, 3 server-side ESTABLISHED") { run in
            let port = run.port
            run.editSockets(at: run.backlogLastLook) { rows in
                for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.state == .listen {
                    rows[index].entry.receiveQueue = 2
                }
            }
        }
        + ClaimFailure.each(both, "syns-dropped", "client 4's SYN answered by an RST (tcp_abort_on_overflow)",
                            seen: "1 clients unanswered (client 5), 2 did not complete") { run in
            guard let client4 = run.backlogClient(4),
                  let syn = run.observation.segments.first(where: { $0.segment.sourcePort == client4 }) else { return }
            var reset = syn
            reset.segment.sourcePort = syn.segment.destinationPort
            reset.segment.destinationPort = client4
            reset.segment.flags = [.rst, .ack]
            reset.segment.acknowledgmentNumber = syn.segment.sequenceNumber &+ 1
            reset.time += 20
            run.insertSegment(reset, after: syn.number)
        }
        + ClaimFailure.each(both, "syns-dropped", "the capture dropped packets", seen: "dropped 1 packets") { run in run.dropPackets(1) }
        + ClaimFailure.each(both, "syn-sent", "client 4 ESTABLISHED at the last look", seen: "client 4 ESTABLISHED in after the") { run in
            guard let client4 = run.backlogClient(4) else { return }
            run.setState(at: run.backlogLastLook, where: { $0.localPort == client4 }, to: .established)
        }
        + ClaimFailure.each(both, "syn-retransmitted", "client 4 never retransmitted its SYN (tcp_syn_retries 0)", seen: "client 4 sent 1 SYN") { run in
            guard let client4 = run.backlogClient(4),
                  let first = run.observation.segments.first(where: { $0.segment.sourcePort == client4 }) else { return }
            run.removeSegments { $0.segment.sourcePort == client4 && $0.number > first.number }
        }
        + [ClaimFailure("backlog-patient", "syn-backoff", "client 4's second retransmission a second later than the rule says (doubled)",
                        seen: "the rule gives 1") { run in
            guard let client4 = run.backlogClient(4) else { return }
            let syns = run.observation.segments.filter { $0.segment.sourcePort == client4 }
            guard syns.count >= 3 else { return }
            for index in run.observation.segments.indices where run.observation.segments[index].number == syns[2].number {
                run.observation.segments[index].time += 1_000_000
            }
        },
        ClaimFailure("backlog-patient", "syn-backoff", "the run did not record net.ipv4.tcp_syn_linear_timeouts", seen: "did not record") { run in
            run.observation.synBackoff = nil
        }]
}

extension DoctoredRun {
    /// Client `number`'s local port (1 for the first connect()).
    func backlogClient(_ number: Int) -> UInt16? {
        let ports = observation.steps(of: "clients").filter { $0.call == "connect" }.compactMap { $0.local.flatMap(BacklogFacts.port(of:)) }
        return ports.count >= number ? ports[number - 1] : nil
    }

    /// The moment of the backlog scenario's last look at the sockets.
    var backlogLastLook: Backlog.Moment { (scenario as? Backlog)?.lastLook ?? .afterFirstRetransmissions }

    /// Inserts `segment` after segment number `number` and numbers them all again.
    mutating func insertSegment(_ segment: CapturedSegment, after number: Int) {
        let index = observation.segments.firstIndex { $0.number > number } ?? observation.segments.endIndex
        observation.segments.insert(segment, at: index)
        for index in observation.segments.indices { observation.segments[index].number = index + 1 }
    }
}

import Glibc
@testable import TCPLabKit

/// keepalive's claims, each made to fail the way another kernel or program would.
enum KeepaliveFailures {
    static let both = ["keepalive-peer-vanished", "keepalive-peer-alive"]

    static let all: [ClaimFailure] =
        ClaimFailure.each(both, "probes", "the probes missing (keepalive never turned on)", seen: "0 probes from the client") { run in
            let probes = Set(run.keepaliveFacts.probes.map(\.number))
            run.removeSegments { probes.contains($0.number) }
        }
        + ClaimFailure.each(both, "probe-intervals", "the first probe after 0.5 s of silence (TCP_KEEPIDLE ignored)",
                            seen: "not 1 s") { run in
            guard let first = run.keepaliveFacts.silences.first else { return }
            run.retime(first.probe.number, to: first.after.time + 500_000)
        }
        + [ClaimFailure("keepalive-peer-vanished", "unanswered", "an ACK from the server after the first probe (the drop rule missed)",
                        seen: "the server answered") { run in
            let facts = run.keepaliveFacts
            guard let probe = facts.probes.first,
                  let template = run.observation.segments.first(where: { facts.fromServer($0) && $0.segment.flags == .ack })
                    ?? run.observation.segments.first(where: { facts.fromServer($0) })
            else { return }
            var answer = template
            answer.segment.flags = .ack
            answer.segment.acknowledgmentNumber = probe.segment.sequenceNumber &+ 1
            answer.time = probe.time + 10
            run.insertSegment(answer, after: probe.number)
        },
        ClaimFailure("keepalive-peer-vanished", "unanswered", "the capture dropped packets", seen: "an absence proves nothing") { run in
            run.dropPackets(2)
        },
        ClaimFailure("keepalive-peer-vanished", "etimedout", "recv() still returned EOF instead of ETIMEDOUT", seen: "recv() = 0 (EOF)") { run in
            run.editSteps(of: "client", where: { $0.call == "recv" }) { step in
                step.errno = nil
                step.returnValue = 0
            }
        },
        ClaimFailure("keepalive-peer-vanished", "proc", "the client's socket still ESTABLISHED after the recv() failed", seen: "client ESTABLISHED") { run in
            run.editSockets(at: Keepalive.Moment.afterTimeout) { rows in
                guard let server = rows.first(where: { $0.label == "server" && $0.entry.state == .established }) else { return }
                var client = server
                client.label = "client"
                swap(&client.entry.localPort, &client.entry.remotePort)
                rows.append(client)
            }
        },
        // The recording predates `inputDrops`: the edit files the drop rule as a run now does.
        // Without it the tracker takes the dropped RST as received, and "gone" would agree.
        ClaimFailure("keepalive-peer-vanished", StateAgreement.id,
                     "with the drop rule recorded, the server's socket gone from /proc after the client's RST (as if the RST had reached it)",
                     seen: "the server gone, the capture implies ESTABLISHED") { run in
            run.recordVanishing()
            run.editSockets(at: Keepalive.Moment.afterTimeout) { rows in rows.removeAll { $0.label == "server" && $0.entry.state != .listen } }
        },
        ClaimFailure("keepalive-peer-alive", "answered", "the server's answer to the second probe missing", seen: "went unanswered") { run in
            let facts = run.keepaliveFacts
            guard let probe = facts.probes.dropFirst().first, let answer = facts.answer(to: probe) else { return }
            run.removeSegments { $0.number == answer.number }
        },
        ClaimFailure("keepalive-peer-alive", "stays", "the connection gone from /proc after the probes", seen: "lacks a side") { run in
            run.editSockets(at: Keepalive.Moment.afterProbes) { rows in rows.removeAll { $0.label == "client" } }
        }]
}

extension DoctoredRun {
    var keepaliveFacts: KeepaliveFacts { KeepaliveFacts(observation, serverPort: port) }

    /// Files peer-vanished's drop rule (`Keepalive.vanishing`) in `inputDrops`, as `LabRun.drop`
    /// does, in force from the recording's `nft:` note (written as `nft -f -` returned).
    mutating func recordVanishing() {
        guard let loaded = observation.notes.first(where: { $0.text.contains("nft: drops every segment") }) else { return }
        observation.inputDrops = [InputDrops(time: loaded.time, drops: Keepalive.vanishing(port: port).drops)]
    }
}

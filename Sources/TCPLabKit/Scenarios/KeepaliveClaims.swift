import Foundation

extension Keepalive {
    /// The claims of the chosen variant, each judged from the capture, the roles' steps and /proc.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = KeepaliveEvidence(facts: KeepaliveFacts(observation, serverPort: lab.server.port), timers: Self.timers, reply: Self.reply)
        if vanished {
            return [evidence.probesSent(), evidence.probeIntervals(vanished: true), evidence.unanswered(), evidence.timedOut(), evidence.vanishedTables()]
        }
        return [evidence.probesSent(), evidence.probeIntervals(vanished: false), evidence.answered(), evidence.stays()]
    }
}

/// The keepalive story's claims, computed from `KeepaliveFacts`.
struct KeepaliveEvidence {
    let facts: KeepaliveFacts
    let timers: KeepaliveTimers
    let reply: String

    private var observation: Observation { facts.observation }

    /// A probe's interval counts as the timer's when it is within this range of seconds × 1000 ms:
    /// the kernel's timers fire on jiffies (a few ms late), a loaded machine a little later.
    private func onTime(_ milliseconds: Double, seconds: Int32) -> Bool {
        let expected = Double(seconds) * 1000
        return milliseconds >= expected - 50 && milliseconds <= expected + 500
    }

    private func list(_ segments: [CapturedSegment]) -> String { segments.map { "#\($0.number)" }.joined(separator: ", ") }

    func probesSent() -> Claim {
        Claim.check("probes", "on the idle connection the client's kernel sent keep-alive probes ([TCP Keep-Alive]): no data, seq = snd_nxt − 1, a byte the server already has, so that it must answer", {
            let probes = facts.probes
            guard probes.count >= Int(timers.count) else {
                return .failure(Unseen("\(probes.count) probe\(probes.count == 1 ? "" : "s") from the client\(probes.isEmpty ? "" : " (\(list(probes)))")"))
            }
            guard let first = probes.first, let ack = observation.segments.last(where: { facts.fromClient($0) && $0.number < first.number }) else {
                return .failure(Unseen("no client segment before the first probe"))
            }
            return .success("\(probes.count) probes (\(list(probes))), each with seq \(first.segment.sequenceNumber) = "
                + "the client's snd_nxt \(ack.segment.sequenceNumber) − 1 and no data")
        }())
    }

    func probeIntervals(vanished: Bool) -> Claim {
        let statement = vanished
            ? "the first probe left after TCP_KEEPIDLE = \(timers.idleSeconds) s of silence, the next ones every TCP_KEEPINTVL = \(timers.intervalSeconds) s, measured in the capture"
            : "each probe left after TCP_KEEPIDLE = \(timers.idleSeconds) s of silence (an answered probe makes the connection idle again), measured in the capture"
        return Claim.check("probe-intervals", statement, {
            let silences = facts.silences
            guard !silences.isEmpty else { return .failure(Unseen("no probe")) }
            var seen: [String] = []
            for (index, silence) in silences.enumerated() {
                let seconds = vanished && index > 0 ? timers.intervalSeconds : timers.idleSeconds
                let text = "#\(silence.probe.number) \(String(format: "%.0f", silence.milliseconds)) ms after #\(silence.after.number)"
                guard onTime(silence.milliseconds, seconds: seconds) else {
                    return .failure(Unseen(text + ", not \(seconds) s"))
                }
                seen.append(text)
            }
            return .success(seen.joined(separator: "; "))
        }())
    }

    func unanswered() -> Claim {
        Claim.check("unanswered", "no segment came back from the vanished server: every probe went unanswered", {
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            guard let first = facts.probes.first else { return .failure(Unseen("no probe")) }
            let end = facts.clientReset?.number ?? Int.max
            let replies = observation.segments.filter { facts.fromServer($0) && $0.number > first.number && $0.number < end }
            guard replies.isEmpty else { return .failure(Unseen("the server answered: \(list(replies))")) }
            return .success("nothing from port \(facts.serverPort) from the first probe #\(first.number) to the client's RST\(facts.clientReset.map { " #\($0.number)" } ?? "")")
        }())
    }

    func timedOut() -> Claim {
        Claim.check("etimedout", "after TCP_KEEPCNT = \(timers.count) unanswered probes the client's kernel gave up: it reset the connection and the blocked recv() failed with ETIMEDOUT", {
            let probes = facts.probes
            guard let receive = facts.receive else { return .failure(Unseen("the client made no recv()")) }
            guard receive.failure == Errno(rawValue: ETIMEDOUT) else { return .failure(Unseen("the client's \(receive.display)")) }
            guard probes.count == Int(timers.count), let last = probes.last else {
                return .failure(Unseen("\(probes.count) probes before the recv() failed, not \(timers.count)"))
            }
            guard let reset = facts.clientReset, reset.number > last.number else {
                return .failure(Unseen("no RST from the client after the last probe #\(last.number)"))
            }
            let after = Double(reset.time - last.time) / 1000
            return .success("\(probes.count) probes, then the client's RST #\(reset.number) \(String(format: "%.0f", after)) ms after #\(last.number); \(receive.display)")
        }())
    }

    func vanishedTables() -> Claim {
        Claim.check("proc", "/proc: while probing, the client's socket showed the keepalive timer counting unanswered probes; after the timeout it was gone, while the server's socket, which heard nothing, was still ESTABLISHED", {
            guard let probing = facts.sides(at: .probing), let client = probing.client else {
                return .failure(Unseen("no client socket in the table after the second probe"))
            }
            guard client.state == .established, client.timer.kind == .keepalive, client.timer.probes > 0 else {
                return .failure(Unseen("after the second probe: client \(client.state.name) \(client.timer.ssText.isEmpty ? "no timer" : client.timer.ssText)"))
            }
            guard let after = facts.sides(at: .afterTimeout) else { return .failure(Unseen("no table after the recv() failed")) }
            if let still = after.client { return .failure(Unseen("after the recv() failed: client \(still.state.name)")) }
            guard let server = after.server, server.state == .established else {
                return .failure(Unseen("after the recv() failed: server \(after.server?.state.name ?? "gone")"))
            }
            return .success("after the second probe: client ESTABLISHED \(client.timer.ssText); after the recv() failed: client gone, server ESTABLISHED")
        }())
    }

    func answered() -> Claim {
        Claim.check("answered", "the server's kernel answered every probe with an ACK of snd_nxt, without the server program doing anything (Wireshark flags the answers [TCP Keep-Alive ACK]; the first one [TCP Window Update], as the server's previous segment was its SYN-ACK, whose window is not scaled)", {
            let probes = facts.probes
            guard !probes.isEmpty else { return .failure(Unseen("no probe")) }
            var pairs: [String] = []
            for probe in probes {
                guard let answer = facts.answer(to: probe) else { return .failure(Unseen("probe #\(probe.number) went unanswered")) }
                pairs.append("#\(probe.number) → #\(answer.number)")
            }
            return .success(pairs.joined(separator: ", "))
        }())
    }

    func stays() -> Claim {
        Claim.check("stays", "the connection stayed: /proc showed both sides ESTABLISHED with the client's keepalive timer set again, and the server's data still reached the client's recv()", {
            guard let sides = facts.sides(at: .afterProbes), let client = sides.client, let server = sides.server else {
                return .failure(Unseen("the table after the third probe lacks a side"))
            }
            guard client.state == .established, server.state == .established, client.timer.kind == .keepalive else {
                return .failure(Unseen("after the third probe: client \(client.state.name) \(client.timer.ssText), server \(server.state.name)"))
            }
            guard let receive = facts.receive, receive.data == reply else {
                return .failure(Unseen("the client's \(facts.receive?.display ?? "recv() never returned")"))
            }
            return .success("after the third probe: client ESTABLISHED \(client.timer.ssText), server ESTABLISHED; the client's \(receive.display)")
        }())
    }
}

import Foundation
import Glibc

extension Backlog {
    /// The claims, each judged from the capture, the roles' steps and the socket snapshots.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let clientPorts = observation.steps(of: "clients").filter { $0.call == "connect" }.compactMap { $0.local.flatMap(BacklogFacts.port(of:)) }
        let facts = BacklogFacts(observation, serverPort: lab.server.port, clientPorts: clientPorts)
        let evidence = BacklogEvidence(facts: facts, backlog: backlog, clients: clients, lastLook: lastLook)
        var claims = [evidence.queueHoldsBacklogPlusOne(), evidence.listenRecvQ(), evidence.synsDropped(), evidence.staySynSent(),
                      evidence.retransmittedAfterOneSecond()]
        if synsAwaited > 2 { claims.append(evidence.intervalFollowsRule()) }
        return claims
    }
}

/// The backlog story's claims, computed from `BacklogFacts`.
struct BacklogEvidence {
    let facts: BacklogFacts
    let backlog: Int
    let clients: Int
    /// The moment of the lab's last look (after the first or second SYN retransmissions).
    let lastLook: Backlog.Moment

    private var observation: Observation { facts.observation }
    /// The socket table the lab recorded at its last look.
    private var lastSnapshot: SocketSnapshot? { observation.sockets(at: lastLook) }

    func queueHoldsBacklogPlusOne() -> Claim {
        Claim.check("backlog-plus-one", "with listen(backlog \(backlog)) and no accept(), the kernel completed backlog + 1 = \(backlog + 1) handshakes and no more", {
            guard facts.clientPorts.count == clients else {
                return .failure(Unseen("\(facts.clientPorts.count) of \(clients) clients called connect()"))
            }
            // "And no more": a handshake the capture missed would hide a sixth queued connection.
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            if let accept = observation.steps(of: "server").first(where: { $0.call == "accept" }) {
                return .failure(Unseen("the server called \(accept.display)"))
            }
            let completed = facts.completed
            let numbers = completed.compactMap { facts.handshakeAck($0)?.number }
            guard completed.count == backlog + 1 else {
                return .failure(Unseen("\(completed.count) of \(clients) handshakes completed (\(facts.names(completed))); the rule says \(backlog + 1)"))
            }
            let noted = observation.steps(of: "clients").filter { $0.call == "connected" }.count
            return .success("\(completed.count) of \(clients) completed: \(facts.names(completed)) (final ACKs #\(numbers.map(String.init).joined(separator: ", #"))); "
                + "\(noted) connect()s reported done; the server made no accept() call")
        }())
    }

    func listenRecvQ() -> Claim {
        Claim.check("listen-recv-q", "the LISTEN socket's Recv-Q in /proc/net/tcp counts the connections waiting in the accept queue, held by no process", {
            guard let snapshot = lastSnapshot else { return .failure(Unseen("no socket snapshot")) }
            guard let listener = snapshot.table.entries.first(where: { $0.localPort == facts.serverPort && $0.state == .listen }) else {
                return .failure(Unseen("no LISTEN socket in \(snapshot.moment)"))
            }
            let queued = snapshot.table.entries.filter { $0.localPort == facts.serverPort && $0.state == .established }
            let unowned = queued.filter { snapshot.table.owners(of: $0).isEmpty }
            let completed = facts.completed.count
            guard listener.receiveQueue == UInt32(completed), unowned.count == completed else {
                return .failure(Unseen("LISTEN Recv-Q \(listener.receiveQueue), \(unowned.count) server-side ESTABLISHED sockets without a process, \(completed) handshakes completed"))
            }
            return .success("\(snapshot.moment): LISTEN Recv-Q \(listener.receiveQueue) = \(completed) completed handshakes, "
                + "\(unowned.count) server-side ESTABLISHED sockets held by no process; LISTEN Send-Q \(listener.sendQueue) (the backlog is not in /proc)")
        }())
    }

    func synsDropped() -> Claim {
        Claim.check("syns-dropped", "the other clients' SYNs got no answer at all (no SYN-ACK, no RST): the kernel dropped them", {
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            let unanswered = facts.unanswered
            let expected = facts.clientPorts.count - facts.completed.count
            guard !unanswered.isEmpty, unanswered.count == expected else {
                return .failure(Unseen("\(unanswered.count) clients unanswered (\(facts.names(unanswered))), \(expected) did not complete"))
            }
            let syns = unanswered.map { facts.syns(from: $0).count }.reduce(0, +)
            return .success("\(facts.names(unanswered)): \(syns) SYNs in all, no SYN-ACK, no RST")
        }())
    }

    func staySynSent() -> Claim {
        Claim.check("syn-sent", "those clients stayed in SYN_SENT: their non-blocking connect() returned EINPROGRESS and never completed", {
            let unanswered = facts.unanswered
            guard !unanswered.isEmpty else { return .failure(Unseen("every client was answered")) }
            guard let snapshot = lastSnapshot else { return .failure(Unseen("no socket snapshot")) }
            var states: [String] = []
            for port in unanswered {
                let state = snapshot.table.entries.first { $0.localPort == port }?.state
                guard state == .synSent else {
                    return .failure(Unseen("client \(facts.number(port)) \(state?.name ?? "not in the table") in \(snapshot.moment)"))
                }
                let local = "\(port)"
                let connect = observation.steps(of: "clients").first { $0.call == "connect" && $0.local.flatMap(BacklogFacts.port(of:)) == port }
                guard connect?.failure == Errno(rawValue: EINPROGRESS) else {
                    return .failure(Unseen("client \(facts.number(port)) \(connect?.display ?? "made no connect()")"))
                }
                if observation.steps(of: "clients").contains(where: { $0.call == "connected" && $0.local?.hasSuffix(":\(local)") == true }) {
                    return .failure(Unseen("client \(facts.number(port))'s connect() completed"))
                }
                states.append("client \(facts.number(port)) SYN_SENT")
            }
            return .success("\(snapshot.moment): " + states.joined(separator: ", ") + "; connect() = -1 EINPROGRESS, never completed")
        }())
    }

    func retransmittedAfterOneSecond() -> Claim {
        Claim.check("syn-retransmitted", "each of them retransmitted its SYN about 1 s later (the initial retransmission timeout)", {
            let unanswered = facts.unanswered
            guard !unanswered.isEmpty else { return .failure(Unseen("no client was left unanswered")) }
            var seen: [String] = []
            for port in unanswered {
                let syns = facts.syns(from: port)
                guard syns.count >= 2, let interval = facts.retransmissionIntervals(port).first else {
                    return .failure(Unseen("client \(facts.number(port)) sent \(syns.count) SYN"))
                }
                guard (0.8...1.6).contains(interval) else {
                    return .failure(Unseen("client \(facts.number(port)) retransmitted after \(Self.seconds(interval))"))
                }
                guard syns[1].segment.sequenceNumber == syns[0].segment.sequenceNumber else {
                    return .failure(Unseen("client \(facts.number(port))'s second SYN #\(syns[1].number) has a new sequence number: a new connection, not a retransmission"))
                }
                seen.append("client \(facts.number(port)) #\(syns[0].number) -> #\(syns[1].number) after \(Self.seconds(interval))")
            }
            return .success(seen.joined(separator: ", ") + "; same sequence number: [TCP Retransmission]")
        }())
    }

    func intervalFollowsRule() -> Claim {
        let rule = observation.synBackoff
        let growth = rule?.growth(after: 1) ?? 2
        let statement = growth == 1
            ? "the second retransmission came 1 s after the first again: this kernel backs off linearly at first (net.ipv4.tcp_syn_linear_timeouts = \(rule?.linearTimeouts ?? 0)), not by doubling"
            : "the second retransmission came about twice as long after the first (exponential backoff: 1 s, 2 s, 4 s …)"
        return Claim.check("syn-backoff", statement, {
            guard rule != nil else { return .failure(Unseen("the run did not record the kernel's backoff setting")) }
            let unanswered = facts.unanswered
            guard !unanswered.isEmpty else { return .failure(Unseen("no client was left unanswered")) }
            var seen: [String] = []
            for port in unanswered {
                let intervals = facts.retransmissionIntervals(port)
                guard intervals.count >= 2 else {
                    return .failure(Unseen("client \(facts.number(port)) sent \(intervals.count + 1) SYNs"))
                }
                let ratio = intervals[1] / intervals[0]
                let shown = "client \(facts.number(port)): \(Self.seconds(intervals[0])) then \(Self.seconds(intervals[1]))"
                guard abs(ratio - growth) <= 0.35 * growth else {
                    return .failure(Unseen(shown + " (ratio \(String(format: "%.2f", ratio)), the rule gives \(Int(growth)))"))
                }
                seen.append(shown)
            }
            return .success(seen.joined(separator: ", "))
        }())
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}

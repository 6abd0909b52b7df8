extension ReuseAddr {
    /// The reuseaddr claims: TIME_WAIT held the port, the bind came out as the rule says, and the
    /// new server then either listened or reported the error and exited normally.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ReuseAddrEvidence(observation, serverPort: lab.server.port)
        return [evidence.timeWaitHoldsPort(), evidence.restartBind(), evidence.newServerOutcome()]
    }
}

/// Finds the reuseaddr story's evidence: each server's SO_REUSEADDR as its own steps report it,
/// the new server's bind() result, and the socket snapshots.
struct ReuseAddrEvidence {
    let observation: Observation
    let port: UInt16
    let oldServer: [RoleStep]
    let newServer: [RoleStep]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        port = serverPort
        oldServer = observation.steps(of: "old server").filter { !$0.isNote }
        newServer = observation.steps(of: "new server").filter { !$0.isNote }
    }

    /// Whether a server's setsockopt(SO_REUSEADDR, 1) was made and returned 0.
    private func reuses(_ steps: [RoleStep]) -> Bool {
        steps.contains { $0.call == "setsockopt" && $0.text.contains("SO_REUSEADDR") && $0.returnValue == 0 }
    }

    private func snapshot(_ moment: ReuseAddr.Moment) -> SocketSnapshot? { observation.sockets(at: moment) }

    private func timeWait(in snapshot: SocketSnapshot?) -> SocketEntry? {
        snapshot?.table.entries.first { $0.localPort == port && $0.state == .timeWait }
    }

    private func describe(_ entry: SocketEntry) -> String {
        "\(entry.local) -> \(entry.remote) TIME_WAIT \(entry.timer.ssText)".trimmingCharacters(in: .whitespaces)
    }

    func timeWaitHoldsPort() -> Claim {
        Claim.check("time-wait-holds-port",
                    "the old server closed first, so its side went to TIME_WAIT, which still held the port after the old server exited", {
            guard let close = oldServer.first(where: { $0.call == "close" }) else { return .failure(Unseen("the old server never closed a connection")) }
            guard let fin = observation.segments.first(where: { $0.segment.flags.contains(.fin) }) else { return .failure(Unseen("no FIN")) }
            guard fin.segment.sourcePort == port, fin.time >= close.began else {
                return .failure(Unseen("the first FIN #\(fin.number) came from port \(fin.segment.sourcePort), not from the old server after its close()"))
            }
            guard let after = snapshot(.oldExited) else { return .failure(Unseen("no snapshot after the old server exited")) }
            guard let end = observation.end(of: "old server"), end.time <= after.time else {
                return .failure(Unseen("the old server had not exited at the snapshot"))
            }
            guard let entry = timeWait(in: after) else { return .failure(Unseen(after.summary)) }
            if let listener = after.table.entries.first(where: { $0.state == .listen }) {
                return .failure(Unseen("a listener \(listener.local) was still there"))
            }
            return .success("FIN #\(fin.number) after the old server's close(); old server \(end.termination); /proc/net/tcp: \(describe(entry)), no listener")
        }())
    }

    func restartBind() -> Claim {
        let old = reuses(oldServer), new = reuses(newServer)
        let expected = ReuseAddrRule.restartSucceeds(oldReuses: old, newReuses: new)
        let statement = "old server \(ReuseAddr.with(old)), new server \(ReuseAddr.with(new)): the restart's bind() should "
            + (expected ? "succeed" : "fail with EADDRINUSE") + " (rule: \(ReuseAddrRule.statement))"
        return Claim.check("restart-bind", statement, {
            guard let bind = newServer.first(where: { $0.call == "bind" }) else { return .failure(Unseen("the new server never called bind()")) }
            guard let entry = timeWait(in: snapshot(.afterBind)) ?? timeWait(in: snapshot(.oldExited)) else {
                return .failure(Unseen("no TIME_WAIT entry held the port at the restart"))
            }
            let did = ReuseAddrRule.outcome(of: bind) + (bind.failure == nil ? "" : " while a TIME_WAIT entry held the port")
            let succeeded = bind.failure == nil
            if succeeded != expected || (!succeeded && bind.failure != .addressInUse) {
                return .failure(Unseen("the kernel did: \(did), new server \(bind.display); the rule predicted otherwise"))
            }
            return .success("the kernel did: \(did): new server \(bind.display); \(describe(entry))")
        }())
    }

    func newServerOutcome() -> Claim {
        guard let bind = newServer.first(where: { $0.call == "bind" }), bind.failure != nil else {
            return Claim.check("new-server-outcome", "after its bind() succeeded, the new server listened beside the TIME_WAIT entry", {
                guard newServer.first(where: { $0.call == "bind" }) != nil else { return .failure(Unseen("the new server never called bind()")) }
                guard observation.steps(of: "new server").contains(where: { $0.call == "listening" }) else {
                    return .failure(Unseen("the new server never listened"))
                }
                guard let snapshot = snapshot(.afterBind),
                      let listener = snapshot.table.entries.first(where: { $0.state == .listen }), let entry = timeWait(in: snapshot)
                else { return .failure(Unseen(snapshot(.afterBind)?.summary ?? "no snapshot after the bind")) }
                return .success("/proc/net/tcp: \(listener.local) LISTEN and \(describe(entry))")
            }())
        }
        return Claim.check("new-server-outcome", "after its bind() failed, the new server reported the error and exited by itself (not killed by a signal)", {
            guard let end = observation.end(of: "new server") else { return .failure(Unseen("the new server did not end")) }
            guard case .exited = end.termination else { return .failure(Unseen("the new server \(end.termination)")) }
            if observation.steps(of: "new server").contains(where: { $0.call == "listening" || $0.call == "listen" }) {
                return .failure(Unseen("the new server went on to listen"))
            }
            let printed = observation.steps(of: "new server").last { $0.call == "print" }?.text
            return .success("new server \(bind.display); " + (printed.map { "printed \"\($0)\", " } ?? "") + "\(end.termination)")
        }())
    }
}

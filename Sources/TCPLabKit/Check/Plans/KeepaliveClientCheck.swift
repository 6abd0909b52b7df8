import Glibc

/// `tcplab check keepalive --variant peer-vanished --client -- CMD`: the student's client
/// connects to the lab's server and waits in recv(); right after the handshake the lab makes the
/// server's host vanish (nft drops everything to and from its port, as in the scenario). A client
/// that set SO_KEEPALIVE with TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 3 (tcp(7)) gets
/// its kernel to probe; the probes go unanswered; after the third the kernel resets the
/// connection and the blocked recv() fails with ETIMEDOUT. A client without keepalive (or with
/// the default 2 h idle time) sends no probe, and its recv() would wait forever.
struct KeepaliveClientCheck: CheckPlan {
    let scenario = Keepalive(variant: .peerVanished)
    var role: CheckRole { .client }
    var task: String { "your client sets SO_KEEPALIVE with TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 3 and waits in recv(): probes, unanswered, then ETIMEDOUT" }

    var judging: [String: ClaimJudging] {
        [
            "probes": .fromOutside, "probe-intervals": .fromOutside, "unanswered": .fromOutside, "proc": .fromOutside,
            "etimedout": .replaced(by: ["recv-timed-out"], because: "it reads the lab client's report of its recv(); yours is seen by strace, or by the RST and its end"),
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        // Before any role starts: a run that cannot make the peer vanish stops with a usage error.
        try NftRuleset.check(isolation: lab.isolation)
        let server = try lab.startServer(.echoServer)
        let student = try lab.startStudentClient(program, within: seconds)
        lab.say("server \(lab.server.description) (pid \(server.pid))   your client (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [server])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let server = cast.role("server") else { return }
        let port = lab.server.port
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.command(server, "accept", call: "accept", within: Keepalive.segmentWindow)
        // The first probe is due TCP_KEEPIDLE (1 s) after the handshake: the drop goes in at once.
        try lab.drop(Keepalive.vanishing(port: port))
        lab.log.note("lab     nft: drops every segment to and from port \(port) on input (table inet \(NftRuleset.table)): the server's host vanished")
        lab.flush()
        let timers = Keepalive.timers
        let interval = Double(timers.intervalSeconds), idle = Double(timers.idleSeconds)
        // Bounded: a client without keepalive sends no probe, which the claims say.
        try lab.awaitObservation("two keep-alive probes", within: idle + interval + 1) { observation -> Bool? in
            KeepaliveFacts(observation, serverPort: port).probes.count >= 2 ? true : nil
        }
        lab.recordSockets(Keepalive.Moment.probing, labels: Keepalive.labels(port: port))
        lab.flush()
        // The kernel gives up one interval after the last probe: its RST, then the recv() returns.
        let due = interval * Double(timers.count - 1) + 1
        if lab.awaitSegment("the client's RST", within: due, { $0.destinationPort == port && $0.flags.contains(.rst) }) != nil {
            try lab.awaitEnd(CheckRole.client.label, within: Keepalive.segmentWindow)
        }
        lab.recordSockets(Keepalive.Moment.afterTimeout, labels: Keepalive.labels(port: port))
        server.closeCommands()
        lab.flush()
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let facts = KeepaliveFacts(observation, serverPort: lab.server.port)
        let program = ProgramEvidence(observation, .client)
        let count = Int(Keepalive.timers.count)
        return [
            Claim.check("recv-timed-out", "after TCP_KEEPCNT = \(count) unanswered probes the client's kernel reset the connection and the client's blocked recv() failed with ETIMEDOUT; the client then ended", {
                let probes = facts.probes
                guard probes.count == count, let last = probes.last else {
                    return .failure(Unseen("\(probes.count) probes from the client, not \(count)"))
                }
                guard let reset = facts.clientReset, reset.number > last.number else {
                    return .failure(Unseen("no RST from the client after the last probe #\(last.number): its kernel did not give up"))
                }
                if program.traced {
                    guard let receive = program.calls.last(where: { $0.call == "recv" && $0.role == CheckRole.client.label }) else {
                        return .failure(Unseen("the client made no recv() (\(program.tracing))"))
                    }
                    guard receive.failure == Errno(rawValue: ETIMEDOUT) else {
                        return .failure(Unseen("the client's last \(receive.display)"))
                    }
                    // After the last probe, not after the RST: both follow the keepalive timer's
                    // expiry (tcp_keepalive_timer sends the RST, then reports the error), and lo's
                    // capture stamps the RST when the receive path takes it in, which on a busy
                    // machine can come after the recv() already returned.
                    guard let ended = receive.ended, ended >= last.time else {
                        return .failure(Unseen("the client's \(receive.display) returned before the last probe #\(last.number)"))
                    }
                }
                guard let end = program.end else {
                    return .failure(Unseen("RST #\(reset.number) after probe #\(last.number), but the client was still running when the lab stopped it"))
                }
                let call = program.traced ? program.calls.last { $0.call == "recv" && $0.role == CheckRole.client.label }.map { "; \($0.display)" } ?? "" : " (\(program.tracing))"
                return .success("\(probes.count) probes, the client's RST #\(reset.number) after #\(last.number)\(call); the client \(end.termination)")
            }()),
        ]
    }
}

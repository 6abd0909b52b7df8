import Glibc

/// `tcplab check close-states --variant server-first --server -- CMD`: the student's echo server
/// answers the lab's client's hello, then is stopped with SIGINT as Ctrl-C would stop it while
/// the client idles. Its side goes FIN_WAIT2 (the client's CLOSE_WAIT); once the client closes,
/// the server's side ends in TIME_WAIT and the client's is gone.
struct CloseStatesServerCheck: CheckPlan {
    let scenario = CloseStates(variant: .serverFirst)
    var role: CheckRole { .server }
    var task: String { "your echo server, stopped by Ctrl-C while a client idles: FIN_WAIT2 / CLOSE_WAIT, then TIME_WAIT on your side" }

    /// The claims of server-first are about the lab's client, the capture, the socket table and
    /// how the server ended; only the way it ended is the lab server's own (killed by SIGINT).
    var judging: [String: ClaimJudging] {
        [
            "server-fin": .replaced(by: ["server-closed-first"], because: "it expects the lab server to die of SIGINT; yours may catch Ctrl-C (KeyboardInterrupt) and exit, or close on its own first"),
            "fin-wait2-close-wait": .fromOutside, "last-ack": .fromOutside, "time-wait-first-closer": .fromOutside,
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        let client = try lab.spawn("client", .commandClient)
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        let port = lab.server.port
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [client])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let client = cast.role("client"), let server = cast.student.programPID else { return }
        try lab.command(client, "send hello", call: "send")
        // The echo is not what the claims judge here, but the client reads it before it idles: bounded.
        try lab.command(client, "recv", call: "recv", within: FinExchange.window)
        // Ctrl-C reaches a terminal's whole foreground group: the program and what it forked (strace is left out).
        for pid in [server] + ProcessTable.descendants(of: server).filter({ !$0.isZombie }).map(\.pid) {
            lab.killProcess(pid, with: SIGINT, why: "Ctrl-C for your server\(pid == server ? "" : "'s process \(pid)"): the kernel closes what it held")
        }
        try lab.awaitEnd(CheckRole.server.label, within: lab.options.timeout)
        let serverFin = lab.awaitFinAndAck(fromServer: true, "the server")
        lab.recordSockets(CloseStates.Moment.firstClosed, labels: lab.sideLabels)
        try lab.command(client, "close", call: "close")
        lab.awaitFinAndAck(fromServer: false, "the client", after: serverFin.lastNumber)
        lab.recordSockets(CloseStates.Moment.secondClosed, labels: lab.sideLabels)
        client.send("exit")
        try lab.waitForEnd("client")
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = CloseEvidence(observation, serverPort: lab.server.port)
        return [
            Claim.check("server-closed-first", "the server closed first (on its own, or when stopped by Ctrl-C): its FIN went out and the client's kernel ACKed it, though the client read no EOF", {
                guard let fin = evidence.fin(fromServer: true) else { return .failure(Unseen("no FIN from the server")) }
                if let clientFin = evidence.fin(fromServer: false), clientFin.number < fin.number {
                    return .failure(Unseen("the client's FIN #\(clientFin.number) came before the server's #\(fin.number)"))
                }
                guard let ack = evidence.ack(of: fin, fromServer: true) else { return .failure(Unseen("FIN #\(fin.number) was never ACKed")) }
                // The client may read the reply that came with the FIN; the EOF it must not have seen.
                if let eof = evidence.client.first(where: { $0.call == "recv" && $0.began > fin.time && $0.returnValue == 0 }) {
                    return .failure(Unseen("the client's \(eof.display) read the EOF after FIN #\(fin.number)"))
                }
                let end = observation.end(of: CheckRole.server.label).map { "server \($0.termination); " } ?? ""
                return .success("\(end)FIN #\(fin.number), client's ACK #\(ack.number); the client read no EOF")
            }()),
        ]
    }
}

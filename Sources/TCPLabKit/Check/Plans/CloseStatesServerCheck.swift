import Glibc

/// `tcplab check close-states --variant server-first --server -- CMD`: the student's echo server
/// answers the lab's client's hello and must then close the connection itself, while the client
/// idles. Nothing stops it for that (a SIGINT would make the kernel close its socket whatever the
/// program does): the lab watches the capture up to `ownCloseWindow` after the reply for its FIN.
/// Its side goes FIN_WAIT2 (the client's CLOSE_WAIT); once the client closes, the server's side
/// ends in TIME_WAIT and the client's is gone. A server that sent no FIN in that time sees the
/// client close first, and the claims say so. The teardown ends the program afterwards.
struct CloseStatesServerCheck: CheckPlan {
    let scenario = CloseStates(variant: .serverFirst)
    var role: CheckRole { .server }
    var task: String { "your echo server closes the connection itself after its reply, while the client idles: FIN_WAIT2 / CLOSE_WAIT, then TIME_WAIT on your side" }

    /// How long after its reply the lab watches for the server's own FIN, in seconds.
    static let ownCloseWindow = 3.0

    /// The claims of server-first are about the lab's client, the capture, the socket table and
    /// how the server ended; only the way it ended is the lab server's own (killed by SIGINT).
    var judging: [String: ClaimJudging] {
        [
            "server-fin": .replaced(by: ["server-closed-first"], because: "it expects the lab server to be stopped by SIGINT; yours must close on its own after its reply (nothing stops it)"),
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
        guard let client = cast.role("client") else { return }
        try lab.command(client, "send hello", call: "send")
        // The echo is not what the claims judge here, but the client reads it before it idles: bounded.
        try lab.command(client, "recv", call: "recv", within: FinExchange.window)
        // Nobody stops your server: its own close() must send the FIN (bounded; its absence is judged).
        let serverFin = lab.awaitFinAndAck(fromServer: true, "your server", within: Self.ownCloseWindow)
        if serverFin.fin != nil {
            lab.recordSockets(CloseStates.Moment.firstClosed, labels: lab.sideLabels)
            try lab.command(client, "close", call: "close")
            lab.awaitFinAndAck(fromServer: false, "the client", after: serverFin.lastNumber)
        } else {
            // No FIN from the server: the client closes first, and the claims say what that made of the states.
            try lab.command(client, "close", call: "close")
            let clientFin = lab.awaitFinAndAck(fromServer: false, "the client")
            lab.recordSockets(CloseStates.Moment.firstClosed, labels: lab.sideLabels)
            lab.awaitFinAndAck(fromServer: true, "your server", after: clientFin.lastNumber)
        }
        lab.recordSockets(CloseStates.Moment.secondClosed, labels: lab.sideLabels)
        client.send("exit")
        try lab.waitForEnd("client")
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        [Self.serverClosedFirst(observation, port: lab.server.port)]
    }

    static func serverClosedFirst(_ observation: Observation, port: UInt16) -> Claim {
        let evidence = CloseEvidence(observation, serverPort: port)
        let window = "\(Int(ownCloseWindow)) s"
        return Claim.check("server-closed-first", "the server closed first, on its own after its reply: its FIN went out and the client's kernel ACKed it, though the client read no EOF", {
            let reply = observation.segments.first { $0.segment.sourcePort == port && !$0.segment.payload.isEmpty }
            let clientFin = evidence.fin(fromServer: false)
            let fin = evidence.fin(fromServer: true)
            if let clientFin, fin.map({ clientFin.number < $0.number }) ?? true {
                let after = fin.map { "; its FIN #\($0.number) only followed the client's" } ?? ""
                return .failure(Unseen("the server sent no FIN within \(window) of its reply\(reply.map { " (#\($0.number))" } ?? ""); the client closed first (#\(clientFin.number))\(after)"))
            }
            guard let fin else {
                let reset = ProgramEvidence.reset(in: observation, fromPort: port).map { "; its RST #\($0.number) ended the connection instead" } ?? ""
                return .failure(Unseen("no FIN from the server\(reset)"))
            }
            guard let ack = evidence.ack(of: fin, fromServer: true) else { return .failure(Unseen("FIN #\(fin.number) was never ACKed")) }
            // The client may read the reply that came with the FIN; the EOF it must not have seen.
            if let eof = evidence.client.first(where: { $0.call == "recv" && $0.began > fin.time && $0.returnValue == 0 }) {
                return .failure(Unseen("the client's \(eof.display) read the EOF after FIN #\(fin.number)"))
            }
            let delay = reply.map { " \((fin.time - $0.time) / 1000) ms after its reply #\($0.number)" } ?? ""
            return .success("FIN #\(fin.number)\(delay), client's ACK #\(ack.number); the client read no EOF")
        }())
    }
}

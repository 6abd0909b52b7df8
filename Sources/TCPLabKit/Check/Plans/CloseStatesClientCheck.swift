/// `tcplab check close-states --variant client-first --client -- CMD`: the student's client talks
/// to the lab's echo server. It is typed `hello`, which the server echoes; then its input ends
/// (as an empty line or Ctrl-D would end the posts' client) and it must close first: its FIN goes
/// out while the server still holds the connection. Its side then waits in FIN_WAIT2 with the
/// orphan timer running (the server's in CLOSE_WAIT), the server reads the EOF and closes (LAST_ACK),
/// and the client's side ends in TIME_WAIT. A client that closes with SO_LINGER 0 (to skip
/// TIME_WAIT) sends an RST instead of its FIN, and the claims say so.
struct CloseStatesClientCheck: CheckPlan {
    let scenario = CloseStates(variant: .clientFirst)
    var role: CheckRole { .client }
    var task: String { "your client sends hello, reads the echo and, when its input ends, closes first: a FIN, FIN_WAIT2, then TIME_WAIT on your side" }

    /// The claims of client-first are about the lab's server, the capture and the socket table;
    /// only the client's close() is read from the lab client's own report.
    var judging: [String: ClaimJudging] {
        [
            "client-fin": .replaced(by: ["client-closed-first"], because: "it reads the lab client's report of its close()"),
            "fin-wait2-close-wait": .fromOutside, "server-eof": .fromOutside, "last-ack": .fromOutside, "time-wait-first-closer": .fromOutside,
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let server = try lab.startServer(.echoServer)
        server.send("accept")
        let student = try lab.startStudentClient(program, within: seconds)
        let accepted = try lab.waitForStep("server", "to accept your client") { $0.call == "accept" }
        if let error = accepted.failure { throw LabError.role("server: accept failed: \(error)") }
        let port = lab.server.port
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.say("server \(lab.server.description) (pid \(server.pid))   your client \(accepted.peer ?? "?") (pid \(student.programPID.map(String.init) ?? "?")): "
                + "\(program.display)   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [server])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let server = cast.role("server") else { return }
        let client = cast.student.process
        lab.pause("your client is typed \"hello\"; the server echoes it")
        client.send("hello")
        // Returns once the client's line arrived: bounded, the claims judge what came.
        try lab.command(server, "echo", call: "send", within: lab.options.timeout)
        lab.flush()
        lab.pause("your client's input ends: it should close first")
        client.closeCommands()
        let clientFin = lab.awaitFinAndAck(fromServer: false, "your client", within: CloseStatesServerCheck.ownCloseWindow)
        lab.recordSockets(CloseStates.Moment.firstClosed, labels: lab.sideLabels)
        lab.flush()
        lab.pause("the server reads the EOF and closes its side")
        try lab.command(server, "recv", call: "recv", within: FinExchange.window)
        try lab.command(server, "close", call: "close", within: FinExchange.window)
        lab.awaitFinAndAck(fromServer: true, "the server", after: clientFin.lastNumber)
        lab.recordSockets(CloseStates.Moment.secondClosed, labels: lab.sideLabels)
        lab.flush()
        server.send("exit")
        try lab.waitForEnd("server")
        // How your client ends is not judged here; one still running is stopped by the teardown.
        try lab.awaitEnd(CheckRole.client.label, within: FinExchange.window)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        [Self.clientClosedFirst(observation, port: lab.server.port)]
    }

    static func clientClosedFirst(_ observation: Observation, port: UInt16) -> Claim {
        let evidence = CloseEvidence(observation, serverPort: port)
        let program = ProgramEvidence(observation, .client)
        return Claim.check("client-closed-first", "the client closed first, after it had the echo: its FIN went out before the server's, and the server's kernel ACKed it", {
            let echo = observation.segments.first { $0.segment.sourcePort == port && !$0.segment.payload.isEmpty }
            guard let fin = evidence.fin(fromServer: false) else {
                if let reset = observation.segments.first(where: { $0.segment.destinationPort == port && $0.segment.flags.contains(.rst) }) {
                    return .failure(Unseen("no FIN from the client: its RST #\(reset.number) aborted the connection (SO_LINGER 0, or data left unread at close())"))
                }
                let end = program.end.map { "; the client \($0.termination)" } ?? "; the client was still running"
                return .failure(Unseen("no FIN from the client after its input ended\(end)"))
            }
            if let serverFin = evidence.fin(fromServer: true), serverFin.number < fin.number {
                return .failure(Unseen("the server's FIN #\(serverFin.number) came before the client's #\(fin.number)"))
            }
            guard let echo, echo.number < fin.number else {
                return .failure(Unseen("the client's FIN #\(fin.number) came before any echo from the server"))
            }
            guard let ack = evidence.ack(of: fin, fromServer: false) else { return .failure(Unseen("FIN #\(fin.number) was never ACKed")) }
            let end = program.end.map { "; the client \($0.termination)" } ?? ""
            return .success("echo #\(echo.number), then the client's FIN #\(fin.number), the server's ACK #\(ack.number)\(end)")
        }())
    }
}

import Glibc

/// `tcplab check reuseaddr --server -- CMD` (variant `both`): the student's server is started,
/// answers the lab's client, is stopped with SIGINT (as Ctrl-C in its terminal would; a server
/// that closes the connection after its answer has closed first already), and the client closes
/// after it: the server's side of the connection is left in TIME_WAIT, holding the port. Then the
/// lab starts the same program again at once, as a student restarting a server does. With
/// SO_REUSEADDR set before bind() (in both runs: the TIME_WAIT entry keeps the old listener's
/// flag) the restart listens beside the TIME_WAIT entry; without it, bind() fails with EADDRINUSE
/// and the restarted program ends without listening, and the claims say so.
struct ReuseAddrServerCheck: CheckPlan {
    let scenario = ReuseAddr(variant: .both)
    var role: CheckRole { .server }
    var task: String { "your server, stopped with Ctrl-C while its connection's side is in TIME_WAIT, can be restarted at once on the same port (SO_REUSEADDR)" }

    /// The timeline's label of the second start of the program.
    static let restartLabel = "server (restarted)"

    var judging: [String: ClaimJudging] {
        let restart = ClaimJudging.replaced(by: ["restart-listens"], because: "it reads the lab's new server's reports of its setsockopt() and bind()")
        return [
            "time-wait-holds-port": .replaced(by: ["server-side-time-wait"], because: "it reads the lab's old server's report of its close()"),
            "restart-bind": restart,
            "new-server-outcome": restart,
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        let port = lab.server.port
        let client = try lab.spawn("client", .lineClient(behaviour: .plain))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   "
                + "client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [client], program: program)
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let client = cast.role("client"), let program = cast.program else { return }
        let port = lab.server.port
        let label = CheckRole.server.label
        lab.pause("the client sends a line and reads the answer")
        client.send("hello")
        try lab.awaitStep("client", "to read the answer", within: lab.options.timeout) { $0.call == "recv" }
        // A server that closes after its answer (the once-server) closes first by itself: bounded.
        lab.awaitSegment("your server's FIN, if it closes by itself", within: FinExchange.window) { $0.sourcePort == port && $0.flags.contains(.fin) }
        lab.flush()

        lab.pause("your server is stopped with SIGINT, as Ctrl-C would; its kernel closes what it still holds")
        lab.log.note("lab     stops your server with SIGINT (as Ctrl-C would)")
        cast.student.process.signalGroup(SIGINT)
        try lab.awaitEnd(label, within: lab.options.timeout)
        lab.awaitSegment("your server's FIN", within: FinExchange.window) { $0.sourcePort == port && $0.flags.contains(.fin) }
        let before = lab.log.snapshot.segments.count
        client.closeCommands()
        try lab.waitForEnd("client")
        lab.awaitFinAndAck(fromServer: false, "the client", after: before)
        let labels = ReuseAddr.labels(port: port)
        lab.recordSockets(ReuseAddr.Moment.oldExited, labels: labels)
        lab.flush()

        lab.pause("your server is started again at once, on the same port")
        let restarted = try lab.spawnStudent(program, as: .server, label: Self.restartLabel)
        // Neutral: it listens, or ends; which one is what the claims judge.
        _ = try? lab.log.poll(for: "your restarted server to listen or end", timeout: lab.options.timeout, interval: 0.01) { () -> Bool? in
            if ProcessTable.hasExited(restarted.process.pid) { return false }
            let table = try? SocketTable.read(port: port, owners: false)
            return table?.entries.contains { $0.state == .listen && $0.localPort == port } == true ? true : nil
        }
        // An ended program's last lines (its traceback) are in once its pipes have closed.
        try lab.awaitEnd(Self.restartLabel, within: ProcessTable.hasExited(restarted.process.pid) ? FinExchange.window : 0)
        lab.recordSockets(ReuseAddr.Moment.afterBind, labels: labels)
        lab.flush()
        restarted.process.signalGroup(SIGINT)
        try lab.awaitEnd(Self.restartLabel, within: FinExchange.window)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let port = lab.server.port
        return [Self.serverSideTimeWait(observation, port: port), Self.restartListens(observation, port: port)]
    }

    private static func timeWait(_ snapshot: SocketSnapshot?, port: UInt16) -> SocketEntry? {
        snapshot?.table.entries.first { $0.localPort == port && $0.state == .timeWait }
    }

    static func serverSideTimeWait(_ observation: Observation, port: UInt16) -> Claim {
        let evidence = CloseEvidence(observation, serverPort: port)
        return Claim.check("server-side-time-wait", "the server's side closed first, so it went to TIME_WAIT, which still held the port after the server had ended", {
            guard let fin = evidence.fin(fromServer: true) else { return .failure(Unseen("no FIN from the server")) }
            if let clientFin = evidence.fin(fromServer: false), clientFin.number < fin.number {
                return .failure(Unseen("the client's FIN #\(clientFin.number) came before the server's #\(fin.number): TIME_WAIT is on the client's side"))
            }
            guard let after = observation.sockets(at: ReuseAddr.Moment.oldExited) else { return .failure(Unseen("no table after the server ended")) }
            guard let end = observation.end(of: CheckRole.server.label), end.time <= after.time else {
                return .failure(Unseen("your server had not ended when the table was read (it did not stop on SIGINT)"))
            }
            guard let entry = timeWait(after, port: port) else { return .failure(Unseen(after.summary)) }
            if let listener = after.table.entries.first(where: { $0.state == .listen }) {
                return .failure(Unseen("a listener \(listener.local) was still there"))
            }
            return .success("the server's FIN #\(fin.number) first; your server \(end.termination); /proc/net/tcp: \(entry.local) -> \(entry.remote) TIME_WAIT \(entry.timer.ssText), no listener")
        }())
    }

    static func restartListens(_ observation: Observation, port: UInt16) -> Claim {
        Claim.check("restart-listens", "started again at once, the server listened on the port beside the TIME_WAIT entry: its bind() succeeded (SO_REUSEADDR before bind(), in both runs)", {
            let steps = observation.steps(of: restartLabel)
            let bind = steps.first { $0.call == "bind" && !$0.isNote }
            guard let snapshot = observation.sockets(at: ReuseAddr.Moment.afterBind) else { return .failure(Unseen("no table after the restart")) }
            guard let entry = timeWait(snapshot, port: port) ?? timeWait(observation.sockets(at: ReuseAddr.Moment.oldExited), port: port) else {
                return .failure(Unseen("no TIME_WAIT entry held the port at the restart"))
            }
            guard let listener = snapshot.table.entries.first(where: { $0.state == .listen && $0.localPort == port }) else {
                let traced = bind.map { "its \($0.display); " } ?? ""
                let last = steps.last { $0.call == RoleStep.standardErrorCall }.map { " (its last line: \($0.printedLine))" } ?? ""
                let end = observation.end(of: restartLabel).map { "it \($0.termination)" } ?? "it was still running"
                return .failure(Unseen("\(traced)no listener on port \(port) while \(entry.local) -> \(entry.remote) was in TIME_WAIT: \(end)\(last)"))
            }
            return .success((bind.map { "\($0.display); " } ?? "") + "/proc/net/tcp: \(listener.local) LISTEN beside \(entry.local) -> \(entry.remote) TIME_WAIT")
        }())
    }
}

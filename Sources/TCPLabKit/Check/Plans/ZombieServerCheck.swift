import Glibc

/// `tcplab check zombie --variant waitpid-handler --server -- CMD` (or `sigchld-ignore`): the
/// student's fork-per-connection server serves the lab's clients, which connect, each send a line,
/// read the answer and leave. The process table with every client connected shows a child per
/// client; the one after the clients left must show no zombie: each child reaped. And each
/// connection must end whole: once a client has closed its side, the server's FIN reaches it (a
/// parent that keeps its copy of the accepted socket leaves the server's side in CLOSE_WAIT).
struct ZombieServerCheck: CheckPlan {
    let scenario: Zombie
    var role: CheckRole { .server }

    init(variant: Zombie.Variant) { scenario = Zombie(variant: variant) }

    var task: String {
        switch scenario.variant {
        case .sigchldIgnore: "your fork server ignores SIGCHLD: a child per client, and no zombie after the clients leave"
        default: "your fork server reaps its children (SIGCHLD handler, waitpid loop): a child per client, no zombie after the clients leave"
        }
    }

    var judging: [String: ClaimJudging] {
        let served = ClaimJudging.replaced(by: ["each-client-answered", "fork-per-connection"],
                                           because: "it reads the lab server's reports of its forks and its children's recv()")
        let reaped = ClaimJudging.replaced(by: ["children-reaped"], because: "it reads the lab server's reports of its waitpid() or signal() calls")
        let noZombie = ClaimJudging.replaced(by: ["no-zombie-after-clients-left"],
                                             because: "it takes the role's pid for the server's, which is strace's when traced")
        switch scenario.variant {
        case .sigchldIgnore: return ["each-client-served": served, "sigchld-ignored": reaped, "no-zombie-ever": noZombie]
        default: return ["each-client-served": served, "handler-reaps-each": reaped, "no-zombie-remains": noZombie]
        }
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        var clients: [RoleProcess] = []
        // One at a time, so that client N is the capture's Nth connection.
        for number in 1...(lab.options.clients ?? 3) {
            let client = try lab.spawn("client \(number)", .lineClient(behaviour: .plain))
            let connected = try lab.waitForStep(client.label, "to connect") { $0.call == "connect" }
            if let error = connected.failure { throw LabError.role("\(client.label): connect \(lab.server.description) failed: \(error)") }
            try lab.waitForSegment("\(client.label)'s handshake") {
                $0.destinationPort == lab.server.port && $0.flags == .ack && connected.local?.hasSuffix(":\($0.sourcePort)") == true
            }
            clients.append(client)
        }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   "
                + "\(clients.count) clients (pids \(clients.map { String($0.pid) }.joined(separator: ", ")))   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: clients)
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let server = cast.student.programPID else { return }
        let count = cast.roles.count
        // A fork server has forked for every connection by now; how many children there are is for the claims.
        lab.awaitProcesses("your server to fork for each client", within: lab.options.timeout, root: server, also: []) { table in
            table.filter { $0.parentPID == server }.count >= count
        }
        let connected = lab.recordProgramProcesses(CheckMoment.whileClientsConnected, root: server, also: [], roles: Self.roles(server))
        let children = connected.rows.map(\.process).filter { $0.parentPID == server }.map(\.pid)
        for (index, client) in cast.roles.enumerated() {
            client.send("hello from client \(index + 1)")
            try lab.awaitStep(client.label, "to read its answer", within: lab.options.timeout) { $0.call == "recv" }
        }
        for client in cast.roles {
            client.closeCommands()
            try lab.waitForEnd(client.label)
        }
        // Each child ends once its client has gone: a zombie or gone from /proc, which the claims tell apart.
        lab.awaitProcesses("the children to exit", within: lab.options.timeout, root: server, also: children) { table in
            children.allSatisfy { child in table.first { $0.pid == child }.map(\.isZombie) ?? true }
        }
        lab.recordProgramProcesses(Zombie.Moment.afterClientsLeft, root: server, also: children, roles: Self.roles(server))
        // The server's side closes when its last descriptor of the socket does: bounded, the claim judges it.
        let port = lab.server.port
        _ = try lab.awaitObservation("the server's FIN to every client", within: Self.finWindow) { observation in
            observation.segments.filter { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }.count >= count ? true : nil
        }
        lab.recordSockets(Zombie.Moment.afterClientsLeft, labels: lab.sideLabels)
    }

    /// How long the lab watches for the server's FINs once the children have exited.
    static let finWindow = 1.0

    static func roles(_ server: Int32) -> (ProcessStat) -> String {
        { $0.pid == server ? "server (your program)" : $0.parentPID == server ? "server child" : "?" }
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ZombieServerEvidence(observation)
        return [evidence.eachClientAnswered(), evidence.forkPerConnection(), evidence.childrenReaped(), evidence.noZombie(),
                evidence.connectionsClosed(port: lab.server.port)]
    }
}

/// The zombie story seen from outside a student's fork server: the lab clients' answers and the process tables.
struct ZombieServerEvidence {
    let observation: Observation
    let program: ProgramEvidence
    let server: Int32?
    let clients: [String]
    /// The children the table showed while every client was connected.
    let children: [Int32]

    init(_ observation: Observation) {
        self.observation = observation
        program = ProgramEvidence(observation, .server)
        server = program.pid
        clients = observation.pids.keys.filter { $0.hasPrefix("client ") }.sorted { Int($0.dropFirst(7)) ?? 0 < Int($1.dropFirst(7)) ?? 0 }
        let server = program.pid
        children = observation.processes(at: CheckMoment.whileClientsConnected)?.rows.map(\.process)
            .filter { $0.parentPID == server && $0.pid != server }.map(\.pid) ?? []
    }

    private func list(_ pids: [Int32]) -> String { pids.map(String.init).joined(separator: ", ") }

    func eachClientAnswered() -> Claim {
        Claim.check("each-client-answered", "each client got an answer to its line", {
            guard !clients.isEmpty else { return .failure(Unseen("no client ran")) }
            var answers: [String] = []
            for client in clients {
                guard let reply = observation.steps(of: client).first(where: { $0.call == "recv" }) else {
                    return .failure(Unseen("\(client) read no answer"))
                }
                guard (reply.returnValue ?? 0) > 0 else { return .failure(Unseen("\(client) \(reply.display)")) }
                answers.append("\(client) \(reply.display)")
            }
            return .success(answers.joined(separator: ", "))
        }())
    }

    func forkPerConnection() -> Claim {
        Claim.check("fork-per-connection", "with every client connected, the server had a child process per client", {
            guard let server, let table = observation.processes(at: CheckMoment.whileClientsConnected) else {
                return .failure(Unseen("no process table while the clients were connected"))
            }
            guard children.count == clients.count else {
                return .failure(Unseen("\(clients.count) clients but server \(server) had \(children.count) children" + (children.isEmpty ? "" : ": \(list(children))")))
            }
            let forks = program.calls.filter { $0.call == "fork" && $0.role == CheckRole.server.label && ($0.returnValue ?? 0) > 0 }.count
            return .success("server \(server), children \(list(children)) (\(table.rows.count) rows)" + (program.traced ? "; \(forks) fork() calls traced" : ""))
        }())
    }

    func childrenReaped() -> Claim {
        Claim.check("children-reaped", "after the clients left, each child had exited and been reaped: gone from /proc", {
            guard !children.isEmpty else { return .failure(Unseen("the server had no children to reap")) }
            guard let table = observation.processes(at: Zombie.Moment.afterClientsLeft) else {
                return .failure(Unseen("no process table after the clients left"))
            }
            // Every child either table showed: those seen while the clients were connected, and any
            // child of the server's in the later table (forked after the first was read).
            let later = table.rows.map(\.process).filter { $0.parentPID == server && $0.pid != server && !children.contains($0.pid) }
            let left = children.compactMap { table.row($0)?.process } + later
            guard left.isEmpty else {
                return .failure(Unseen("still in /proc: " + left.map { "\($0.pid) \($0.state) ppid \($0.parentPID) \($0.displayCommand)" }.joined(separator: ", ")))
            }
            let waits = program.calls.filter { $0.call.hasPrefix("wait") && children.contains(Int32($0.returnValue ?? 0)) }
            return .success("children \(list(children)) gone" + (waits.isEmpty ? "" : "; " + waits.map(\.display).joined(separator: ", ")))
        }())
    }

    func noZombie() -> Claim {
        Claim.check("no-zombie-after-clients-left", "no zombie (state Z, <defunct>) was left after the clients left", {
            guard let server, let table = observation.processes(at: Zombie.Moment.afterClientsLeft) else {
                return .failure(Unseen("no process table after the clients left"))
            }
            let zombies = table.rows.map(\.process).filter(\.isZombie)
            guard zombies.isEmpty else {
                return .failure(Unseen("zombies: " + zombies.map { "\($0.pid) Z ppid \($0.parentPID) \($0.displayCommand)" }.joined(separator: ", ")))
            }
            return .success("\(table.rows.count) row(s), none in state Z; server \(server) \(table.row(server)?.process.state ?? "gone")")
        }())
    }

    func connectionsClosed(port: UInt16) -> Claim {
        Claim.check("connections-closed", "after each client closed its side, the server's side closed too: its FIN reached every client, no socket left in CLOSE_WAIT", {
            guard !clients.isEmpty else { return .failure(Unseen("no client ran")) }
            // FINs the lab's teardown draws out of a server that kept the sockets do not count.
            guard let snapshot = observation.sockets(at: Zombie.Moment.afterClientsLeft) else {
                return .failure(Unseen("no socket table after the clients left"))
            }
            let table = snapshot.table
            var closed: [String] = []
            for client in clients {
                guard let local = observation.steps(of: client).first(where: { $0.call == "connect" })?.local,
                      let clientPort = local.split(separator: ":").last.flatMap({ UInt16($0) }) else {
                    return .failure(Unseen("\(client) never connected"))
                }
                guard let fin = observation.segments.first(where: {
                    $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && $0.segment.flags.contains(.fin) && $0.time <= snapshot.time
                }) else {
                    let left = table.entries.first { $0.localPort == port && $0.remotePort == clientPort }
                    // An RST instead of the FIN (SO_LINGER 0, or data left unread at close()) is why: named.
                    if let reset = observation.segments.first(where: {
                        $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && $0.segment.flags.contains(.rst)
                    }) {
                        return .failure(Unseen("no FIN from the server to \(client) (port \(clientPort)): its RST #\(reset.number) reset the connection instead"
                            + " (SO_LINGER 0, or data left unread at close())"))
                    }
                    return .failure(Unseen("no FIN from the server to \(client) (port \(clientPort))"
                        + " by the time the table was read after the clients left"
                        + (left.map { "; the server's side of it was still \($0.state.name)" } ?? "") + ": a process still held the socket"))
                }
                closed.append("\(client) FIN #\(fin.number)")
            }
            return .success(closed.joined(separator: ", "))
        }())
    }
}

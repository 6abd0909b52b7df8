/// `tcplab check concurrency --variant epoll --server -- CMD` (or `poll`): the student's echo
/// server and N lab clients at once (`--clients`, default 3). Client 1 is answered once and then
/// stays connected and idle while the others send their first line: a server that answers them
/// meanwhile serves clients at once (observed overlap, in the capture). Then every client sends
/// its lines in rounds and leaves; /proc/PID/task and the process table, read with every client
/// connected and after they left, show one process with one thread.
struct ConcurrencyServerCheck: CheckPlan {
    let scenario: Concurrency
    var role: CheckRole { .server }

    init(variant: Concurrency.Variant) { scenario = Concurrency(variant: variant) }

    var task: String { "your single-threaded \(scenario.variant.rawValue) echo server serves every client at once: overlap seen, one process, one thread" }

    var judging: [String: ClaimJudging] {
        [
            "all-served": .replaced(by: ["all-answered"], because: "it expects the lab server's upper-cased answers"),
            "served-concurrently": .replaced(by: ["overlap-observed"], because: "it looks for the lab server's upper-cased answers in the capture"),
            "single-thread": .fromOutside,
        ]
    }

    /// How long the lab gives the server to answer one round (a traced Python server is slower than the lab's own).
    static let answerWindow = 2.0

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        var clients: [RoleProcess] = []
        for index in 1...(lab.options.clients ?? Concurrency.defaultClients) {
            let label = Concurrency.label(index)
            let client = try lab.spawn(label, .concurrencyClient)
            client.send("connect")
            let connected = try lab.waitForStep(label, "to connect") { $0.call == "connect" }
            if let error = connected.failure { throw LabError.role("\(label): connect \(lab.server.description) failed: \(error)") }
            clients.append(client)
        }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   "
                + "\(clients.count) clients   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: clients)
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let server = cast.student.programPID else { return }
        let clients = cast.roles
        let count = clients.count
        func exchange(_ index: Int, _ number: Int) {
            clients[index - 1].send("send \(Concurrency.line(index, number))")
            clients[index - 1].send("recv")
        }
        /// Whether each client in `indices` got its answer number `replies`, all within one window.
        func replies(_ indices: [Int], _ replies: Int) throws(LabError) -> Bool {
            try lab.awaitObservation("answer \(replies) for clients \(indices)", within: Self.answerWindow) { observation in
                indices.allSatisfy { index in
                    observation.steps(of: Concurrency.label(index)).filter { $0.call == "reply" }.count >= replies
                } ? true : nil
            } != nil
        }
        exchange(1, 1)
        var answered = try replies([1], 1)
        if answered, count >= 2 {
            // Client 1 now idles, connected; whether the others are answered meanwhile is for the claims.
            for index in 2...count { exchange(index, 1) }
            answered = try replies(Array(2...count), 1)
        }
        lab.recordSockets(Concurrency.Moment.allConnected, labels: lab.sideLabels)
        lab.recordCensus(Concurrency.Moment.allConnected, pid: server)
        if answered {
            for number in 2...Concurrency.lines {
                for index in 1...count { exchange(index, number) }
                guard try replies(Array(1...count), number) else { break }
            }
        }
        for client in clients { client.send("close") }
        for client in clients { try lab.awaitEnd(client.label, within: Self.answerWindow) }
        let port = lab.server.port
        try lab.awaitObservation("the server's FIN to every client", within: Self.answerWindow) { observation in
            observation.segments.filter { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }.count >= count ? true : nil
        }
        lab.recordSockets(Concurrency.Moment.afterEveryoneLeft, labels: lab.sideLabels)
        lab.recordCensus(Concurrency.Moment.afterEveryoneLeft, pid: server)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ConcurrencyServerEvidence(observation, port: lab.server.port, clients: lab.clients ?? Concurrency.defaultClients)
        return [evidence.allAnswered(), evidence.overlapObserved()]
    }
}

/// The concurrency story seen from outside a student's server: the lab clients' replies and the capture.
struct ConcurrencyServerEvidence {
    let observation: Observation
    let port: UInt16
    let count: Int

    init(_ observation: Observation, port: UInt16, clients: Int) {
        self.observation = observation
        self.port = port
        count = clients
    }

    private func clientPort(_ index: Int) -> UInt16? {
        observation.steps(of: Concurrency.label(index)).first { $0.call == "connect" }?.local
            .flatMap { $0.split(separator: ":").last }.flatMap { UInt16($0) }
    }

    private func text(_ segment: CapturedSegment) -> String { String(decoding: segment.segment.payload, as: UTF8.self).lowercased() }

    /// The first segment from the server to client `index` carrying its line `number`, in any case.
    private func answer(_ index: Int, _ number: Int) -> CapturedSegment? {
        guard let clientPort = clientPort(index) else { return nil }
        let line = Concurrency.line(index, number).lowercased()
        return observation.segments.first {
            $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && text($0).contains(line)
        }
    }

    func allAnswered() -> Claim {
        Claim.check("all-answered", "every client got every line it sent echoed back, in order", {
            var total = 0
            for index in 1...count {
                let label = Concurrency.label(index)
                let sent = observation.steps(of: label).filter { $0.call == "send" }.compactMap { $0.data.map { String($0.dropLast()) } }
                let replies = observation.steps(of: label).filter { $0.call == "reply" }.map { String($0.text.dropFirst("reply: ".count)) }
                guard sent.count >= Concurrency.lines else { return .failure(Unseen("\(label) sent \(sent.count) line(s)")) }
                guard replies.map({ $0.lowercased() }) == sent.map({ $0.lowercased() }) else {
                    return .failure(Unseen("\(label) sent \(sent) and got back \(replies)"))
                }
                total += sent.count
            }
            return .success("\(count) client(s), \(total) lines, each echoed")
        }())
    }

    func overlapObserved() -> Claim {
        Claim.check("overlap-observed", "while client 1 held its connection open and idle (answered once, not closed), the server answered every other client: it served them at once", {
            guard count > 1 else { return .success("one client: nothing to overlap") }
            guard let port1 = clientPort(1), let first = answer(1, 1) else { return .failure(Unseen("no answer to client 1's line 1 in the capture")) }
            let until = observation.segments.first {
                $0.number > first.number && $0.segment.sourcePort == port1 && $0.segment.destinationPort == port
                    && (!$0.segment.payload.isEmpty || $0.segment.flags.contains(.fin) || $0.segment.flags.contains(.rst))
            }
            let gap = "client 1 idle from its answer #\(first.number) to " + (until.map { "its next segment #\($0.number)" } ?? "the end of the capture")
            var parts: [String] = []
            for index in 2...count {
                guard let reply = answer(index, 1) else { return .failure(Unseen("client \(index)'s line 1 was never answered; \(gap)")) }
                guard reply.number > first.number, reply.number < (until?.number ?? .max) else {
                    return .failure(Unseen("client \(index)'s answer #\(reply.number) came outside client 1's idle time: \(gap)"))
                }
                parts.append("client \(index) answered #\(reply.number)")
            }
            return .success("\(gap); meanwhile " + parts.joined(separator: ", "))
        }())
    }
}

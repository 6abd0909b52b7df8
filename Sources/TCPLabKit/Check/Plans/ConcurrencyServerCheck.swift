/// `tcplab check concurrency --variant epoll --server -- CMD` (or `fork`, `thread`, `select`,
/// `poll`, `epoll-et`): the student's echo server and N lab clients at once (`--clients`, default
/// 3). Client 1 is answered once and then stays connected and idle while the others send their
/// first line: a server that answers them meanwhile serves clients at once (observed overlap, in
/// the capture). Then every client sends its lines in rounds and leaves; /proc/PID/task and the
/// process table, read with every client connected and after they left, show the model's
/// processes and threads: one of each for the multiplexing servers, a child per client for `fork`,
/// a thread per client for `thread`. For `epoll-et`, client 1 then sends one line longer than a
/// 1024-byte read, which an edge-triggered server must read until EAGAIN to answer whole.
/// For `select`, `poll`, `epoll` and `epoll-et`, the server's traced calls (strace) must include
/// the variant's readiness call (`ReadinessCall`); without strace that is not judged, and said so.
struct ConcurrencyServerCheck: CheckPlan {
    let scenario: Concurrency
    var role: CheckRole { .server }

    init(variant: Concurrency.Variant) { scenario = Concurrency(variant: variant) }

    var task: String {
        switch scenario.variant {
        case .fork: "your fork-per-connection echo server serves every client at once: overlap seen, a child per client, none left after"
        case .thread: "your thread-per-connection echo server serves every client at once: overlap seen, a thread per client in one process"
        case .epollET: "your edge-triggered epoll echo server serves every client at once with one thread, and answers a line longer than one read whole"
        default: "your single-threaded \(scenario.variant.rawValue) echo server serves every client at once: overlap seen, one process, one thread"
        }
    }

    var judging: [String: ClaimJudging] {
        var judging: [String: ClaimJudging] = [
            "all-served": .replaced(by: ["all-answered"], because: "it expects the lab server's upper-cased answers"),
            "served-concurrently": .replaced(by: ["overlap-observed"], because: "it looks for the lab server's upper-cased answers in the capture"),
        ]
        switch scenario.variant {
        case .fork:
            judging["process-per-client"] = .fromOutside
            judging["children-reaped"] = .replaced(by: ["no-children-left"], because: "it reads the lab server's reports of its waitpid() calls")
        case .thread:
            judging["thread-per-client"] = .fromOutside
            judging["threads-end"] = .fromOutside
        case .select:
            judging["single-thread"] = .fromOutside
            judging["fd-setsize-refused"] = .replaced(by: [], because: "it opens 1020 descriptors in the lab's own server before a late client; a check does not ask that of yours")
        case .epollET:
            judging["single-thread"] = .fromOutside
            judging["et-drains"] = .replaced(by: ["long-line-answered"], because: "it reads the lab server's reports of its recv() calls")
        default:
            judging["single-thread"] = .fromOutside
        }
        return judging
    }

    /// Client 1's long line for `epoll-et`: longer than the 1024-byte read of the posts' servers.
    static let longLine = Concurrency.longLine + " " + String(repeating: "x", count: 3000)

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
        if answered, scenario.variant == .epollET { try longLine(lab, clients[0]) }
        for client in clients { client.send("close") }
        for client in clients { try lab.awaitEnd(client.label, within: Self.answerWindow) }
        let port = lab.server.port
        try lab.awaitObservation("the server's FIN to every client", within: Self.answerWindow) { observation in
            observation.segments.filter { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }.count >= count ? true : nil
        }
        awaitWorkersEnd(lab, server: server, children: lab.log.snapshot.census(at: Concurrency.Moment.allConnected)?.children ?? [])
        lab.recordSockets(Concurrency.Moment.afterEveryoneLeft, labels: lab.sideLabels)
        lab.recordCensus(Concurrency.Moment.afterEveryoneLeft, pid: server)
    }

    /// A child exits, and a thread ends, a moment after its FIN: the lab waits (bounded) for each
    /// child seen with every client connected to exit (a zombie or gone: the claims tell them
    /// apart) and, for `thread`, for the workers to end (the claim judges how many remain).
    private func awaitWorkersEnd(_ lab: LabRun, server: Int32, children: [Int32]) {
        switch scenario.variant {
        case .fork where !children.isEmpty:
            lab.awaitProcesses("your server's children to exit", within: Self.answerWindow, root: server, also: children) { table in
                children.allSatisfy { child in table.first { $0.pid == child }.map(\.isZombie) ?? true }
            }
        case .thread:
            _ = try? lab.log.poll(for: "your server's worker threads to end", timeout: Self.answerWindow) {
                (ProcText.directoryEntries(path: "/proc/\(server)/task")?.count ?? 0) <= 1 ? true : nil
            }
        default:
            break
        }
    }

    /// Edge-triggered epoll: client 1 sends a line longer than one read and only then, whether
    /// or not it was answered whole (bounded: the claims judge it), one more. Client 1 reads the
    /// answers only when the long one came whole, so that it still takes the `close` command.
    private func longLine(_ lab: LabRun, _ client: RoleProcess) throws(LabError) {
        let port = lab.server.port
        let before = lab.log.snapshot.segments.count
        client.send("send \(Self.longLine)")
        let whole = try lab.awaitObservation("the answer to client 1's long line", within: Self.answerWindow) { observation in
            ConcurrencyServerEvidence.bytesAnswering(Self.longLine, in: observation, after: before, port: port) > Self.longLine.count ? true : nil
        } != nil
        lab.recordSockets(Concurrency.Moment.afterLongLine, labels: lab.sideLabels)
        client.send("send \(Concurrency.line(1, 5))")
        guard whole else { return }
        client.send("recv")
        client.send("recv")
        try lab.awaitObservation("client 1's answers to its long line and the next", within: Self.answerWindow) { observation in
            observation.steps(of: client.label).filter { $0.call == "reply" }.count >= Concurrency.lines + 2 ? true : nil
        }
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ConcurrencyServerEvidence(observation, port: lab.server.port, clients: lab.clients ?? Concurrency.defaultClients)
        var claims = [evidence.allAnswered(), evidence.overlapObserved()]
        switch scenario.variant {
        case .fork: claims.append(evidence.noChildrenLeft())
        case .epollET: claims.append(evidence.longLineAnswered(Self.longLine))
        default: break
        }
        if let readiness, ProgramEvidence(observation, .server).traced { claims.append(evidence.waitsIn(readiness)) }
        return claims
    }

    /// The call a server of this variant waits in, nil for `fork` and `thread`.
    var readiness: ReadinessCall? { ReadinessCall(scenario.variant) }

    func notJudged(_ observation: Observation) -> [String] {
        guard let readiness, !ProgramEvidence(observation, .server).traced else { return [] }
        return ["whether your server waits in \(readiness.names) could not be checked: its calls were not traced (strace not installed, or --no-trace)"]
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
                    return .failure(Unseen("\(label) sent \(Self.lines(sent)) and got back \(Self.lines(replies))"))
                }
                total += sent.count
            }
            return .success("\(count) client(s), \(total) lines, each echoed")
        }())
    }

    /// `["client 1 line 1", "client 1 line 4 is longer than o"… (3041 bytes)]`: lines as evidence, long ones cut.
    static func lines(_ lines: [String]) -> String {
        "[" + lines.map { $0.count > 40 ? quoted(String($0.prefix(32))) + "… (\($0.utf8.count) bytes)" : quoted($0) }.joined(separator: ", ") + "]"
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

extension ConcurrencyServerEvidence {
    /// How many bytes the server sent client 1 in segments after the first `before` segments,
    /// counted from the segment that carried the start of `line` from client 1.
    static func bytesAnswering(_ line: String, in observation: Observation, after before: Int, port: UInt16) -> Int {
        let prefix = Array(line.utf8.prefix(16))
        guard let sent = observation.segments.dropFirst(before).first(where: {
            $0.segment.destinationPort == port && Array($0.segment.payload.prefix(16)) == prefix
        }) else { return 0 }
        let client = sent.segment.sourcePort
        return observation.segments.filter { $0.number > sent.number && $0.segment.sourcePort == port && $0.segment.destinationPort == client }
            .reduce(0) { $0 + $1.segment.payload.count }
    }

    func noChildrenLeft() -> Claim {
        Claim.check("no-children-left", "after every client left, each child had exited and been reaped: no child left, none defunct", {
            guard let during = observation.census(at: Concurrency.Moment.allConnected), let after = observation.census(at: Concurrency.Moment.afterEveryoneLeft) else {
                return .failure(Unseen("no /proc census before and after"))
            }
            guard !during.children.isEmpty else { return .failure(Unseen("the server had no children to reap")) }
            guard after.children.isEmpty, after.defunct == 0 else {
                return .failure(Unseen("after every client left: server pid \(after.pid) had \(after.children.count) children "
                    + "(\(after.children.map(String.init).joined(separator: " "))), \(after.defunct) defunct"))
            }
            return .success("/proc: children \(during.children.map(String.init).joined(separator: " ")) with all clients connected; none after they left")
        }())
    }

    /// `line` is client 1's long line (`ConcurrencyServerCheck.longLine`).
    func longLineAnswered(_ line: String) -> Claim {
        let size = line.utf8.count + 1
        return Claim.check("long-line-answered", "client 1's line of \(size) bytes (more than one 1024-byte read) was answered whole before client 1 sent more, with nothing left in the server's Recv-Q", {
            let prefix = Array(line.utf8.prefix(16))
            guard let long = observation.segments.first(where: { $0.segment.destinationPort == port && Array($0.segment.payload.prefix(16)) == prefix }) else {
                return .failure(Unseen("client 1's long line never went out"))
            }
            let client = long.segment.sourcePort
            let nextLine = Array(Concurrency.line(1, 5).utf8)
            let next = observation.segments.first {
                $0.number > long.number && $0.segment.sourcePort == client && $0.segment.destinationPort == port
                    && Array($0.segment.payload.prefix(nextLine.count)) == nextLine
            }
            let answered = observation.segments.filter {
                $0.number > long.number && $0.number < (next?.number ?? .max) && $0.segment.sourcePort == port && $0.segment.destinationPort == client
            }.reduce(0) { $0 + $1.segment.payload.count }
            let nextText = next.map { "client 1's next line #\($0.number)" } ?? "the end of the capture"
            let entry = observation.sockets(at: Concurrency.Moment.afterLongLine)?.table.entries.first {
                $0.localPort == port && $0.remotePort == client
            }
            let queue = entry.map { "Recv-Q \($0.receiveQueue) on your server's side" } ?? "no socket snapshot of client 1's connection"
            guard answered >= size else {
                return .failure(Unseen("only \(answered) of \(size) bytes came back before \(nextText); \(queue): the rest waited unread"))
            }
            guard let entry, entry.receiveQueue == 0 else { return .failure(Unseen("\(answered) bytes answered, but \(queue)")) }
            return .success("\(answered) bytes answered before \(nextText); Recv-Q 0 while client 1 waited")
        }())
    }
}

import Glibc

/// `tcplab check io-models --variant blocking|nonblocking|multiplexing --server -- CMD`: the
/// lab's client connects, pauses 300 ms and sends "ping"; the student's server waits for it in
/// the variant's way. The lab reads the program's /proc/PID/stat and wchan every ~20 ms until
/// the data segment (`LabRun.recordActivity`, the scenario's own evidence): blocking and
/// multiplexing must be asleep (state S, ~no CPU) in the right kind of wait, nonblocking must spin
/// (state R, CPU time growing). Then it must read the message and close: its FIN, not an RST.
///
/// The program runs without strace here: a spinning loop would make strace write a line per
/// recv() (hundreds of thousands) and stop the program at each call, which changes the very
/// /proc readings judged. So the claims that read the lab server's reports of its calls are
/// replaced by what the capture and /proc show.
struct IOModelsServerCheck: CheckPlan {
    let scenario: IOModels
    var role: CheckRole { .server }

    init(variant: IOModels.Variant) { scenario = IOModels(variant: variant) }

    var task: String {
        switch scenario.variant {
        case .nonblocking: "your server spins on a non-blocking socket until the client's message comes: running (state R), burning CPU; then it reads the message and closes"
        case .multiplexing: "your server sleeps in select/poll/epoll (state S, no CPU time) until the socket is readable; then it reads the message and closes"
        default: "your server sleeps in a blocking recv() (state S, no CPU time) until the client's message comes; then it reads it and closes"
        }
    }

    var judging: [String: ClaimJudging] {
        let read = ["read-after-data"]
        let delivered = ClaimJudging.replaced(by: read, because: "it reads the lab server's report of its recv()")
        switch scenario.variant {
        case .nonblocking:
            return ["eagain": .replaced(by: read, because: "it counts the lab server's reports of its EAGAIN returns; traced, a spinning loop would write a line per call, so your program runs untraced and its loop is judged by its state and CPU time (burning-cpu)"),
                    "burning-cpu": .fromOutside, "delivered": delivered]
        case .multiplexing:
            return ["asleep": .fromOutside,
                    "returns-after-data": .replaced(by: ["sleeps-in"] + read, because: "it reads the lab server's reports of its poll() and recv() calls; /proc's wchan names the wait instead"),
                    "recv-no-block": .replaced(by: read, because: "it reads the lab server's report of its recv()"),
                    "delivered": delivered]
        default:
            return ["asleep": .fromOutside,
                    "returns-after-data": .replaced(by: ["sleeps-in"] + read, because: "it reads the lab server's report of its recv(); /proc's wchan names the wait instead"),
                    "delivered": delivered]
        }
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let untraced = StudentProgram(command: program.command, traced: false)
        let student = try lab.startStudentServer(untraced, within: seconds)
        let client = try lab.spawn("client", .pausingClient(pauseMilliseconds: IOModels.pauseMilliseconds, message: IOModels.message))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("your server runs without strace: its calls are not seen, /proc and the capture judge it")
        lab.say("")
        return CheckCast(student: student, roles: [client])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let server = cast.student.programPID else { return }
        let port = lab.server.port
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.flush()
        // The readings start once two reads agree: the program has gone into its wait, whatever it is.
        lab.recordActivity(IOModels.Moment.whileServerWaits, role: CheckRole.server.label, pid: server, within: IOModels.window) {
            $0.destinationPort == port && $0.ipPayloadLength > 0
        }
        lab.flush()
        // How the server's side closes (FIN or RST, or not at all) is for the claims: bounded.
        lab.awaitSegment("the server's FIN or RST", within: IOModels.window) {
            $0.sourcePort == port && ($0.flags.contains(.fin) || $0.flags.contains(.rst))
        }
        lab.recordSockets(CheckMoment.afterServerClosed, labels: lab.sideLabels)
        try lab.awaitEnd("client", within: IOModels.window)
        lab.flush()
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = IOModelsServerEvidence(facts: IOModelsFacts(observation, serverPort: lab.server.port))
        switch scenario.variant {
        case .nonblocking: return [evidence.readAfterData()]
        case .multiplexing: return [evidence.sleepsIn(.readiness), evidence.readAfterData()]
        default: return [evidence.sleepsIn(.socketRead), evidence.readAfterData()]
        }
    }
}

/// The io-models story seen from outside a student's server: its /proc readings and the capture.
struct IOModelsServerEvidence {
    let facts: IOModelsFacts

    /// The kind of kernel wait a sleeping server is in, told by /proc/PID/wchan (the kernel
    /// function it sleeps in; names as on Linux 5.x/6.x).
    enum Wait {
        /// A read on an empty TCP socket: `sk_wait_data` parks the reader in `wait_woken`.
        case socketRead
        /// select(2), poll(2), epoll_wait(2): `do_select`, `do_sys_poll`/`poll_schedule_timeout`,
        /// `do_epoll_wait`/`ep_poll`.
        case readiness

        var text: String {
            switch self {
            case .socketRead: "a read of the socket (wchan wait_woken or sk_wait_data)"
            case .readiness: "a readiness call (wchan of select, poll or epoll_wait)"
            }
        }

        func matches(_ wchan: String) -> Bool {
            switch self {
            case .socketRead: ["wait_woken", "sk_wait_data"].contains(wchan)
            case .readiness: ["select", "poll", "epoll"].contains { wchan.contains($0) }
            }
        }
    }

    func sleepsIn(_ wait: Wait) -> Claim {
        Claim.check("sleeps-in", "while it waited, /proc/PID/wchan showed the server asleep in \(wait.text)", {
            guard facts.data != nil else { return .failure(Unseen("no data segment from the client in the capture")) }
            let readings = facts.waitingReadings
            guard let first = readings.first else { return .failure(Unseen("no /proc readings of the server before the data segment")) }
            let other = readings.filter { !wait.matches($0.wchan) }
            guard other.count * 2 < readings.count else {
                return .failure(Unseen("/proc/\(first.pid): \(IOModelsFacts.states(readings))"))
            }
            return .success("/proc/\(first.pid), \(readings.count) readings: \(IOModelsFacts.states(readings))")
        }())
    }

    func readAfterData() -> Claim {
        Claim.check("read-after-data", "the server read the message and closed the connection cleanly: its FIN came after the data segment, with no RST (a socket closed with bytes unread sends an RST instead, RFC 2525 §2.17)", {
            guard let data = facts.data else { return .failure(Unseen("no data segment from the client in the capture")) }
            let fromServer = facts.observation.segments.filter { $0.segment.sourcePort == facts.serverPort }
            if let reset = fromServer.first(where: { $0.segment.flags.contains(.rst) }) {
                return .failure(Unseen("RST #\(reset.number) from the server \(facts.relative(reset.time)): it closed with the message unread"))
            }
            guard let closed = facts.observation.sockets(at: CheckMoment.afterServerClosed) else {
                return .failure(Unseen("no socket table after the server's close"))
            }
            guard let fin = fromServer.first(where: { $0.segment.flags.contains(.fin) && $0.time <= closed.time }) else {
                return .failure(Unseen("no FIN from the server by \(facts.relative(closed.time)): it never closed the connection"))
            }
            guard fin.time > data.time else { return .failure(Unseen("FIN #\(fin.number) \(facts.relative(fin.time)), before the message")) }
            let answer = fromServer.first { $0.segment.ipPayloadLength > 0 && $0.time > data.time }
            return .success("data #\(data.number), " + (answer.map { "the server's answer #\($0.number), " } ?? "") + "its FIN #\(fin.number) \(facts.relative(fin.time))")
        }())
    }
}

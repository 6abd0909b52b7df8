/// `tcplab check iterative --server -- CMD`: the student's iterative server (accept a client,
/// serve it until it leaves, then accept the next) and the lab's clients A and B, as in the
/// scenario. A connects, sends a line and stays; B connects and sends while A is there. The
/// kernel completes B's handshake and ACKs its data, but the server must not answer B until A
/// has left (the socket table shows B's server side held by no process, its bytes in Recv-Q);
/// once A's FIN is in, the server must go back to accept() and answer B. A server without the
/// outer loop serves A and ends: its listener's close resets B, and the claims say so.
struct IterativeServerCheck: CheckPlan {
    let scenario = Iterative(variant: .default)
    var role: CheckRole { .server }
    var task: String { "your iterative echo server serves one client at a time: B waits unanswered in the accept queue while A stays, and is answered once A leaves" }

    /// How long the lab watches for the server's answer to B once A has left, in seconds (a
    /// Python server under strace on a loaded machine is slower than the lab's own).
    static let answerWindow = 3.0

    var judging: [String: ClaimJudging] {
        [
            "handshake-without-accept": .replaced(by: ["b-handshake-while-a-served"], because: "it reads the lab server's reports of its accept() calls"),
            "data-acked-not-answered": .fromOutside,
            "recv-q-in-accept-queue": .fromOutside,
            "served-after-a-leaves": .replaced(by: ["b-answered-after-a-left"],
                                               because: "it reads the lab server's accept() for B and expects its upper-cased answer"),
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        let clientA = try lab.spawn("client A", .lineClient(behaviour: .plain))
        let connected = try lab.waitForStep("client A", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client A: connect \(lab.server.description) failed: \(error)") }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   "
                + "client A \(connected.local ?? "?") (pid \(clientA.pid))   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [clientA])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let clientA = cast.role("client A") else { return }
        let port = lab.server.port
        let window = Iterative.segmentWindow
        clientA.send(Iterative.lineA)
        // A's answer shows the server has taken A; whether it came is for the claims.
        try lab.awaitStep("client A", "to read the server's answer", within: Self.answerWindow) { $0.call == "recv" }
        lab.flush()

        lab.pause("client B connects while your server is busy with client A")
        let clientB = try lab.spawn("client B", .lineClient(behaviour: .plain))
        let connectedB = try lab.waitForStep("client B", "to connect") { $0.call == "connect" }
        if let error = connectedB.failure { throw LabError.role("client B: connect \(lab.server.description) failed: \(error)") }
        let endpointA = lab.log.snapshot.steps(of: "client A").first { $0.call == "connect" }?.local ?? "?"
        let endpointB = connectedB.local ?? "?"
        let portB = UInt16(endpointB.split(separator: ":").last ?? "") ?? 0
        Iterative.awaitHandshake(of: portB, server: port, in: lab, within: window)
        lab.flush()

        lab.pause("client B sends a line; your server should still be serving client A")
        clientB.send(Iterative.lineB)
        Iterative.awaitDataAcked(from: portB, in: lab, within: window)
        lab.recordSockets(Iterative.Moment.bInAcceptQueue, labels: Iterative.labels(port: port, clientA: endpointA, clientB: endpointB))
        lab.flush()

        lab.pause("client A leaves (closes its socket)")
        let segmentsBefore = lab.log.snapshot.segments.count
        clientA.closeCommands()
        try lab.waitForEnd("client A")
        // Your server's next accept() is not seen from outside: its answer to B (or none) is.
        lab.awaitSegment("your server's answer to client B", within: Self.answerWindow, after: segmentsBefore) {
            $0.sourcePort == port && $0.destinationPort == portB && (!$0.payload.isEmpty || $0.flags.contains(.rst))
        }
        try lab.awaitStep("client B", "to read the answer", within: window) { $0.call == "recv" }
        lab.flush()

        lab.pause("client B leaves too")
        clientB.closeCommands()
        try lab.waitForEnd("client B")
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = IterativeServerEvidence(observation, port: lab.server.port)
        return [evidence.handshakeWhileAServed(), evidence.answeredAfterALeft()]
    }
}

/// The iterative story seen from outside a student's server: the lab clients' connect(), send()
/// and recv() steps, the capture, and the socket table while B waited.
struct IterativeServerEvidence {
    let observation: Observation
    let port: UInt16
    let program: ProgramEvidence
    let endpointA: String?
    let endpointB: String?

    init(_ observation: Observation, port: UInt16) {
        self.observation = observation
        self.port = port
        program = ProgramEvidence(observation, .server)
        endpointA = observation.steps(of: "client A").first { $0.call == "connect" }?.local
        endpointB = observation.steps(of: "client B").first { $0.call == "connect" }?.local
    }

    private static func port(of endpoint: String?) -> UInt16? { endpoint.flatMap { $0.split(separator: ":").last }.flatMap { UInt16($0) } }
    private func fromB(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == Self.port(of: endpointB) && s.segment.destinationPort == port }
    private func toB(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == port && s.segment.destinationPort == Self.port(of: endpointB) }

    /// A's FIN: the moment A left.
    private var finA: CapturedSegment? {
        guard let portA = Self.port(of: endpointA) else { return nil }
        return observation.segments.first { $0.segment.sourcePort == portA && $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
    }

    func handshakeWhileAServed() -> Claim {
        Claim.check("b-handshake-while-a-served",
                    "client B's three-way handshake completed while A was still connected, before the server had accepted B", {
            guard Self.port(of: endpointB) != nil else { return .failure(Unseen("client B never connected")) }
            let found: ClientHandshake
            do throws(Unseen) { found = try ClientHandshake.find(in: observation.segments, of: "client B", fromClient: fromB, toClient: toB) }
            catch { return .failure(error) }
            let ack = found.ack
            let handshake = found.text
            if let fin = finA, fin.number < ack.number {
                return .failure(Unseen("\(handshake) came after A's FIN #\(fin.number): A was gone already"))
            }
            // Whether the program had accepted B is seen in the table read while B waited: its
            // side of B had no file yet (inode 0), or had one (accepted).
            guard let snapshot = observation.sockets(at: Iterative.Moment.bInAcceptQueue),
                  let entry = snapshot.table.entries.first(where: { $0.localPort == port && $0.remote == endpointB }) else {
                return .failure(Unseen("\(handshake); no server-side socket for B in the table read while B waited"))
            }
            guard entry.inode == 0 else {
                return .failure(Unseen("\(handshake); the server had accepted B already: its side of B was held by a process (inode \(entry.inode))"))
            }
            let accepts = program.calls.filter { $0.call == "accept" && $0.isSettled && ($0.returnValue ?? -1) >= 0 && ($0.ended ?? .max) <= ack.time }
            let traced = program.traced ? "; traced: \(accepts.count) accept() returned by then" : ""
            return .success("\(handshake), before A's FIN\(finA.map { " #\($0.number)" } ?? ""); "
                            + "while B waited its server side had no file (inode 0): not accepted\(traced)")
        }())
    }

    func answeredAfterALeft() -> Claim {
        Claim.check("b-answered-after-a-left", "once A had left, the server accepted B and echoed its line: B's answer came after A's FIN", {
            guard let fin = finA else { return .failure(Unseen("client A never sent its FIN")) }
            guard Self.port(of: endpointB) != nil else { return .failure(Unseen("client B never connected")) }
            guard let answer = observation.segments.first(where: { toB($0) && !$0.segment.payload.isEmpty }) else {
                // The lab's teardown stops a server still running: only an exit of its own is said.
                let end = program.end.flatMap { if case .exited = $0.termination { "; your server \($0.termination)" } else { nil } } ?? ""
                if let reset = observation.segments.first(where: { toB($0) && $0.segment.flags.contains(.rst) }) {
                    return .failure(Unseen("no answer to B: RST #\(reset.number) reset B's connection while it waited in the accept queue, "
                                           + "as the kernel does when the listener is closed (accept() not called again)\(end)"))
                }
                return .failure(Unseen("no answer to B after A's FIN #\(fin.number)\(end)"))
            }
            guard answer.number > fin.number else {
                return .failure(Unseen("the answer #\(answer.number) came before A's FIN #\(fin.number)"))
            }
            let recv = observation.steps(of: "client B").first { $0.call == "recv" }
            guard let reply = recv, let data = reply.data, data.lowercased() == Iterative.lineB.lowercased() else {
                return .failure(Unseen("client B's recv() got \(recv?.display ?? "nothing"), not its line \"\(Iterative.lineB)\" back"))
            }
            return .success("A's FIN #\(fin.number), then the answer to B #\(answer.number); client B \(reply.display)")
        }())
    }
}

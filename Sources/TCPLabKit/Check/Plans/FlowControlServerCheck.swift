/// `tcplab check flow-control --server -- CMD` (variant `blocking`): the student's receiver asks
/// for a small receive buffer (SO_RCVBUF before listen(), so that accepted sockets inherit it and
/// the window scale fits it), does not read for a while after accept(), then reads everything
/// until the client's EOF. The lab's client writes `FlowControl.bytes` bytes with one blocking
/// send(), as in the scenario. While the receiver does not read, its window shrinks to 0, the
/// client's send() blocks and its kernel probes; when the receiver reads, its kernel sends a
/// window update and the rest flows. A receiver that reads once and closes (one recv() taken for
/// the whole message) leaves bytes unread: its kernel resets the connection, and the claims say so.
///
/// The receiver must stop reading longer than the lab watches for the zero window and two probes
/// (`FlowControl.segmentWindow` + `FlowControl.probeWindow`, 2.5 s at most; about 1 s on loopback):
/// `slow_receiver.py`'s 2 s do.
struct FlowControlServerCheck: CheckPlan {
    let scenario = FlowControl(variant: .blocking)
    var role: CheckRole { .server }
    var task: String { "your receiver (small SO_RCVBUF before listen()) stops reading for 2 s after accept(), then reads all \(FlowControl.bytes) bytes: the window closes to 0, then reopens and the rest flows" }

    var judging: [String: ClaimJudging] {
        [
            "window-shrinks": .fromOutside, "send-blocked": .fromOutside, "queues-full": .fromOutside, "persist-probes": .fromOutside,
            "window-update": .replaced(by: ["window-reopened"], because: "it times the window update against the lab server's reported recv()"),
            "data-flows": .replaced(by: ["all-data-read"], because: "it reads the lab server's report of its one recv(MSG_WAITALL)"),
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        let port = lab.server.port
        let client = try lab.spawn("client", .flowSender(sendBuffer: FlowControl.sendBuffer, bytes: FlowControl.bytes, blocking: true))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   "
                + "client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("the window column (win) is in bytes: the raw field × 2^wscale from the SYN and SYN-ACK")
        lab.say("")
        return CheckCast(student: student, roles: [client])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        guard let client = cast.role("client") else { return }
        let port = lab.server.port
        let labels = FlowControl.labels(port: port)
        lab.pause("the client writes \(FlowControl.bytes) bytes with one send(); your server should not read yet")
        client.send("send")
        let zero = lab.awaitSegment("your server's window to close", within: FlowControl.segmentWindow) {
            $0.sourcePort == port && $0.window == 0 && !$0.flags.contains(.syn) && !$0.flags.contains(.rst)
        }
        if zero != nil {
            try lab.awaitObservation("two zero-window probes from the client", within: FlowControl.probeWindow) { observation -> Bool? in
                FlowControlFacts(observation, serverPort: port).probesWhileClosed.count >= 2 ? true : nil
            }
        }
        lab.recordSockets(FlowControl.Moment.windowClosed, labels: labels)
        lab.flush()

        lab.pause("your server reads again (when its pause is over)")
        // Its reads are not seen from outside; the client's send() returns once the last byte is in its buffer,
        // and the server's ACK of the last byte (or the end of the connection) is in the capture: bounded, for the claims.
        try lab.awaitStep("client", "to return from send()", within: lab.options.timeout) { $0.call == "send" }
        try lab.awaitObservation("your server's ACK of every byte", within: lab.options.timeout) { observation -> Bool? in
            let facts = FlowControlFacts(observation, serverPort: port)
            let reset = observation.segments.contains { $0.segment.flags.contains(.rst) }
            return reset || facts.acknowledged(by: .max) >= FlowControl.bytes ? true : nil
        }
        lab.recordSockets(FlowControl.Moment.afterRead, labels: labels)
        lab.flush()

        lab.pause("the client closes; your server should read the EOF and close too")
        let before = lab.log.snapshot.segments.count
        try lab.command(client, "close", call: "close", within: FlowControl.segmentWindow)
        client.closeCommands()
        try lab.waitForEnd("client")
        lab.awaitFinAndAck(fromServer: true, "your server", after: before)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let facts = FlowControlFacts(observation, serverPort: lab.server.port)
        let program = ProgramEvidence(observation, .server)
        return [Self.windowReopened(facts, program), Self.allDataRead(facts)]
    }

    static func windowReopened(_ facts: FlowControlFacts, _ program: ProgramEvidence) -> Claim {
        Claim.check("window-reopened", "when the server read again, its kernel opened the window without waiting to be asked: a window update ([TCP Window Update]: the same ACK, a window above 0)", {
            guard let zero = facts.zeroWindow else { return .failure(Unseen("no zero window to open again")) }
            guard let update = facts.windowUpdate else {
                let reset = facts.observation.segments.first { facts.fromServer($0) && $0.segment.flags.contains(.rst) }
                return .failure(Unseen("no segment from the server reopened the window after #\(zero.number)"
                    + (reset.map { "; its RST #\($0.number) ended the connection" } ?? ": it never read again")))
            }
            let read = program.calls.first { $0.call == "recv" && $0.role == CheckRole.server.label && ($0.ended ?? .max) <= update.time }
            return .success("#\(update.number) (\(facts.at(update.time))) repeats the ack of #\(zero.number) with a window of \(facts.windowBytes(update)) bytes"
                + (read.map { "; traced: server \($0.display) before it" } ?? ""))
        }())
    }

    static func allDataRead(_ facts: FlowControlFacts) -> Claim {
        let bytes = FlowControl.bytes
        return Claim.check("all-data-read", "after the window update the rest of the data flowed: the server acknowledged all \(bytes) bytes and read them (its Recv-Q then 0), with no reset", {
            let reset = facts.observation.segments.first { facts.fromServer($0) && $0.segment.flags.contains(.rst) }
            // Data bytes only: the ACK of the client's FIN takes one more sequence number.
            let acknowledged = min(facts.acknowledged(by: .max), facts.bytesSent)
            if let reset {
                let before = min(facts.acknowledged(by: reset.time), facts.bytesSent)
                return .failure(Unseen("the server's RST #\(reset.number) reset the connection after it had acknowledged \(before) of \(bytes) bytes "
                    + "(closed with data unread: one recv() is not one message)"))
            }
            guard let update = facts.windowUpdate else { return .failure(Unseen("no window update")) }
            let after = facts.clientData.filter { $0.number > update.number }
            guard !after.isEmpty else { return .failure(Unseen("no client data after the window update #\(update.number)")) }
            guard acknowledged >= bytes else { return .failure(Unseen("the server acknowledged \(acknowledged) of \(bytes) bytes")) }
            guard let sides = facts.sides(at: .afterRead), let client = sides.client, let server = sides.server else {
                return .failure(Unseen("no table with both sockets once every byte was acknowledged"))
            }
            guard client.sendQueue == 0, server.receiveQueue == 0 else {
                return .failure(Unseen("once every byte was acknowledged: client Send-Q \(client.sendQueue), server Recv-Q \(server.receiveQueue) unread"))
            }
            return .success("\(after.count) data segments after #\(update.number) (#\(after.first!.number) … #\(after.last!.number)); "
                + "\(acknowledged) bytes acknowledged; then client Send-Q 0, server Recv-Q 0")
        }())
    }
}

/// `tcplab check nagle --variant nodelay --client -- CMD`: the student's interactive client sets
/// TCP_NODELAY and sends each character it is typed with its own send(), like keystrokes, to the
/// lab's echo server, over the run's slowed loopback (`Nagle.shaper`, tcp_autocorking off), as
/// in the scenario. It is typed `hello tcp` (one line on its standard input: the characters,
/// without the newline, are the keystrokes); then its input ends and it closes. With TCP_NODELAY
/// every keystroke leaves at once in a one-byte segment of its own, several in flight at a time;
/// with Nagle's algorithm on (no TCP_NODELAY) the later ones wait for the ACK and leave together,
/// and the claims count the segments that say so. The segments are read from the capture; the
/// send() calls are seen only when strace traced the program.
struct NagleClientCheck: CheckPlan {
    let scenario = Nagle(variant: .nodelay)
    var role: CheckRole { .client }
    var task: String { "your interactive client sets TCP_NODELAY and sends each keystroke with its own send(): \"\(Nagle.keystrokes)\" leaves as \(Nagle.keystrokes.utf8.count) one-byte segments, none held back" }

    var judging: [String: ClaimJudging] {
        [
            "echoed": .replaced(by: ["keystrokes-echoed"], because: "it reads the lab client's reports of its send() and recv() calls"),
            "one-per-write": .replaced(by: ["one-segment-per-keystroke"], because: "it counts the lab client's reported send() calls; yours are seen only in the capture (and with strace)"),
            "no-waiting": .fromOutside,
            "acks": .fromOutside,
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        try Nagle.shaper.apply(isolation: lab.isolation)
        try NamespaceSysctl.set("ipv4/tcp_autocorking", "0", isolation: lab.isolation)
        let server = try lab.startServer(.instantEchoServer)
        let student = try lab.startStudentClient(program, within: seconds)
        let port = lab.server.port
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.waitForStep("server", "to accept the connection") { $0.call == "accept" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   your client (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   net: \(lab.isolation.description)")
        lab.say("link: \(Nagle.shaper.description) (netem is not available on this kernel)")
        lab.say("      net.ipv4.tcp_autocorking = 0 in this namespace, so that only Nagle's algorithm holds small writes back")
        lab.say("")
        return CheckCast(student: student, roles: [server])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        let port = lab.server.port
        let text = Nagle.keystrokes
        let count = text.utf8.count
        lab.pause("your client is typed \"\(text)\": it should send each character with its own send()")
        cast.student.process.send(text)
        // The echo of every byte (bounded: a client that sends nothing, or less, is for the claims).
        try Nagle.awaitEcho(of: count, server: port, client: "your client", in: lab, within: lab.options.timeout)
        lab.flush()
        let done = NagleFacts(lab.log.snapshot, serverPort: port)
        lab.say("")
        lab.say("   \(count) keystrokes -> \(done.clientDataLine(from: "your client"))")
        lab.say("")

        lab.pause("your client's input ends: it closes; the echo server closes when it reads the EOF")
        let before = lab.log.snapshot.segments.count
        cast.student.process.closeCommands()
        try lab.awaitEnd(CheckRole.client.label, within: lab.options.timeout)
        if let fin = lab.awaitSegment("your client's FIN", within: Nagle.segmentWindow, after: before, {
            $0.destinationPort == port && $0.flags.contains(.fin)
        }) {
            lab.awaitSegment("the server's ACK of your client's FIN", within: Nagle.segmentWindow, after: fin.number) {
                $0.sourcePort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let facts = NagleFacts(observation, serverPort: lab.server.port)
        return [Self.keystrokesEchoed(facts), Self.oneSegmentPerKeystroke(facts, ProgramEvidence(observation, .client))]
    }

    private static func text(_ segments: [CapturedSegment]) -> String {
        String(decoding: segments.flatMap(\.segment.payload), as: UTF8.self)
    }

    static func keystrokesEchoed(_ facts: NagleFacts) -> Claim {
        Claim.check("keystrokes-echoed", "the client sent the keystrokes \"\(Nagle.keystrokes)\" and every byte came back from the echo server", {
            let sent = text(facts.clientData)
            guard sent == Nagle.keystrokes else {
                return .failure(Unseen("the client's data segments carried \(quoted(sent))" + (sent.hasSuffix("\n") ? " (the newline is not a keystroke)" : "")))
            }
            let echoed = text(facts.serverData)
            guard echoed == Nagle.keystrokes else { return .failure(Unseen("the server echoed \(quoted(echoed))")) }
            return .success("\(facts.clientData.count) data segment(s) carried \(quoted(sent)); the echo \(quoted(echoed)) in \(facts.serverData.count)")
        }())
    }

    static func oneSegmentPerKeystroke(_ facts: NagleFacts, _ program: ProgramEvidence) -> Claim {
        let count = Nagle.keystrokes.utf8.count
        return Claim.check("one-segment-per-keystroke", "with TCP_NODELAY, every keystroke left at once as a one-byte segment of its own", {
            let data = facts.clientData
            let sizes = data.map { "#\($0.number) \($0.segment.ipPayloadLength)" }.joined(separator: ", ")
            let writes = program.calls.filter { $0.call == "send" && $0.role == CheckRole.client.label }
            let traced = program.traced ? "; \(writes.count) send() calls traced" : ""
            guard data.count == count, data.allSatisfy({ $0.segment.ipPayloadLength == 1 }) else {
                let held = data.first { facts.unacknowledged(before: $0).isEmpty && $0.segment.ipPayloadLength > 1 && $0.number != data.first?.number }
                let why = held.map { "; #\($0.number) left only when nothing was unacknowledged: Nagle's algorithm held its bytes back (no TCP_NODELAY?)" }
                    ?? (data.count == 1 ? ": the whole line in one segment (one send() for it?)" : "")
                return .failure(Unseen("\(count) keystrokes -> \(data.count) segment(s) (bytes: \(sizes))\(why)\(traced)"))
            }
            return .success("\(count) keystrokes -> \(data.count) one-byte segments (#\(data.first!.number) … #\(data.last!.number))\(traced)")
        }())
    }
}

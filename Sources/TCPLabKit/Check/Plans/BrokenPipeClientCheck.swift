import Glibc

/// `tcplab check broken-pipe --variant fixed-client --client -- CMD` (or `sigpipe-ignored`): the
/// student's client talks to the lab's once-server. It is typed `haha`, then, once the server has
/// answered and closed, `hehe`, and, if it is still running a second later, `wawa` (the posts'
/// client's three lines). A fixed client reads the server's EOF before it sends again: no RST, no
/// SIGPIPE, a clean close. The posts' client in Python tells the `sigpipe-ignored` story: hehe
/// draws an RST, and wawa fails with EPIPE (Python ignores SIGPIPE) instead of killing it.
struct BrokenPipeClientCheck: CheckPlan {
    let scenario: BrokenPipe
    var role: CheckRole { .client }

    init(variant: BrokenPipe.Variant) { scenario = BrokenPipe(variant: variant) }

    var task: String {
        switch scenario.variant {
        case .sigpipeIgnored: "your client, SIGPIPE ignored, keeps sending after the server closed: RST to hehe, send() fails with EPIPE, it exits 0"
        default: "your client reads the server's EOF before it sends again: no RST, no SIGPIPE, a clean FIN"
        }
    }

    var judging: [String: ClaimJudging] {
        let reply = ClaimJudging.replaced(by: ["reply-delivered"], because: "it reads the lab client's report of its recv()")
        switch scenario.variant {
        case .sigpipeIgnored:
            return [
                "reply-acked": reply,
                "fin-after-close": .fromOutside,
                "half-closed-states": .fromOutside,
                "rst-after-close": .replaced(by: ["rst-to-hehe"], because: "it reads the lab client's report of its send()"),
                "recv-eof": .replaced(by: ["epipe-after-rst"], because: "it reads the lab client's report of its recv(); what matters next is its send() after the EOF"),
                "sigpipe-ignored-epipe": .replaced(by: ["epipe-after-rst"], because: "it reads the lab client's report of its send()"),
                "client-exits": .fromOutside,
            ]
        default:
            return [
                "reply-acked": reply,
                "fin-after-close": .fromOutside,
                "half-closed-states": .fromOutside,
                "eof-before-send": .replaced(by: ["no-data-after-fin"], because: "it reads the lab client's report of its recv() and send()"),
                "no-rst": .fromOutside,
                "clean-close": .fromOutside,
                "client-exits": .fromOutside,
            ]
        }
    }

    /// How long the lab watches for each thing the client or the kernel does next.
    static let window = BrokenPipe.segmentWindow

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let server = try lab.startServer(.onceServer)
        let student = try lab.startStudentClient(program, within: seconds)
        lab.say("server \(lab.server.description) (pid \(server.pid))   your client (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [server])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        let port = lab.server.port
        let client = cast.student.process
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        client.send("haha")
        // The server answers and closes once haha arrives: bounded, the claims judge whether it came.
        try lab.awaitStep("server", "to return from close()", within: lab.options.timeout) { $0.standsFor("close") }
        if let fin = lab.awaitSegment("the server's FIN", within: Self.window, { $0.sourcePort == port && $0.flags.contains(.fin) }) {
            lab.awaitSegment("the client's ACK of the server's FIN", within: Self.window, after: fin.number) {
                $0.destinationPort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
        lab.recordSockets(BrokenPipe.Moment.afterServerClose, labels: BrokenPipe.labels(port: port))
        let before = lab.log.snapshot.segments.count
        client.send("hehe")
        if try lab.awaitEnd(CheckRole.client.label, within: Self.window) == nil {
            // Still running: it is typed the third line, as the posts' client would be.
            client.send("wawa")
            try lab.awaitEnd(CheckRole.client.label, within: Self.window)
        }
        if let clientFin = lab.awaitSegment("the client's FIN", within: Self.window, after: before, {
            $0.destinationPort == port && $0.flags.contains(.fin)
        }) {
            lab.awaitSegment("the server's answer to the client's FIN", within: Self.window, after: clientFin.number) { $0.sourcePort == port }
        }
        lab.recordSockets(BrokenPipe.Moment.afterClientClose, labels: BrokenPipe.labels(port: port))
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = BrokenPipeClientEvidence(observation, port: lab.server.port)
        switch scenario.variant {
        case .sigpipeIgnored: return [evidence.replyDelivered(), evidence.resetToHehe(), evidence.brokenPipeAfterReset()]
        default: return [evidence.replyDelivered(), evidence.noDataAfterFin(), evidence.noBrokenPipe()]
        }
    }
}

/// The broken-pipe story seen from outside a student's client: segments, its traced calls, its end.
struct BrokenPipeClientEvidence {
    let observation: Observation
    let port: UInt16
    let program: ProgramEvidence

    init(_ observation: Observation, port: UInt16) {
        self.observation = observation
        self.port = port
        program = ProgramEvidence(observation, .client)
    }

    private func toServer(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == port }
    private func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == port }
    private func text(_ s: CapturedSegment) -> String { String(decoding: s.segment.payload, as: UTF8.self) }

    func replyDelivered() -> Claim {
        Claim.check("reply-delivered", "the client's haha reached the server (its ACK advanced by every byte sent) and the reply HAHA reached the client, whose kernel ACKed it", {
            guard let haha = observation.segments.first(where: { toServer($0) && text($0).hasPrefix("haha") }) else {
                return .failure(Unseen("no segment from the client carried haha"))
            }
            let end = haha.segment.sequenceNumber &+ UInt32(haha.segment.payload.count)
            guard let reply = observation.segments.first(where: { fromServer($0) && $0.number > haha.number && text($0).hasPrefix("HAHA") }) else {
                return .failure(Unseen("no reply HAHA from the server after haha #\(haha.number)"))
            }
            guard reply.segment.acknowledgmentNumber == end else {
                return .failure(Unseen("#\(reply.number) acknowledged \(reply.segment.acknowledgmentNumber &- haha.segment.sequenceNumber) bytes, not \(haha.segment.payload.count)"))
            }
            let replyEnd = reply.segment.sequenceNumber &+ UInt32(reply.segment.payload.count)
            guard let ack = observation.segments.first(where: {
                toServer($0) && $0.number > reply.number && $0.segment.flags.contains(.ack) && Int32(bitPattern: $0.segment.acknowledgmentNumber &- replyEnd) >= 0
            }) else { return .failure(Unseen("the client's kernel never ACKed the reply #\(reply.number)")) }
            let read = program.calls.first { $0.call == "recv" && ($0.data ?? "").hasPrefix("HAHA") }
            return .success("haha #\(haha.number) -> HAHA #\(reply.number), ACK #\(ack.number)" + (read.map { "; client \($0.display)" } ?? ""))
        }())
    }

    func noDataAfterFin() -> Claim {
        Claim.check("no-data-after-fin", "the client read the EOF before sending again: after the server's FIN it sent no data, and it closed its side (FIN)", {
            guard let fin = observation.segments.first(where: { fromServer($0) && $0.segment.flags.contains(.fin) }) else {
                return .failure(Unseen("no FIN from the server"))
            }
            if let data = observation.segments.first(where: { toServer($0) && $0.number > fin.number && !$0.segment.payload.isEmpty }) {
                return .failure(Unseen("the client sent \(quoted(text(data))) in #\(data.number) after the server's FIN #\(fin.number)"))
            }
            guard let own = observation.segments.first(where: { toServer($0) && $0.number > fin.number && $0.segment.flags.contains(.fin) }) else {
                return .failure(Unseen("the client never sent its FIN after the server's FIN #\(fin.number)"))
            }
            var read = ""
            if program.traced {
                guard let eof = program.calls.first(where: { $0.call == "recv" && $0.returnValue == 0 }) else {
                    return .failure(Unseen("no recv() of the client returned 0 (EOF), yet it sent FIN #\(own.number)"))
                }
                read = "; client \(eof.display)"
            }
            return .success("server FIN #\(fin.number), then the client's FIN #\(own.number) with no data between\(read)")
        }())
    }

    func noBrokenPipe() -> Claim {
        Claim.check("no-sigpipe", "the client never met a broken pipe: no SIGPIPE, no send() failing with EPIPE", {
            if let broken = brokenPipe() { return .failure(Unseen(broken)) }
            guard let end = program.end else { return .failure(Unseen("the client did not end")) }
            return .success("the client \(end.termination); no SIGPIPE, no EPIPE (\(program.tracing))")
        }())
    }

    /// The server's RST, and the student's data segment it answered.
    private func reset() -> (data: CapturedSegment?, rst: CapturedSegment)? {
        guard let rst = observation.segments.first(where: { fromServer($0) && $0.segment.flags.contains(.rst) }) else { return nil }
        let data = observation.segments.last { toServer($0) && $0.number < rst.number && !$0.segment.payload.isEmpty }
        return (data, rst)
    }

    /// What broke, in a sentence a student reads as the story: `the server had closed, so its
    /// kernel answered "hehe" (#9) with RST #10; your client's next send("wawa") = -1 EPIPE (Broken
    /// pipe): SIGPIPE was raised and ignored (as Python does), then it exited with status 0`;
    /// nil when the client met no broken pipe.
    func brokenPipe() -> String? {
        let signal = program.received(SIGPIPE)
        let send = program.sends(failingWith: .brokenPipe).first
        let killed = program.end?.termination == .signaled(SIGPIPE)
        let printed = program.steps.first { $0.call == RoleStep.standardErrorCall && $0.text.contains("Broken pipe") }
        guard signal != nil || send != nil || killed || printed != nil else { return nil }
        var story: [String] = []
        if let (data, rst) = reset() {
            let answered = data.map { "\(quoted(text($0))) (#\($0.number))" } ?? "the client"
            story.append("the server had closed, so its kernel answered \(answered) with RST #\(rst.number)")
        }
        var next: String
        if let send {
            next = "your client's next \(send.display)"
            if killed { next += ": SIGPIPE killed it" } else if signal != nil { next += ": SIGPIPE was raised and ignored (as Python does)" }
        } else if killed {
            next = "your client was killed by SIGPIPE on its next send"
        } else if let printed {
            next = "your client's next send failed: it printed \(quoted(printed.printedLine))"
        } else {
            next = "your client received SIGPIPE"
        }
        if let end = program.end, !killed { next += ", then it \(end.termination)" }
        story.append(next)
        return story.joined(separator: "; ")
    }

    func resetToHehe() -> Claim {
        Claim.check("rst-to-hehe", "the client sent hehe after the server had closed, and the server's kernel answered it with an RST", {
            guard let fin = observation.segments.first(where: { fromServer($0) && $0.segment.flags.contains(.fin) }) else {
                return .failure(Unseen("no FIN from the server"))
            }
            guard let hehe = observation.segments.first(where: { toServer($0) && $0.number > fin.number && text($0).hasPrefix("hehe") }) else {
                return .failure(Unseen("the client sent no hehe after the server's FIN #\(fin.number)"))
            }
            guard let answer = observation.segments.first(where: { fromServer($0) && $0.number > hehe.number }) else {
                return .failure(Unseen("nothing from the server after hehe #\(hehe.number)"))
            }
            guard answer.segment.flags.contains(.rst) else {
                return .failure(Unseen("the server answered hehe #\(hehe.number) with [\(answer.segment.flags.tcpdumpNotation)] #\(answer.number)"))
            }
            return .success("server FIN #\(fin.number), hehe #\(hehe.number) -> RST #\(answer.number)")
        }())
    }

    func brokenPipeAfterReset() -> Claim {
        Claim.check("epipe-after-rst", "after the RST, the client's next send failed with EPIPE (Broken pipe) and did not kill it: SIGPIPE was ignored", {
            guard let broken = brokenPipe() else {
                return .failure(Unseen("no broken pipe: no send() failed with EPIPE, no SIGPIPE, no \"Broken pipe\" printed (\(program.tracing))"))
            }
            if program.end?.termination == .signaled(SIGPIPE) { return .failure(Unseen(broken)) }
            if program.traced, program.sends(failingWith: .brokenPipe).isEmpty { return .failure(Unseen(broken)) }
            return .success(broken)
        }())
    }

}

import Foundation
import Glibc

/// `tcplab check broken-pipe --server -- CMD`: the student's once-server answers the lab's client,
/// which types haha, hehe, wawa as in the scenario. A server that answers once and closes draws
/// the RST to hehe from its kernel, and the lab's client dies of SIGPIPE on wawa.
struct BrokenPipeServerCheck: CheckPlan {
    let scenario = BrokenPipe(variant: .default)
    var role: CheckRole { .server }
    var task: String { "your server answers one line upper-cased and closes: RST to hehe, SIGPIPE for the lab's client" }

    var judging: [String: ClaimJudging] {
        [
            "reply-acked": .fromOutside,
            "fin-after-close": .replaced(by: ["server-fin"], because: "it reads the lab server's report of its close()"),
            "half-closed-states": .fromOutside,
            "rst-after-close": .replaced(by: ["rst-to-hehe"], because: "it reads the lab server's reports to see that the process made no call"),
            "recv-eof": .fromOutside,
            "sigpipe-kills": .fromOutside,
        ]
    }

    static let window = BrokenPipe.segmentWindow

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let student = try lab.startStudentServer(program, within: seconds)
        let client = try lab.spawn("client", .lineClient(behaviour: .plain))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        lab.say("your server \(lab.server.description) (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student, roles: [client])
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        let port = lab.server.port
        guard let client = cast.role("client") else { return }
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        client.send("haha")
        try lab.awaitStep("client", "to read the reply to haha", within: Self.window) { $0.call == "recv" }
        // The server's close() is not reported: its FIN, which the claims judge, is watched for (bounded).
        if let fin = lab.awaitSegment("the server's FIN", within: Self.window, { $0.sourcePort == port && $0.flags.contains(.fin) }) {
            lab.awaitSegment("the client's ACK of the server's FIN", within: Self.window, after: fin.number) {
                $0.destinationPort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
        lab.recordSockets(BrokenPipe.Moment.afterServerClose, labels: BrokenPipe.labels(port: port))
        let stepsBefore = lab.log.snapshot.steps(of: "client").count
        let segmentsBefore = lab.log.snapshot.segments.count
        client.send("hehe")
        try lab.waitForStep("client", "to return from send(\"hehe\")", after: stepsBefore) { $0.call == "send" }
        lab.awaitSegment("the server's answer to hehe", within: Self.window, after: segmentsBefore) { $0.sourcePort == port }
        lab.recordSockets(BrokenPipe.Moment.afterHeheAnswered, labels: BrokenPipe.labels(port: port))
        try lab.awaitStep("client", "to read after hehe", within: Self.window, after: stepsBefore) { $0.call == "recv" }
        client.send("wawa")
        try lab.awaitEnd("client", within: Self.window)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = BrokenPipeServerEvidence(observation, port: lab.server.port)
        return [evidence.serverFin(), evidence.resetToHehe()]
    }
}

/// The broken-pipe story seen from outside a student's server.
struct BrokenPipeServerEvidence {
    let observation: Observation
    let port: UInt16
    let program: ProgramEvidence

    init(_ observation: Observation, port: UInt16) {
        self.observation = observation
        self.port = port
        program = ProgramEvidence(observation, .server)
    }

    private func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == port }
    private func toServer(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == port }

    func serverFin() -> Claim {
        Claim.check("server-fin", "the server closed the connection after its reply: its FIN followed the reply HAHA, before the client sent anything more", {
            guard let reply = observation.segments.first(where: { fromServer($0) && String(decoding: $0.segment.payload, as: UTF8.self).hasPrefix("HAHA") }) else {
                return .failure(Unseen("no reply HAHA from the server"))
            }
            let fin = observation.segments.first(where: { fromServer($0) && $0.segment.flags.contains(.fin) })
            // After its reply, the server must close before the client says anything more: its FIN
            // ahead of the client's next data segment (hehe) and of the client's own FIN.
            let clientNext = observation.segments.first {
                toServer($0) && $0.number > reply.number && (!$0.segment.payload.isEmpty || $0.segment.flags.contains(.fin))
            }
            if let clientNext, fin.map({ $0.number > clientNext.number }) ?? true {
                let what = clientNext.segment.payload.isEmpty
                    ? "the client's FIN #\(clientNext.number)"
                    : "the client's next data #\(clientNext.number) (\(String(decoding: clientNext.segment.payload, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))"
                let late = fin.map { "; its FIN #\($0.number) came only after \(what)" } ?? "; no FIN from it at all"
                let reset = fin == nil ? ProgramEvidence.reset(in: observation, fromPort: port).map { " (its RST #\($0.number) instead)" } ?? "" : ""
                return .failure(Unseen("the server did not close after its reply #\(reply.number): \(what) came first\(late)\(reset)"))
            }
            guard let fin else {
                let reset = ProgramEvidence.reset(in: observation, fromPort: port).map { "; its RST #\($0.number) ended the connection instead" } ?? ""
                return .failure(Unseen("no FIN from the server\(reset)"))
            }
            guard fin.number >= reply.number else { return .failure(Unseen("FIN #\(fin.number) came before the reply #\(reply.number)")) }
            if program.traced, let close = program.calls.last(where: { $0.call == "close" && $0.began <= fin.time }) {
                return .success("reply #\(reply.number), server \(close.display), FIN #\(fin.number)")
            }
            return .success("reply #\(reply.number), FIN #\(fin.number)")
        }())
    }

    func resetToHehe() -> Claim {
        Claim.check("rst-to-hehe", "the second send (hehe) succeeded, and the server's kernel answered it with an RST: the socket was closed", {
            guard let send = observation.steps(of: "client").first(where: { $0.call == "send" && $0.data == "hehe" }) else {
                return .failure(Unseen("the client never sent hehe"))
            }
            guard send.returnValue == 4 else { return .failure(Unseen("send(\"hehe\") returned \(send.display)")) }
            guard let hehe = observation.segments.first(where: { toServer($0) && $0.segment.payload == Array("hehe".utf8) }) else {
                return .failure(Unseen("no segment carried hehe"))
            }
            guard let answer = observation.segments.first(where: { fromServer($0) && $0.number > hehe.number }) else {
                return .failure(Unseen("no segment from the server after hehe (#\(hehe.number))"))
            }
            guard answer.segment.flags.contains(.rst) else {
                return .failure(Unseen("the server answered hehe (#\(hehe.number)) with [\(answer.segment.flags.tcpdumpNotation)] #\(answer.number): its socket was still open"))
            }
            return .success("hehe #\(hehe.number) -> RST #\(answer.number)")
        }())
    }
}

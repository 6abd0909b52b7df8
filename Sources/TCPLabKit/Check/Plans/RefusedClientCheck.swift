import Glibc

/// `tcplab check refused --client -- CMD`: the student's client connects where nobody listens.
/// The kernel answers its SYN with RST-ACK and connect() fails with ECONNREFUSED, whatever the
/// program; what the check judges of the program is what it does next: a client that reports
/// the failure exits with a non-zero status, so a shell script or a grader can tell.
struct RefusedClientCheck: CheckPlan {
    let scenario = Refused(variant: .default)
    var role: CheckRole { .client }
    var task: String { "your client, refused (nobody listens), exits with a non-zero status: a script can tell it failed" }

    var judging: [String: ClaimJudging] {
        [
            "nobody-listens": .fromOutside,
            "syn-answered-by-rst": .fromOutside,
            "connect-refused": .replaced(by: ["refusal-reported"], because: "it reads the lab client's report of its connect()"),
        ]
    }

    func start(_ lab: LabRun, _ program: StudentProgram, within seconds: Double) throws -> CheckCast {
        let port = lab.server.port
        try lab.startCapture(port: port)
        let before: SocketTable
        do { before = try SocketTable.read(port: port) } catch {
            throw LabError.role("cannot read the socket table: \(error)")
        }
        let moment = Refused.Moment.beforeConnect
        lab.log.append(snapshot: SocketSnapshot(
            time: WallClock.nowMicroseconds(), id: moment.rawValue, moment: moment.text, table: before,
            labels: before.entries.map { $0.localPort == port ? "server" : "client" }))
        let student = try lab.startStudentClient(program, within: seconds)
        lab.say("target \(lab.server.description) (nobody listens)   your client (pid \(student.programPID.map(String.init) ?? "?")): \(program.display)   net: \(lab.isolation.description)")
        lab.say("")
        return CheckCast(student: student)
    }

    func play(_ lab: LabRun, _ cast: CheckCast) throws(LabError) {
        let port = lab.server.port
        if let syn = lab.awaitSegment("your client's SYN", within: Refused.segmentWindow, { $0.destinationPort == port && $0.flags == .syn }) {
            lab.awaitSegment("the kernel's answer to the SYN", within: Refused.segmentWindow, after: syn.number) { $0.sourcePort == port }
        }
        // How it ends is what the claims judge; one still running when the time is up is stopped by the lab.
        try lab.awaitEnd(CheckRole.client.label, within: lab.options.timeout)
    }

    func outsideClaims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let program = ProgramEvidence(observation, .client)
        return [
            Claim.check("refusal-reported", "the client, refused, exited with a non-zero status: a shell script or a grader can tell that it failed", {
                let connect = program.calls.first { $0.call == "connect" }
                let call = connect.map { "client \($0.display); " } ?? ""
                guard let end = program.end else { return .failure(Unseen("\(call)the client was still running when the lab stopped it")) }
                guard case .exited(let status) = end.termination, status != 0 else {
                    return .failure(Unseen("\(call)then the client \(end.termination): a script cannot tell that it failed"))
                }
                if let connect, connect.failure != .connectionRefused {
                    return .failure(Unseen("client \(connect.display), not ECONNREFUSED; it \(end.termination)"))
                }
                return .success("\(call)the client \(end.termination)")
            }()),
        ]
    }
}

import Glibc

/// What can be seen of a student's program from outside it: how it ended, the signals strace saw
/// it receive, and its system calls when it ran under strace (`TracedCalls`), its forked
/// children's and threads' included.
struct ProgramEvidence {
    let observation: Observation
    let role: CheckRole

    init(_ observation: Observation, _ role: CheckRole) {
        self.observation = observation
        self.role = role
    }

    /// The program's traced calls and its workers' (`server child 4711` …), in order: no notes.
    var calls: [RoleStep] { steps.filter { !$0.isNote } }

    /// Every step of the program and its workers, notes (signals, stderr lines) included.
    var steps: [RoleStep] {
        observation.steps.filter { $0.role == role.label || $0.role.hasPrefix("\(role.label) child ") || $0.role.hasPrefix("\(role.label) thread ") }
    }

    /// Whether its calls were traced: strace's first line is the program's execve(2).
    var traced: Bool { calls.contains { $0.call == "execve" } }

    /// How it ended, if it did.
    var end: RoleEnd? { observation.end(of: role.label) }

    /// The program's own pid (`Observation.program`).
    var pid: Int32? { observation.program(role) }

    /// The first time strace saw the program (or a worker) receive `signal` (`--- SIGPIPE ---`).
    func received(_ signal: Int32) -> RoleStep? {
        let name = SignalName.of(signal)
        return steps.first { $0.call == "signal" && $0.text == "received \(name)" }
    }

    /// Its traced send()/write() calls that failed with `errno`.
    func sends(failingWith error: Errno) -> [RoleStep] { calls.filter { $0.call == "send" && $0.failure == error } }

    /// `(calls traced by strace)` or `(strace not installed: calls not seen)`, for evidence texts.
    var tracing: String { traced ? "calls traced by strace" : "strace not installed: its calls were not seen" }

    /// The first RST sent from `port` (the server's side when it is the server's port): what ended
    /// a connection that saw no FIN from that side (SO_LINGER 0, or data left unread at close(2)).
    static func reset(in observation: Observation, fromPort port: UInt16) -> CapturedSegment? {
        observation.segments.first { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }
    }
}

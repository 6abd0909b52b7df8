/// A deliberate fault in the lab's server role, for tests and teachers only (`tcplab scenario
/// NAME --doctor SETTING`, hidden from --help): the kernel is left alone, the server program
/// simply skips a call, so the run shows what a buggy server does to the peer and which claims
/// FAIL, with the states seen instead.
///
/// It travels in the server's `RoleDescription`; the server programs that know the call it
/// names skip it and put a note (`RoleMisbehaviour.noteCall`) on the timeline where they do.
public enum RoleMisbehaviour: String, Codable, Sendable, CaseIterable {
    /// The server reads each request and never sends an answer (echo, concurrency and once servers).
    case serverNeverAnswers = "server-never-answers"
    /// The server never calls close() on a connection (echo and once servers): no FIN until the
    /// process exits.
    case serverNeverCloses = "server-never-closes"

    /// The `call` of the note a misbehaving role reports in place of the call it skipped; the
    /// lab's waits for that call accept it.
    public static let noteCall = "doctored"

    /// The setting of this role process, set once by `RoleCatalog` before the program starts
    /// (before it makes any thread or child), read-only afterwards.
    nonisolated(unsafe) static var active: RoleMisbehaviour?

    /// Whether this role process was told to skip its answers.
    static var skipsAnswers: Bool { active == .serverNeverAnswers }
    /// Whether this role process was told to skip its close() calls.
    static var skipsClose: Bool { active == .serverNeverCloses }

    /// Reports the call the role skips, as a note: `doctored for a test: send("HAHA") not made`.
    static func skipped(_ call: String, _ reporter: RoleReporter) {
        reporter.note(noteCall, "doctored for a test (--doctor \(active?.rawValue ?? "")): \(call) not made")
    }
}

extension RoleStep {
    /// A step the lab may take for `call` having returned: the call itself, or the note a
    /// misbehaving role (`RoleMisbehaviour`) reports when it skips it.
    public func standsFor(_ call: String) -> Bool {
        self.call == call || (isNote && self.call == RoleMisbehaviour.noteCall)
    }
}

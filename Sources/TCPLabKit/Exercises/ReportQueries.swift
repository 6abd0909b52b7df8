/// Small questions about a finished run, shared by the exercises' `observe` functions.
extension RunReport {
    /// The first segment whose tcpdump flags contain `letter` (e.g. "R", "F"), optionally only
    /// in one direction.
    public func firstSegment(withFlag letter: Character, from direction: SegmentRow.Direction? = nil) -> SegmentRow? {
        segments.first { $0.flags.contains(letter) && (direction == nil || $0.direction == direction) }
    }

    /// The state a role's socket was in at `moment`; listening sockets are skipped.
    public func state(of role: String, at moment: some ScenarioMoment) -> String? {
        snapshot(at: moment)?.sockets.first { $0.role == role && $0.state != "LISTEN" }?.state
    }

    /// The steps of `role` (calls and notes) in the order it made them.
    public func steps(of role: String) -> [RoleStep] { steps.filter { $0.role == role } }

    /// How a role ended: `exited 0`, `killed by SIGPIPE` …; nil while it had not ended.
    public func ending(of role: String) -> String? {
        guard let end = ends.first(where: { $0.role == role }) else { return nil }
        switch end.termination {
        case .exited(let code): return "exited \(code)"
        case .signaled(let signal): return "killed by \(SignalName.of(signal))"
        }
    }
}

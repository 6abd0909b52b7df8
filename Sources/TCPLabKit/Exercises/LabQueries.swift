/// More small questions about a finished run, for the exercises of the close, reset, refusal,
/// restart and accept-queue labs. Each reads only what the run recorded.
extension RunReport {
    /// The calls (not notes) named `call` that `role` made, in order.
    public func calls(_ call: String, by role: String) -> [RoleStep] {
        steps.filter { $0.role == role && !$0.isNote && $0.call == call }
    }

    /// `server`, `client`, `both` or `neither`: which sides have a connection socket in `state` at `moment`.
    public func sides(inState state: String, at moment: some ScenarioMoment) -> String? {
        snapshot(at: moment).map { Self.sides(inState: state, $0) }
    }

    /// `server`, `client`, `both` or `neither` in one snapshot.
    static func sides(inState state: String, _ snapshot: Snapshot) -> String {
        let rows = snapshot.sockets.filter { $0.state == state }
        return Self.sides(server: rows.contains { ($0.role ?? "").contains("server") },
                          client: rows.contains { ($0.role ?? "").hasPrefix("client") })
    }

    /// The state of the first non-listening socket of `role` at `moment`, or `gone` when there is none.
    public func stateOrGone(of role: String, at moment: some ScenarioMoment) -> String? {
        guard let snapshot = snapshot(at: moment) else { return nil }
        return snapshot.sockets.first { ($0.role ?? "").hasPrefix(role) && $0.state != "LISTEN" }?.state ?? "gone"
    }

    /// `server`, `client`, `both` or `neither`.
    static func sides(server: Bool, client: Bool) -> String {
        switch (server, client) {
        case (true, true): return "both"
        case (true, false): return "server"
        case (false, true): return "client"
        case (false, false): return "neither"
        }
    }

    /// The first segment with `letter` in its flags sent by one side of connection `connection`.
    public func firstSegment(withFlag letter: Character, from direction: SegmentRow.Direction, connection: Int) -> SegmentRow? {
        segments.first { $0.flags.contains(letter) && $0.direction == direction && $0.connection == connection }
    }

    /// How a call came out, as a student writes it: the errno's name when it failed (`ECONNRESET`),
    /// `0 (EOF)` for a recv() that returned 0, otherwise the return value.
    public static func outcome(of step: RoleStep) -> String? {
        if let failure = step.failure { return failure.name }
        guard let value = step.returnValue else { return nil }
        if step.call == "recv" && value == 0 { return "0 (EOF)" }
        return String(value)
    }

    /// The first call of `role` named `call` made after `segment` was captured: in these labs the
    /// lab waits for a segment (a FIN, an RST) before it tells a role to read, so this is the call
    /// that sees what the segment brought. (Not "returned after": a role reports a call's end a
    /// little after the kernel returned, so an earlier read may seem to end after the segment.)
    public func call(_ call: String, by role: String, after segment: SegmentRow) -> RoleStep? {
        calls(call, by: role).first { $0.began > segment.time }
    }
}

/// Choice lists several exercises share, so the same question reads the same in every lab.
enum LabChoices {
    /// TCP states a connection's socket can be in while it closes (and `gone`: no row at all).
    static let closeStates = ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "gone"]
    /// Which side of the connection.
    static let sides = ["server", "client", "both", "neither"]
}

/// Where a `--step` run stands between pauses: its input, the lab's last action, the ladder
/// rows already shown.
struct StepPauses {
    /// What the lab did last: a step is a group of commands sent back to back, or one wait.
    enum Action { case command, wait }

    var input = LineReader(fd: 0)
    /// At end of input (Enter will never come) the run stops pausing.
    var inputEnded = false
    /// Pausing starts at the scenario's first flush, once its roles are set up and the header printed.
    var armed = false
    var last: Action?
    /// A scenario's own `pause(_:)` text stands for every action up to its next `flush()` (the end
    /// of the step it announced): no second pause in it, except a held role's `release`.
    var covered = false
    /// The ladder's title lines as last printed, and how often each row line was printed.
    var ladderTitles: [String] = []
    var ladderRows: [String: Int] = [:]
}

/// `--step`: a pause before every step of the story, so a teacher can stop after each call and
/// ask "which state now?".
///
/// The pauses sit where the lab acts, so no scenario has to place them: before each command it
/// gives a role (`RoleProcess.send`; commands sent back to back, such as both sides closing at
/// once, are one step) and before each wait for a segment or a call's return (not a role's end, nor
/// the wait for the return of the command just sent: that is the same step). A wait whose event
/// is already in the log (it happened during the step before, and is printed with it) gets no
/// pause: a pause never announces what is already on the screen. A scenario's `pause(_:)` says in
/// its own words what the next step is. A role that makes calls on its own (a server answering
/// and closing) is held before each such call when spawned with `heldInSteps`, and `release(_:_:)`
/// pauses and then lets it make the call: so the pause comes before the call, not after it.
/// At each pause the timeline so far is
/// printed, then (with `--ladder`) the ladder rows new since the last pause, then
/// `  -- next: WHAT  [Enter]`.
///
/// The kernel does not pause: the run's `t ms` include the time spent paused, and each pause is
/// marked on the timeline where it began, `-- paused 12.3 s --`. A kernel timer shown in the
/// last recorded socket table that came due during the pause gets a note (`PausedTimers`).
extension LabRun {
    /// A scenario's own pause: prints what happens next and waits for Enter; this text stands for
    /// the step up to the scenario's next `flush()`. At end of input it stops pausing.
    public func pause(_ next: String) {
        guard options.step, !options.json, !stepping.inputEnded else { return }
        hold(next)
        stepping.last = nil
        stepping.covered = true
    }

    /// A role's label as a phrase in a sentence: `the server`, `the old server`, but `client 2`
    /// and `client B` (a numbered or lettered role is a name: no article).
    static func phrase(_ label: String) -> String {
        guard let last = label.split(separator: " ").last, label.contains(" ") else { return "the \(label)" }
        let isName = last.allSatisfy(\.isNumber) || (last.count == 1 && last.first!.isUppercase)
        return isName ? label : "the \(label)"
    }

    /// Whether roles spawned `heldInSteps` wait for the lab's word before their own calls: in a
    /// `--step` run that prints its timeline (even once the input has ended: the lab then lets
    /// them go at once).
    var holdsRoles: Bool { options.step && !options.json }

    /// A pause before a call `role` makes on its own (announced as `next`), then the line that
    /// lets the role make it (`RoleGate`). Does nothing for a role not held (`heldInSteps`).
    public func release(_ role: RoleProcess, _ next: String) {
        guard role.held else { return }
        pause(next)
        role.send(RoleGate.go)
    }

    /// The pause before the lab's next action (a command to a role, or a wait), by the rules above.
    /// `happened` says whether a wait's event is already in the log (then there is no pause).
    func stepBefore(_ action: StepPauses.Action, _ next: String, happened: () -> Bool = { false }) {
        guard options.step, !options.json, stepping.armed, !stepping.inputEnded else { return }
        let previous = stepping.last
        stepping.last = action
        if action == .command, previous == .command { return }
        if action == .wait, previous == .command { return }
        if stepping.covered { return }
        if action == .wait {
            _ = caughtUp()
            if happened() { return }
        }
        hold(next)
    }

    /// Prints the run so far and `-- next: …`, waits for a line on standard input, and marks the
    /// pause (and any timer that ran out in it) on the timeline.
    private func hold(_ next: String) {
        let shown = flush()
        growLadder(shown)
        say("  -- next: \(next)  [Enter]")
        let start = WallClock.nowMicroseconds()
        if stepping.input.nextLine() == nil {
            stepping.inputEnded = true
            return
        }
        let end = WallClock.nowMicroseconds()
        log.note(PauseMark.line(seconds: Double(end - start) / 1_000_000), at: start)
        if let table = log.snapshot.snapshots.last {
            for note in PausedTimers.notes(in: table, pausedFrom: start, to: end) { log.note(note, at: end) }
        }
    }

    /// With `--ladder`, prints the ladder rows not printed at an earlier pause (and the titles
    /// when they changed: a new connection). A call printed as `send("haha") ...` at one pause
    /// shows again as `send("haha") = 4` once it has returned, as on the timeline.
    /// `shown` is what the timeline was just printed from: the ladder shows no event it did not.
    private func growLadder(_ shown: Observation) {
        guard let style = options.ladder else { return }
        let ladder = Ladder(report: RunReport(lab: self, observation: shown, claims: [], error: nil))
        let lines = LadderText(ladder, style: style).lines(ladder)
        let titleCount = ladder.legend.count + 2
        let titles = Array(lines.prefix(titleCount))
        var fresh: [String] = []
        if titles != stepping.ladderTitles {
            fresh += titles
            stepping.ladderTitles = titles
        }
        var seen: [String: Int] = [:]
        for line in lines.dropFirst(titleCount).dropLast() {
            seen[line, default: 0] += 1
            if seen[line]! > stepping.ladderRows[line, default: 0] {
                fresh.append(line)
                stepping.ladderRows[line] = seen[line]
            }
        }
        guard !fresh.isEmpty else { return }
        say("")
        say("ladder so far")
        fresh.forEach(say)
        say("")
    }
}

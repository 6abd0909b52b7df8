/// The order every view of a run is drawn in (the text timeline, live and `--replay`, the
/// `--ladder` drawing and the HTML report): the one place that decides where a call goes.
///
/// The rule is strace's. A call with nothing else on the view between its start and its return
/// is shown once, where it returned, with its result: `connect(127.0.0.1:7777) = 0`. A call that
/// other things happened during (a segment, another step, a note, a socket snapshot) is shown
/// twice: its start where it began, `connect(127.0.0.1:7777) ...`, and its result where it
/// returned, `... connect = -1 ECONNREFUSED (Connection refused)` (strace's `<unfinished ...>`
/// and `<... connect resumed>`). A call the role died in ends where the lab reaped the role:
/// `... send -> killed by SIGPIPE (signal 13)`. Notes stay at their time. So no result is ever
/// shown above something that happened before the call returned.
///
/// A call that has not returned yet (a live run, still blocked) is shown by its start alone,
/// once something later is on the view, and by nothing before that.
///
/// Times are CLOCK_REALTIME microseconds (`RoleStep.began`/`ended`, pcap timestamps). Among
/// equal times a call's start comes first, then notes and snapshots, then segments (in capture
/// order), then results and role ends.
public struct Timeline: Sendable, Equatable {
    /// Which part of a call an entry shows.
    public enum CallPart: Sendable, Equatable {
        /// The whole call at its return (a note: at its time): nothing else happened during it.
        case whole
        /// Its start, at `began`: other things happened before it returned.
        case begin
        /// Its return (or the role's death in it), after a `begin`.
        case result
    }

    /// What an entry shows: an index into the arrays the timeline was made from.
    public enum Event: Sendable, Equatable, Hashable {
        case segment(Int)
        case step(Int, CallPart)
        case note(Int)
        case snapshot(Int)
        case end(Int)
    }

    /// One line of the view, with the time it sits at.
    public struct Entry: Sendable, Equatable {
        public var time: Int64
        public var event: Event
    }

    /// Everything given, in the order it is shown.
    public let entries: [Entry]

    /// Orders `steps` among the times of what else the view shows: `segments`, lab `notes`,
    /// socket `snapshots` and role `ends`, each in the order of its array (a view that does not
    /// show a kind leaves it empty, so that it does not split calls either).
    public init(steps: [RoleStep], segments: [Int64] = [], notes: [Int64] = [], snapshots: [Int64] = [],
                ends: [Int64] = []) {
        // Every instant something is known to have happened: a call's start and its return
        // count even when they end up on one line, as strace counts every entry and exit.
        var instants = segments + notes + snapshots + ends
        for step in steps {
            instants.append(step.began)
            if !step.isNote, let returned = step.returned { instants.append(returned) }
        }
        instants.sort()
        /// Whether anything happened strictly after `start` (and strictly before `end`, if given).
        func anything(after start: Int64, before end: Int64? = nil) -> Bool {
            let first = Timeline.firstIndex(in: instants) { $0 > start }
            guard first < instants.count else { return false }
            guard let end else { return true }
            return instants[first] < end
        }

        enum Rank: Int { case begin, note, segment, result }
        var ranked: [(entry: Entry, rank: Rank, order: Int)] = []
        func add(_ time: Int64, _ event: Event, _ rank: Rank) {
            ranked.append((Entry(time: time, event: event), rank, ranked.count))
        }
        for (index, time) in segments.enumerated() { add(time, .segment(index), .segment) }
        for (index, step) in steps.enumerated() {
            if step.isNote {
                add(step.began, .step(index, .whole), .note)
            } else if let returned = step.returned {
                if anything(after: step.began, before: returned) {
                    add(step.began, .step(index, .begin), .begin)
                    add(returned, .step(index, .result), .result)
                } else {
                    add(returned, .step(index, .whole), .result)
                }
            } else if anything(after: step.began) {
                add(step.began, .step(index, .begin), .begin)
            }
        }
        for (index, time) in notes.enumerated() { add(time, .note(index), .note) }
        for (index, time) in snapshots.enumerated() { add(time, .snapshot(index), .note) }
        for (index, time) in ends.enumerated() { add(time, .end(index), .result) }
        ranked.sort { ($0.entry.time, $0.rank.rawValue, $0.order) < ($1.entry.time, $1.rank.rawValue, $1.order) }
        entries = ranked.map(\.entry)
    }

    /// The first index of sorted `values` where `predicate` (false, then true) holds.
    private static func firstIndex(in values: [Int64], where predicate: (Int64) -> Bool) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(values[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension Timeline {
    /// The timeline of everything `observation` holds that the text timeline shows: segments,
    /// steps (the roles' stderr lines among them, as notes), the lab's notes, socket snapshots,
    /// and the ends in `observation.deathsOutsideCalls` at `RoleEnd.diedBy` (other role ends are
    /// not lines of their own there).
    public init(_ observation: Observation) {
        self.init(steps: observation.steps, segments: observation.segments.map(\.time),
                  notes: observation.notes.map(\.time), snapshots: observation.snapshots.map(\.time),
                  ends: observation.deathsOutsideCalls.map(\.diedBy))
    }
}

extension RoleStep {
    /// When the call is over: its return, or for a call the role died in, when the lab reaped
    /// the role (its start if that is not known); nil while it is still running.
    public var returned: Int64? {
        if isNote { return began }
        if let ended { return max(ended, began) }
        if killedBy != nil { return max(killedAt ?? began, began) }
        return nil
    }

    /// A call is printed once it has returned or its process has died in it, notes at once.
    public var isSettled: Bool { returned != nil }
}

extension Observation {
    /// Roles killed by a signal while in none of their reported calls (glibc's abort() inside
    /// FD_SET, a signal between calls): the text timeline gives each a line of its own, since no
    /// call line can carry it. In the order they ended.
    public var deathsOutsideCalls: [RoleEnd] {
        ends.filter { end in
            guard case .signaled = end.termination else { return false }
            return !steps.contains { $0.role == end.role && $0.killedBy != nil }
        }
    }
}

/// The traced programs' calls as `tcplab watch` shows them: strace lines (`StraceSteps`) named by
/// role (`WatchRoles`), each program's from the first socket call of any of its processes on (a
/// launcher's before it, a pyenv shim's execve attempts, forks and waits, left out:
/// `LauncherFilter`, one per program, from the program's last exec); a program that never makes
/// a socket call still has its end shown.
///
/// A step keeps its position in `steps` once shown (a step let through later is appended), so the
/// printer can remember what it printed by position. Pure: fed line by line, tested on literal strace lines.
public struct WatchCalls: Sendable {
    private var calls = StraceSteps()
    private var roles = WatchRoles()
    private var launchers: [String: LauncherFilter] = [:]
    /// Indexes into `calls.steps` let through, in the order they were let through.
    private var shown: [Int] = []
    private var shownSet: Set<Int> = []
    /// The watched program's writes on its descriptors 1 and 2 (`WrittenOutput`).
    private(set) var programWrites: [WrittenOutput.Write] = []
    /// The FIFO name the watched program's own lines come through.
    private let programSource: String

    public init(programSource: String = WatchRendezvous.traceFIFOName) {
        self.programSource = programSource
    }

    /// Adds one strace line read from the FIFO named `source` (`trace`: the watched program's;
    /// `trace-PID`: a joined one's).
    public mutating func feed(_ line: StraceLine, from source: String) {
        roles.note(line, from: source)
        let writes = calls.terminalWrites.count
        var launcher = launchers[source] ?? LauncherFilter(showsEndWithoutSocket: true, anyProcessStarts: true)
        for index in calls.feed(line, stream: source) {
            let step = calls.steps[index]
            roles.note(step)
            for admitted in launcher.admit(index, step, isProgram: roles.isProgram(line.pid)) where !shownSet.contains(admitted) {
                shownSet.insert(admitted)
                shown.append(admitted)
            }
        }
        launchers[source] = launcher
        if source == programSource { programWrites += calls.terminalWrites[writes...] }
    }

    /// Whether the program traced through the FIFO named `source` has made its first socket call
    /// (its launcher is done).
    public func started(_ source: String) -> Bool { launchers[source]?.started == true }

    /// The calls shown, with the timeline's names (`server`, `client 2`…).
    public var steps: [RoleStep] {
        shown.map { index in
            var named = calls.steps[index]
            named.role = roles.label(named.role)
            return named
        }
    }
}

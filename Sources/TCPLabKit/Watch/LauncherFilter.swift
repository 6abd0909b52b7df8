/// Leaves out what a launcher does before a traced program itself runs: a pyenv or shell shim
/// (`/root/.pyenv/shims/python3` is a bash script that execs other scripts) tries execve(2)
/// along PATH (`= -1 ENOENT`), forks and waits for helpers, before it execs the real program.
/// None of that is the student's.
///
/// The steps (StraceSteps' indexes) of one traced program are held back until the program's own
/// process (the first pid its strace traced) makes its first socket call (socket, bind, listen,
/// connect, accept), or with `anyProcessStarts` any of its processes does (a fork server whose
/// parent only forks and exits); then those held from the program's last successful execve on
/// are shown, and every later step at once. Used by `tcplab check` (`TracedCalls`) and `tcplab watch` (`PortWatch`,
/// one filter per traced program). Pure: fed step by step, tested on literal strace lines.
public struct LauncherFilter: Sendable {
    /// Whether the program has made its first socket call.
    public private(set) var started = false
    private var held: Set<Int> = []
    private var lastExec = 0
    private let showsEndWithoutSocket: Bool
    private let anyProcessStarts: Bool

    /// The calls that show the program itself is running.
    static let socketCalls: Set<String> = ["socket", "bind", "listen", "connect", "accept"]

    /// `showsEndWithoutSocket`: a program that never made a socket call still has its own
    /// process's end (`exit` step: exited or killed) shown. `anyProcessStarts`: a socket call by
    /// any process of the program shows it, not only by the program's own process.
    public init(showsEndWithoutSocket: Bool = false, anyProcessStarts: Bool = false) {
        self.showsEndWithoutSocket = showsEndWithoutSocket
        self.anyProcessStarts = anyProcessStarts
    }

    /// The indexes to show now, ascending, after step `index` was added or completed (`step` is
    /// it as it is now; `isProgram`: it is the program's own process's): none while the program
    /// has not started; at its first socket call, the held ones from its last successful execve
    /// on and this one; after that, this one.
    public mutating func admit(_ index: Int, _ step: RoleStep, isProgram: Bool) -> [Int] {
        if started { return [index] }
        if isProgram, step.call == "execve", step.returnValue == 0 { lastExec = max(lastExec, index) }
        if isProgram, showsEndWithoutSocket, step.call == "exit" { return [index] }
        held.insert(index)
        guard isProgram || anyProcessStarts, Self.socketCalls.contains(step.call) else { return [] }
        started = true
        let shown = held.filter { $0 >= lastExec }.sorted()
        held = []
        return shown
    }
}

/// Which strace lines of a joined shell (`tcplab watch --join` without a command) the watch
/// shows: those of the programs started from the shell that use the network, not the shell's
/// own or its start-up's (an interactive shell's rc files run dozens of subshells, `pyenv init`,
/// `readlink`…, each a fork, an execve, a wait4 and a SIGCHLD).
///
/// The first process seen is the shell itself (strace's first line is its execve), never shown.
/// Another process is shown from its first socket call (socket, connect, bind, listen, accept)
/// on, and so is every process it then forks (from birth: a fork server's children). Pure: fed
/// line by line, tested on literal strace lines.
public struct ShellTraceFilter: Sendable {
    private var shell: Int32?
    private var shown: Set<Int32> = []

    public init() {}

    /// The calls that make a process one the watch shows.
    static let networkCalls: Set<String> = ["socket", "connect", "bind", "listen", "accept", "accept4"]

    /// Whether to hand `line` on to the watch.
    public mutating func shows(_ line: StraceLine) -> Bool {
        guard let shell else {
            self.shell = line.pid
            return false
        }
        if line.pid == shell { return false }
        let name: String?
        switch line.event {
        case .call(let called, _, _, _), .unfinished(let called, _), .resumed(let called, _, _, _): name = called
        default: name = nil
        }
        if !shown.contains(line.pid), let name, Self.networkCalls.contains(name) { shown.insert(line.pid) }
        guard shown.contains(line.pid) else { return false }
        // A fork of a shown process: its child is shown from birth.
        switch line.event {
        case .call(let called, _, let result, _), .resumed(let called, _, let result, _):
            if ["clone", "clone3", "fork", "vfork"].contains(called), let child = Int32(result.prefix { $0 != " " }), child > 0 {
                shown.insert(child)
            }
        default: break
        }
        return true
    }
}

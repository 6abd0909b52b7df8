import CPcap
import Foundation
import Glibc

/// A student's own program run under `tcplab watch`: started with posix_spawnp in a process
/// group of its own (so Ctrl-C is forwarded to it deliberately), with the terminal's standard
/// streams and SIGPIPE at its default action, and followed until its whole process tree is gone.
///
/// The lab is a child subreaper (PR_SET_CHILD_SUBREAPER, prctl(2)) from before the spawn, so a
/// child that outlives its parent (a fork server whose parent exits first) is re-parented to the
/// lab instead of PID 1; one thread reaps every child with waitpid(-1) until ECHILD, and only
/// then is the program over. Its ending is the started process's own (strace's, when it runs
/// under strace: strace exits with the traced command's status, or kills itself with the
/// signal that killed it; strace(1)).
public final class WatchedProgram: @unchecked Sendable {
    /// The process tcplab started: the program, or strace running it.
    public let pid: pid_t
    /// Whether `pid` is strace (the program is then its first child).
    public let traced: Bool
    private let condition = NSCondition()
    private var startedEnding: Termination?
    private var ending: Termination?
    private var changed: (@Sendable () -> Void)?
    /// The tree's processes the last reading found (`processes()`), by pid.
    private var seen: Set<Int32> = []
    /// strace's command name, which its children bear until they execve the program.
    private var tracerCommand: String?

    /// Throws a one-line error when `program` is not an executable file, looked up on PATH
    /// when it has no `/` (as execvp(3) does): checked before strace would start it and print
    /// its own error among the program's output lines.
    public static func checkRunnable(_ program: String) throws(LabError) {
        if program.contains("/") {
            guard access(program, X_OK) != 0 else { return }
            throw LabError.usage("cannot run \(program): \(Errno.current.message.lowercased())")
        }
        guard ToolProcess.find(program) == nil else { return }
        throw LabError.usage("cannot run \(program): no such program on PATH")
    }

    /// Starts `command` (looked up on PATH), after `tracer` (strace's argv up to `--`) if given,
    /// with its standard output and error on `output` when given (`ProgramOutput.terminal`);
    /// throws a one-line error when it cannot start.
    public init(_ command: [String], tracer: [String]? = nil, output: Int32? = nil) throws(LabError) {
        _ = tcplab_set_child_subreaper(1)
        let arguments = (tracer ?? []) + command
        let argv = arguments.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, output, STDERR_FILENO)
        }
        let status = SpawnAttributes.with { attributes in
            posix_spawnp(&child, arguments[0], &actions, &attributes, argv + [nil], environ)
        }
        guard status == 0 else {
            throw LabError.usage("cannot run \(arguments[0]): \(Errno(rawValue: status).message.lowercased())")
        }
        let started = child
        pid = started
        traced = tracer != nil
        Thread.detachNewThread { [self] in
            while true {
                var raw: Int32 = 0
                let reaped = waitpid(-1, &raw, 0)
                if reaped == -1 {
                    if errno == EINTR { continue }
                    break  // ECHILD: the last descendant is gone.
                }
                condition.lock()
                if reaped == started { startedEnding = Termination(waitStatus: raw) }
                seen.remove(reaped)
                let changed = changed
                condition.unlock()
                changed?()
            }
            condition.lock()
            ending = startedEnding ?? .exited(0)
            condition.broadcast()
            let changed = changed
            condition.unlock()
            changed?()
        }
    }

    /// How the program ended, once it and every descendant have.
    public var termination: Termination? {
        condition.lock()
        defer { condition.unlock() }
        return ending
    }

    /// tcplab's exit status for this ending: the program's status, or 128 + the signal that killed it (as a shell's `$?`).
    public static func exitStatus(_ termination: Termination) -> Int32 {
        switch termination {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Waits up to `seconds` for the program's tree to end.
    @discardableResult
    public func wait(seconds: Double) -> Termination? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while ending == nil, condition.wait(until: deadline) {}
        return ending
    }

    /// Calls `body` (on the reaping thread) after each process of the tree is reaped, and when
    /// the last one was: the process table changed.
    public func onChange(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        changed = body
        condition.unlock()
    }

    /// The program's tree now, from /proc: the program (`program`: the one the student named)
    /// and its descendants, including those re-parented to the lab (a subreaper), never the
    /// tracer: strace itself is left out, and so is a child of strace that bears strace's name
    /// (one not yet past its execve(2) of the program, or one strace forks to probe ptrace).
    /// A process the last reading found and this scan of /proc missed is read again by pid and
    /// kept while it still hangs from the tree. Empty before the program has started (strace not
    /// yet past its fork and execve) and after it ended: whether it ended is `termination`'s to say.
    public func processes() -> (program: Int32?, all: [ProcessStat]) {
        let lab = getpid()
        var tree = ProcessTable.descendants(of: lab)
        condition.lock()
        let earlier = seen
        if traced, tracerCommand == nil { tracerCommand = tree.first { $0.pid == pid }?.command }
        let tracerName = tracerCommand ?? "strace"
        condition.unlock()
        var members = Set(tree.map(\.pid))
        for missing in earlier.subtracting(members).sorted() {
            guard let stat = ProcessStat.read(pid: missing), stat.parentPID == lab || members.contains(stat.parentPID) else { continue }
            tree.append(stat)
            members.insert(missing)
        }
        let found = Self.programTree(tree, started: pid, tracerCommand: traced ? tracerName : nil)
        condition.lock()
        seen = Set(found.all.map(\.pid))
        condition.unlock()
        return found
    }

    /// The program's tree among the lab's descendants `tree`, sorted by pid: `started` is the
    /// process the lab started, strace when `tracerCommand` (strace's command name) is given, and
    /// then it and its children that still bear its name are left out. Pure: tested on literal stats.
    static func programTree(_ tree: [ProcessStat], started: Int32, tracerCommand: String?)
        -> (program: Int32?, all: [ProcessStat]) {
        var tree = tree.sorted { $0.pid < $1.pid }
        guard let tracerCommand else { return (tree.contains { $0.pid == started } ? started : nil, tree) }
        tree.removeAll { $0.pid == started || ($0.parentPID == started && $0.command == tracerCommand) }
        return (tree.first { $0.parentPID == started }?.pid, tree)
    }

    /// Ends the program after Ctrl-C as a terminal would, but bounded: `signal` to its process
    /// group, up to `grace` seconds for the tree to end, then SIGKILL to every descendant still
    /// alive (in any process group), which the reaping thread then reaps. Waits at most about
    /// `grace` + 0.5 s in all.
    public func stop(forwarding signal: Int32, grace: Double = 0.2) {
        if termination == nil {
            kill(-pid, signal)
            wait(seconds: grace)
        }
        let deadline = Date(timeIntervalSinceNow: 0.5)
        while termination == nil, Date() < deadline {
            for process in ProcessTable.descendants(of: getpid()) where !process.isZombie { kill(process.pid, SIGKILL) }
            wait(seconds: 0.05)
        }
    }
}

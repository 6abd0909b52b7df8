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

    /// Starts `command` (looked up on PATH), after `tracer` (strace's argv up to `--`) if given;
    /// throws a one-line error when it cannot start.
    public init(_ command: [String], tracer: [String]? = nil) throws(LabError) {
        _ = tcplab_set_child_subreaper(1)
        let arguments = (tracer ?? []) + command
        let argv = arguments.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = SpawnAttributes.with { attributes in
            posix_spawnp(&child, arguments[0], nil, &attributes, argv + [nil], environ)
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
                if reaped == started {
                    condition.lock()
                    startedEnding = Termination(waitStatus: raw)
                    condition.unlock()
                }
            }
            condition.lock()
            ending = startedEnding ?? .exited(0)
            condition.broadcast()
            condition.unlock()
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

    /// The program's processes now (strace left out): `program` is the one the student named.
    public func processes() -> (program: Int32?, all: [ProcessStat]) {
        let tree = ProcessTable.descendants(of: getpid())
        guard traced else { return (pid, tree) }
        let program = tree.first { $0.parentPID == pid }?.pid
        return (program, tree.filter { $0.pid != pid })
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

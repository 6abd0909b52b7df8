import CPcap
import Foundation
import Glibc

/// A student's own program run under `tcplab watch`: started with posix_spawnp in a process
/// group of its own (so Ctrl-C is forwarded to it deliberately), with the terminal's standard
/// streams and SIGPIPE at its default action, and reaped by a thread of its own.
public final class WatchedProgram: @unchecked Sendable {
    public let pid: pid_t
    private let condition = NSCondition()
    private var ending: Termination?

    /// Starts `command` (looked up on PATH); throws a one-line error when it cannot start.
    public init(_ command: [String]) throws(LabError) {
        let argv = command.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = SpawnAttributes.with { attributes in
            posix_spawnp(&child, command[0], nil, &attributes, argv + [nil], environ)
        }
        guard status == 0 else {
            throw LabError.usage("cannot run \(command[0]): \(Errno(rawValue: status).message.lowercased())")
        }
        let started = child
        pid = started
        Thread.detachNewThread { [self] in
            var raw: Int32 = 0
            // Only this pid is reaped: the program's own children are its business.
            while waitpid(started, &raw, 0) == -1 && errno == EINTR {}
            condition.lock()
            ending = Termination(waitStatus: raw)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// How the program ended, once it has.
    public var termination: Termination? {
        condition.lock()
        defer { condition.unlock() }
        return ending
    }

    /// Waits up to `seconds` for the program to end.
    @discardableResult
    public func wait(seconds: Double) -> Termination? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while ending == nil, condition.wait(until: deadline) {}
        return ending
    }

    /// Sends `signal` to the program's whole process group (its children too).
    public func signalGroup(_ signal: Int32) { kill(-pid, signal) }

    /// Ends the program after Ctrl-C as a terminal would, but bounded: `signal` to its process
    /// group, up to `grace` seconds for the program to end, then SIGKILL to whatever is still
    /// alive in the group (children it forked included, re-parented or not). The lab is a child
    /// subreaper meanwhile (PR_SET_CHILD_SUBREAPER), so children that outlive the program come to
    /// it and are reaped here; zombies PID 1 adopted earlier are left to PID 1. Waits at most
    /// about `grace` + 0.3 s in all.
    public func stop(forwarding signal: Int32, grace: Double = 0.2) {
        _ = tcplab_set_child_subreaper(1)
        if termination == nil {
            signalGroup(signal)
            wait(seconds: grace)
        }
        ProcessGroups.signal([pid], SIGKILL)
        wait(seconds: 0.2)
        let deadline = WallClock.nowMicroseconds() + 100_000
        while true {
            _ = ProcessGroups.reapAdoptedOrphans(except: [pid])
            if ProcessGroups.remaining(of: [pid], leavingInitsZombies: true).isEmpty || WallClock.nowMicroseconds() > deadline { break }
            usleep(2_000)  // allowed: /proc has no change events; re-read every 2 ms until the bounded deadline.
        }
    }
}

import Foundation
import Glibc

/// `tcplab watch --join [-- CMD…]`: finds the running watch (`WatchRendezvous.running`), enters
/// its user and network namespaces (`NamespaceJoin`) and execs `CMD` there (looked up on PATH),
/// under strace into the watch's FIFO when strace is installed (`StraceTrace`), or the user's `$SHELL` (`/bin/sh` without one), with `TCPLAB_WATCH_PID` set to the watch's pid.
public enum WatchJoin {
    /// Never returns on success (execvp(3) replaces this process); throws a one-line error when
    /// no watch runs, its namespaces cannot be entered, or the command cannot be run.
    /// Call while the process is single-threaded.
    public static func run(_ command: [String]) throws(LabError) {
        let watch = try WatchRendezvous.running()
        try NamespaceJoin.enter(pid: watch.pid)
        setenv("TCPLAB_WATCH_PID", "\(watch.pid)", 1)
        let shell = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        var arguments = command.isEmpty ? [shell] : command
        if command.isEmpty {
            FileHandle.standardError.write(Data(("tcplab: a shell in watch \(watch.pid)'s network namespace; exit to leave it. "
                + "Its programs' calls are not shown; run one as `tcplab watch --join -- CMD` to see them\n").utf8))
        } else if let strace = StraceTrace.find() {
            // Its calls go to the watch's timeline, through a FIFO of its own the watch reads.
            let fifo = watch.directory + "/trace-\(getpid())"
            if mkfifo(fifo, 0o600) == 0 {
                arguments = StraceTrace.arguments(strace: strace, output: fifo) + command
            } else {
                FileHandle.standardError.write(Data("tcplab: \(command[0])'s calls will not be shown: mkfifo \(fifo): \(Errno.current.message.lowercased())\n".utf8))
            }
        }
        try exec(arguments)
    }

    /// execvp with the interrupt signals unblocked again (the mask survives exec).
    static func exec(_ arguments: [String]) throws(LabError) {
        Interrupts.unblock()
        let argv = arguments.map { strdup($0) } + [nil]
        execvp(arguments[0], argv)
        let failure = Errno.current
        throw LabError.usage("cannot run \(arguments[0]): \(failure.message.lowercased())")
    }
}

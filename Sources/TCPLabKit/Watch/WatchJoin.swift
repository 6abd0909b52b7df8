import Foundation
import Glibc

/// `tcplab watch --join [-- CMD…]`: finds the running watch (`WatchRendezvous.running`), enters
/// its user and network namespaces (`NamespaceJoin`) and execs `CMD` there (looked up on PATH),
/// or the user's `$SHELL` (`/bin/sh` without one), with `TCPLAB_WATCH_PID` set to the watch's
/// pid; under strace into a FIFO of the watch's when strace is installed (`StraceTrace`).
/// A shell is traced too (`strace -f`), into a FIFO named `trace-shell-PID`, of which the watch
/// shows only the calls of the programs started from the shell that use the network
/// (`ShellTraceFilter`): the shell's own and its start-up's (forks, wait4s, SIGCHLDs of every
/// subshell of its rc files) would bury them.
///
/// The watch goes on while a joined program runs (its FIFO, or a `join-PID` marker without
/// strace, names its pid), so its strace never writes into a FIFO nobody reads.
public enum WatchJoin {
    /// Never returns on success (execvp(3) replaces this process); throws a one-line error when
    /// no watch runs, its namespaces cannot be entered, or the command cannot be run.
    /// Call while the process is single-threaded.
    public static func run(_ command: [String]) throws(LabError) {
        let watch = try WatchRendezvous.running()
        try NamespaceJoin.enter(pid: watch.pid)
        setenv("TCPLAB_WATCH_PID", "\(watch.pid)", 1)
        let shell = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        let program = command.isEmpty ? [shell] : command
        var arguments = program
        var traced = false
        if let strace = StraceTrace.find() {
            // Its calls go to the watch's timeline, through a FIFO of its own the watch reads.
            let fifo = watch.directory + "/" + (command.isEmpty ? StraceTrace.shellFIFOPrefix : "trace-") + "\(getpid())"
            if mkfifo(fifo, 0o600) == 0 {
                arguments = StraceTrace.arguments(strace: strace, output: fifo) + program
                traced = true
            } else {
                FileHandle.standardError.write(Data("tcplab: \(program[0])'s calls will not be shown: mkfifo \(fifo): \(Errno.current.message.lowercased())\n".utf8))
            }
        }
        if !traced {
            // Without a FIFO, this marker tells the watch a joined program runs (WatchRendezvous.joinedPrograms).
            let marker = open(watch.directory + "/" + WatchRendezvous.joinMarkerPrefix + "\(getpid())", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if marker >= 0 { close(marker) }
        }
        if command.isEmpty {
            let calls = traced ? "the calls of the programs you start from it are shown in the watch, from their first socket call"
                : "its programs' calls are not shown (strace is not installed)"
            FileHandle.standardError.write(Data("tcplab: a shell in watch \(watch.pid)'s network namespace; exit to leave it; \(calls)\n".utf8))
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

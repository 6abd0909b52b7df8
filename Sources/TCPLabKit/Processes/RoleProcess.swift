import Foundation
import Glibc

/// A role (client, server …) running as its own process: the tcplab binary re-run as
/// `tcplab role NAME …` with posix_spawn, so that signals and exits are real.
///
/// The role reads commands on its standard input and reports each step as a JSON line on
/// descriptor 3. Its standard error is a pipe the lab reads too, so that what the role (or glibc,
/// or the Swift runtime, dying in it) writes there is filed on the timeline with the role's steps
/// instead of reaching the terminal out of order: each line a note `stderr: LINE` of the role. It runs in its own process group (Ctrl-C in the terminal reaches only the lab,
/// which then tears roles down itself) and starts with SIGPIPE at its default action: an ignored
/// signal survives exec, so without POSIX_SPAWN_SETSIGDEF a role would inherit the lab's SIG_IGN.
public final class RoleProcess: @unchecked Sendable {
    /// The role's name on the timeline: `server`, `client`, `client 2` …
    public let label: String
    public let pid: pid_t
    private let commandFD: Int32
    private let lock = NSLock()
    private var commandsClosed = false
    /// Called on the sender's thread before each command line is written (the lab's `--step`
    /// pause); set once, right after the spawn, before any command.
    var beforeCommand: ((String) -> Void)?
    /// Whether the role waits for the lab's word (`RoleGate`) before the calls it makes on its
    /// own (`LabRun.spawn(heldInSteps:)`); set once, right after the spawn.
    var held = false

    /// The role's reports, as its reader thread works through them.
    let reports: ReportPipe
    /// The role's standard error, as its reader thread works through it.
    let standardError: ReportPipe

    /// strace's reports of the role's calls, when it runs under strace.
    let trace: (any RoleTrace)?

    private init(label: String, pid: pid_t, commandFD: Int32, reports: ReportPipe, standardError: ReportPipe, trace: (any RoleTrace)?) {
        self.label = label
        self.pid = pid
        self.commandFD = commandFD
        self.reports = reports
        self.standardError = standardError
        self.trace = trace
    }

    /// Whether everything the role has written so far, reports and standard error, is in the log;
    /// under strace, also every call it began before `time` (CLOCK_REALTIME µs).
    func caughtUp(since time: Int64) -> Bool {
        guard let trace else { return reports.caughtUp && standardError.caughtUp }
        return trace.reached(time) { reports.caughtUp && standardError.caughtUp }
    }

    /// Starts `executable arguments…` as a role and begins collecting its reports and its end into `log`.
    /// `environment` entries (`NAME=VALUE`) are added to the lab's; `trace`, when given, takes
    /// what is written on descriptor 3 instead of the role-report decoder (`tcplab check` runs a
    /// student's program under strace writing its trace there); `mergeOutput` sends the role's
    /// standard output into its standard error pipe too (a student's program prints there).
    public static func spawn(
        executable: String, arguments: [String], label: String, log: EventLog, environment: [String] = [],
        trace: (any RoleTrace)? = nil, mergeOutput: Bool = false
    ) throws(LabError) -> RoleProcess {
        let commands: (read: Int32, write: Int32)
        let reports: (read: Int32, write: Int32)
        let errors: (read: Int32, write: Int32)
        do {
            commands = try FileDescriptorIO.makePipe()
            reports = try FileDescriptorIO.makePipe()
            errors = try FileDescriptorIO.makePipe()
        } catch {
            throw LabError.system(call: "pipe", errno: error)
        }
        defer {
            close(commands.read)
            close(reports.write)
            close(errors.write)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commands.read, 0)
        posix_spawn_file_actions_adddup2(&actions, reports.write, 3)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        if mergeOutput { posix_spawn_file_actions_adddup2(&actions, errors.write, 1) }

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envp = (roleEnvironment() + environment).map { strdup($0) }
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = SpawnAttributes.with { attributes in
            posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        }
        guard status == 0 else {
            close(commands.write)
            close(reports.read)
            close(errors.read)
            throw LabError.system(call: "posix_spawn \(executable)", errno: Errno(rawValue: status))
        }

        let childPID = pid
        let pipe = ReportPipe(fd: reports.read)
        let errorPipe = ReportPipe(fd: errors.read)
        let role = RoleProcess(label: label, pid: childPID, commandFD: commands.write, reports: pipe, standardError: errorPipe, trace: trace)
        log.roleStarted(label: label, pid: childPID)
        Thread.detachNewThread {
            if let trace {
                pipe.readChunks({ trace.take($0, at: WallClock.nowMicroseconds()) }, idle: { log.wake() })
            } else {
                pipe.read({ log.append(report: $0, from: label) }, idle: { log.wake() })
            }
            log.pipeEnded(.reports, of: label, at: WallClock.nowMicroseconds())
        }
        Thread.detachNewThread {
            errorPipe.read({ line in
                let time = WallClock.nowMicroseconds()
                if mergeOutput, let trace { trace.printed(line, at: time) } else { log.append(standardError: line, from: label, at: time, merged: mergeOutput) }
            }, idle: { log.wake() })
            log.pipeEnded(.standardError, of: label, at: WallClock.nowMicroseconds())
        }
        Thread.detachNewThread {
            var status: Int32 = 0
            // Reap exactly this child (never P_ALL: other roles have reapers of their own).
            while waitpid(childPID, &status, 0) == -1 && errno == EINTR {}
            log.recordTermination(label: label, Termination(waitStatus: status), at: WallClock.nowMicroseconds())
        }
        return role
    }

    /// The lab's environment plus LIBC_FATAL_STDERR_=1: glibc writes its fatal messages
    /// (`*** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated`) to standard error, not
    /// to the controlling terminal, so that they reach the role's stderr pipe (glibc's
    /// `__libc_message`, older versions open /dev/tty unless the variable is set).
    private static func roleEnvironment() -> [String] {
        var entries: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if !text.hasPrefix("LIBC_FATAL_STDERR_=") { entries.append(text) }
            index += 1
        }
        return entries + ["LIBC_FATAL_STDERR_=1"]
    }

    /// Sends one command line to the role's standard input. A role that already died is not an error:
    /// the lab ignores SIGPIPE, so the write just fails with EPIPE and the death shows in the log.
    public func send(_ command: String) {
        beforeCommand?(command)
        lock.lock()
        defer { lock.unlock() }
        guard !commandsClosed else { return }
        try? FileDescriptorIO.writeLine(commandFD, command)
    }

    /// Closes the role's standard input: a role reading commands sees end of file and finishes.
    public func closeCommands() {
        lock.lock()
        defer { lock.unlock() }
        guard !commandsClosed else { return }
        commandsClosed = true
        close(commandFD)
    }

    /// Signals the role's whole process group (it is the group leader), so its forked children go too.
    public func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }
}

import Foundation
import Glibc

/// What a process is doing at one instant, as /proc tells it: its state letter, the kernel
/// function it sleeps in, and the CPU time it has used so far.
///
/// - `state`, `userTicks`, `systemTicks`: /proc/PID/stat fields 3, 14 (utime) and 15 (stime),
///   proc(5); the times are in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 a second on Linux), so
///   their resolution is 10 ms.
/// - `wchan`: /proc/PID/wchan, the symbol of the kernel function a sleeping process waits in
///   (`wait_woken` for a TCP recv(), `do_sys_poll` for poll()); `0` for a running process, or
///   where the kernel hides it (no CONFIG_KALLSYMS, or ptrace access refused).
public struct ProcessActivity: Sendable, Codable, Equatable {
    /// When it was read, CLOCK_REALTIME microseconds, taken after both files were read: whatever
    /// happened after this time (a segment captured later) cannot show in the reading.
    public var time: Int64
    public var pid: Int32
    /// R running, S sleeping (interruptible), D uninterruptible, …; `?` when the process was gone.
    public var state: String
    public var wchan: String
    public var userTicks: Int
    public var systemTicks: Int

    public init(time: Int64, pid: Int32, state: String, wchan: String, userTicks: Int, systemTicks: Int) {
        self.time = time
        self.pid = pid
        self.state = state
        self.wchan = wchan
        self.userTicks = userTicks
        self.systemTicks = systemTicks
    }

    /// utime + stime, in clock ticks.
    public var cpuTicks: Int { userTicks + systemTicks }

    /// Whether the process was asleep waiting for an event (state S, interruptible sleep).
    public var isAsleep: Bool { state == "S" }

    /// Whether the process was on a CPU or ready to run (state R).
    public var isRunning: Bool { state == "R" }

    /// Builds a reading from the text of /proc/PID/stat and /proc/PID/wchan; nil when `stat` is
    /// not a stat line. The state comes from `ProcessStat.parse` (procps' last-`)` rule); utime and
    /// stime are the 12th and 13th fields after the command name's closing parenthesis.
    public static func parse(stat: String, wchan: String, time: Int64) -> ProcessActivity? {
        guard let process = ProcessStat.parse(stat), let fields = ProcessStat.fieldsAfterCommand(stat) else { return nil }
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        let channel = wchan.trimmingCharacters(in: .whitespacesAndNewlines)
        return ProcessActivity(time: time, pid: process.pid, state: process.state, wchan: channel.isEmpty ? "0" : channel,
                               userTicks: user, systemTicks: system)
    }

    /// Reads `pid` now; nil once the process is gone.
    public static func read(pid: Int32, procRoot: String = "/proc") -> ProcessActivity? {
        guard case .success(let stat) = ProcText.read(path: "\(procRoot)/\(pid)/stat") else { return nil }
        let wchan: String
        if case .success(let text) = ProcText.read(path: "\(procRoot)/\(pid)/wchan") { wchan = text } else { wchan = "0" }
        return parse(stat: stat, wchan: wchan, time: WallClock.nowMicroseconds())
    }

    /// Clock ticks per second (`getconf CLK_TCK`), for turning utime/stime into milliseconds.
    public static var ticksPerSecond: Int { max(1, sysconf(Int32(_SC_CLK_TCK))) }
}

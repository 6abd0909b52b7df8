import Glibc

/// What /proc says a benchmark server costs at one moment: its threads (/proc/PID/task), its processes (itself
/// and its children, for fork), their peak resident memory summed, and their CPU time.
///
/// Peak RSS is VmHWM from /proc/PID/status (the kernel's high-water mark of resident memory), so
/// one reading after the load is the peak of the whole run for every process still alive. CPU
/// time is utime+stime from /proc/PID/stat, plus cutime+cstime (children already reaped), plus
/// each live child's own utime+stime.
public struct ServerUsage: Sendable, Equatable {
    public var threads: Int
    public var processes: Int
    public var peakRSSKilobytes: Int
    /// In clock ticks (sysconf(_SC_CLK_TCK), 100 per second on Linux).
    public var cpuTicks: Int

    public init(threads: Int, processes: Int, peakRSSKilobytes: Int, cpuTicks: Int) {
        self.threads = threads
        self.processes = processes
        self.peakRSSKilobytes = peakRSSKilobytes
        self.cpuTicks = cpuTicks
    }

    /// Clock ticks per second, to turn `cpuTicks` into seconds.
    public static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Reads the usage of `pid` and its children now; nil if the server is gone.
    public static func read(pid: Int32, procRoot: String = "/proc") -> ServerUsage? {
        guard case .success(let stat) = ProcText.read(path: "\(procRoot)/\(pid)/stat"),
              let own = cpu(statLine: stat),
              case .success(let status) = ProcText.read(path: "\(procRoot)/\(pid)/status")
        else { return nil }
        var usage = ServerUsage(
            threads: ProcText.directoryEntries(path: "\(procRoot)/\(pid)/task")?.count ?? 1, processes: 1,
            peakRSSKilobytes: field("VmHWM", in: status) ?? 0, cpuTicks: own.own + own.reaped)
        for name in ProcText.directoryEntries(path: procRoot) ?? [] {
            guard let child = Int32(name), child != pid,
                  case .success(let childStat) = ProcText.read(path: "\(procRoot)/\(name)/stat"),
                  let fields = cpu(statLine: childStat), fields.parent == pid
            else { continue }
            usage.processes += 1
            usage.cpuTicks += fields.own
            // A zombie has no memory left and no VmHWM line.
            if case .success(let childStatus) = ProcText.read(path: "\(procRoot)/\(name)/status") {
                usage.peakRSSKilobytes += field("VmHWM", in: childStatus) ?? 0
            }
        }
        return usage
    }

    /// The number in a `Name:   123 kB` line of /proc/PID/status.
    static func field(_ name: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }

    /// The parent pid and CPU ticks of a /proc/PID/stat line: `own` = utime + stime (fields 14,
    /// 15), `reaped` = cutime + cstime (16, 17). Fields are counted after the last `)`, since
    /// the command name may hold spaces.
    static func cpu(statLine line: String) -> (parent: Int32, own: Int, reaped: Int)? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
        guard fields.count >= 15, let parent = Int32(fields[1]),
              let utime = Int(fields[11]), let stime = Int(fields[12]),
              let cutime = Int(fields[13]), let cstime = Int(fields[14])
        else { return nil }
        return (parent, utime + stime, cutime + cstime)
    }
}

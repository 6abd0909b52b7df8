import Glibc

/// What /proc says a benchmark server costs at one moment: its threads (/proc/PID/task), its
/// processes (itself and its children, for fork), their peak resident memory summed, and the
/// time their tasks spent on a CPU and waiting for one.
///
/// Peak RSS is VmHWM from /proc/PID/status (the kernel's high-water mark of resident memory), so
/// one reading after the load is the peak of the whole run for every process still alive; summed
/// over fork's children it counts the pages they share (libraries, copy-on-write) once per child,
/// so it overstates what they cost together. CPU and run-queue wait come from
/// /proc/PID/task/TID/schedstat (nanoseconds on a CPU, nanoseconds runnable but waiting for
/// one), summed over every live task of the server and its children: the benchmark keeps every
/// connection open until it has read them, so no worker has exited yet.
public struct ServerUsage: Sendable, Equatable {
    public var threads: Int
    public var processes: Int
    public var peakRSSKilobytes: Int
    public var cpuNanoseconds: UInt64
    public var waitNanoseconds: UInt64

    public init(threads: Int, processes: Int, peakRSSKilobytes: Int, cpuNanoseconds: UInt64, waitNanoseconds: UInt64) {
        self.threads = threads
        self.processes = processes
        self.peakRSSKilobytes = peakRSSKilobytes
        self.cpuNanoseconds = cpuNanoseconds
        self.waitNanoseconds = waitNanoseconds
    }

    /// Reads the usage of `pid` and its children now; nil if the server is gone.
    public static func read(pid: Int32, procRoot: String = "/proc") -> ServerUsage? {
        guard case .success(let status) = ProcText.read(path: "\(procRoot)/\(pid)/status"),
              let tasks = ProcText.directoryEntries(path: "\(procRoot)/\(pid)/task")
        else { return nil }
        var usage = ServerUsage(threads: tasks.count, processes: 1, peakRSSKilobytes: field("VmHWM", in: status) ?? 0,
                                cpuNanoseconds: 0, waitNanoseconds: 0)
        usage.addSchedule(of: pid, tasks: tasks, procRoot: procRoot)
        for name in ProcText.directoryEntries(path: procRoot) ?? [] {
            guard let child = Int32(name), child != pid,
                  ProcessStat.read(pid: child, procRoot: procRoot)?.parentPID == pid
            else { continue }
            usage.processes += 1
            // A zombie has no memory left and no VmHWM line.
            if case .success(let childStatus) = ProcText.read(path: "\(procRoot)/\(name)/status") {
                usage.peakRSSKilobytes += field("VmHWM", in: childStatus) ?? 0
            }
            usage.addSchedule(of: child, tasks: ProcText.directoryEntries(path: "\(procRoot)/\(name)/task") ?? [], procRoot: procRoot)
        }
        return usage
    }

    private mutating func addSchedule(of pid: Int32, tasks: [String], procRoot: String) {
        for task in tasks {
            guard case .success(let text) = ProcText.read(path: "\(procRoot)/\(pid)/task/\(task)/schedstat"),
                  let times = Self.schedule(text)
            else { continue }
            cpuNanoseconds += times.cpu
            waitNanoseconds += times.wait
        }
    }

    /// The number in a `Name:   123 kB` line of /proc/PID/status.
    static func field(_ name: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }

    /// A schedstat line, `cpu_ns wait_ns timeslices`: time on a CPU and time runnable on a run queue.
    public static func schedule(_ text: String) -> (cpu: UInt64, wait: UInt64)? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let cpu = UInt64(fields[0]), let wait = UInt64(fields[1]) else { return nil }
        return (cpu, wait)
    }
}

/// A process and its children, read from /proc: what the zombie scenario shows next to the
/// socket states (`ps -o pid,ppid,stat,comm --ppid PID`).
///
/// The kernel keeps no list of a process's children that survives its death, and
/// /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN, so this scans every /proc/*/stat
/// for the parent pid. Processes that vanish during the scan are skipped.
public enum ProcessTable {
    /// `root` (if it still exists), every process whose parent is `root`, and the processes in
    /// `also` that still exist (children that were re-parented after `root` died), sorted by pid.
    public static func family(of root: Int32, also: [Int32] = [], procRoot: String = "/proc") -> [ProcessStat] {
        let wanted = Set(also)
        var rows: [ProcessStat] = []
        for name in ProcText.directoryEntries(path: procRoot) ?? [] {
            guard let pid = Int32(name), pid > 0 else { continue }
            // Read only candidates' stat files in full when the pid is known; others must be read
            // to learn their parent.
            guard let stat = ProcessStat.read(pid: pid, procRoot: procRoot) else { continue }
            if pid == root || stat.parentPID == root || wanted.contains(pid) { rows.append(stat) }
        }
        return rows.sorted { $0.pid < $1.pid }
    }

    /// Whether `pid` has exited: gone from /proc (reaped) or a zombie waiting to be reaped.
    public static func hasExited(_ pid: Int32, procRoot: String = "/proc") -> Bool {
        guard let stat = ProcessStat.read(pid: pid, procRoot: procRoot) else { return true }
        return stat.isZombie
    }
}

/// One row of a process snapshot: the process and what it is in the story.
public struct ProcessRow: Sendable, Codable, Equatable {
    public var process: ProcessStat
    /// `server`, `server child`, `lab`, `new parent` …
    public var role: String

    public init(process: ProcessStat, role: String) {
        self.process = process
        self.role = role
    }
}

/// The process table at a moment that matters, as data (for the claims and `--json`).
public struct ProcessSnapshot: Sendable, Codable, Equatable {
    public var time: Int64
    /// The moment's id (`ScenarioMoment.rawValue`); nil in older recordings.
    public var id: String?
    /// Why this moment: `after the clients left`.
    public var moment: String
    public var rows: [ProcessRow]

    public init(time: Int64, id: String? = nil, moment: String, rows: [ProcessRow]) {
        self.time = time
        self.id = id
        self.moment = moment
        self.rows = rows
    }

    /// The row of `pid`, if it was in the table.
    public func row(_ pid: Int32) -> ProcessRow? { rows.first { $0.process.pid == pid } }

    /// The snapshot as timeline lines: a title, then `pid  ppid  S  command  (role)` columns.
    public var lines: [String] {
        var lines = ["processes  \(moment):" + (rows.isEmpty ? " none of them exist any more" : "")]
        guard !rows.isEmpty else { return lines }
        lines.append("           " + right("PID", 7) + right("PPID", 7) + "  S  COMMAND")
        for row in rows {
            let process = row.process
            lines.append("           " + right(String(process.pid), 7) + right(String(process.parentPID), 7)
                         + "  " + left(process.state, 3) + left(process.displayCommand, 20) + row.role)
        }
        return lines
    }

    private func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Pads to `width`, always leaving at least one space before the next column.
    private func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

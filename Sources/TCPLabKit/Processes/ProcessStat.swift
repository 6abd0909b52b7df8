/// One process as /proc/PID/stat describes it: the columns `ps -o pid,ppid,stat,comm` shows.
///
/// The kernel writes `pid (comm) state ppid pgrp …`, where comm is the raw command name (up to
/// 15 bytes) and may itself contain spaces and parentheses, so the fields after it are found
/// from the LAST `)` in the line, as procps does.
public struct ProcessStat: Sendable, Codable, Equatable {
    public var pid: Int32
    /// The command name (`tcplab`, `process_api`), as in /proc/PID/comm.
    public var command: String
    /// The one-letter state: R running, S sleeping, D disk wait, T stopped, Z zombie, X dead …
    public var state: String
    /// The parent's pid: who will reap this process (0 for PID 1 itself).
    public var parentPID: Int32
    /// The process group: killpg reaches every process in it, forked children included.
    public var processGroup: Int32

    public init(pid: Int32, command: String, state: String, parentPID: Int32, processGroup: Int32) {
        self.pid = pid
        self.command = command
        self.state = state
        self.parentPID = parentPID
        self.processGroup = processGroup
    }

    /// True for a zombie: the process has exited and waits for its parent to collect its status.
    public var isZombie: Bool { state == "Z" }

    /// `tcplab`, or `[tcplab] <defunct>` for a zombie, as ps prints them.
    public var displayCommand: String { isZombie ? "[\(command)] <defunct>" : command }

    /// Parses the text of /proc/PID/stat (one line, with or without its newline); nil when it is
    /// not one. Pure: the only parser of that file in tcplab, tested on recorded lines.
    ///
    /// The command name is everything between the first `(` and the LAST `)` (procps' rule), so a
    /// comm such as `a b) c)` in `1234 (a b) c)) S 1 …` cannot shift the fields after it.
    public static func parse(_ text: String) -> ProcessStat? {
        let line = Substring(text)
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close,
              let pid = Int32(line[..<open].trimmingSpaces)
        else { return nil }
        let command = String(line[line.index(after: open)..<close])
        guard let fields = fieldsAfterCommand(text), fields.count >= 3, fields[0].count == 1,
              let parentPID = Int32(fields[1]), let processGroup = Int32(fields[2])
        else { return nil }
        return ProcessStat(pid: pid, command: command, state: String(fields[0]), parentPID: parentPID,
                           processGroup: processGroup)
    }

    /// The fields after the command name's closing parenthesis (the LAST `)`): state, ppid,
    /// pgrp, … — `proc_pid_stat(5)`'s fields 3 onwards, so index 0 is the state, 11 utime and 12
    /// stime (in clock ticks). Nil when there is no `)`.
    public static func fieldsAfterCommand(_ text: String) -> [Substring]? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// Reads /proc/PID/stat (`procRoot` stands in for /proc in tests); nil once the process is
    /// gone (exited and reaped) or when the file is not a stat line.
    public static func read(pid: Int32, procRoot: String = "/proc") -> ProcessStat? {
        guard case .success(let text) = ProcText.read(path: "\(procRoot)/\(pid)/stat") else { return nil }
        return parse(text)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}

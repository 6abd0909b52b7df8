import Glibc

/// What /proc says about a server process at one moment: how many threads it runs
/// (/proc/PID/task, one directory per thread) and which processes are its children
/// (`ProcessTable.family`, /proc/*/stat with that parent), how many of them defunct (state Z,
/// exited and not yet reaped).
///
/// The lab records a census at a named moment (`LabRun.recordCensus`) into the observation's
/// `censuses` (and `--json`'s `censuses`); claims find it by moment with `Observation.census(at:)`.
public struct ProcessCensus: Sendable, Codable, Equatable {
    /// When it was read, CLOCK_REALTIME microseconds.
    public var time: Int64
    /// The moment's id (`ScenarioMoment.rawValue`, `all-connected`).
    public var id: String
    /// What the timeline prints for the moment: `with all clients connected`.
    public var moment: String
    /// The server's pid; `threads` is 0 and `children` empty when it no longer existed.
    public var pid: Int32
    public var threads: Int
    public var children: [Int32]
    public var defunct: Int

    public init(time: Int64, id: String, moment: String, pid: Int32, threads: Int, children: [Int32], defunct: Int) {
        self.time = time
        self.id = id
        self.moment = moment
        self.pid = pid
        self.threads = threads
        self.children = children
        self.defunct = defunct
    }

    /// Reads the census of `pid` now, labelled with `moment`; threads 0 if the process is gone.
    static func read(pid: Int32, at moment: some ScenarioMoment, time: Int64 = WallClock.nowMicroseconds()) -> ProcessCensus {
        let threads = ProcText.directoryEntries(path: "/proc/\(pid)/task")?.count ?? 0
        let children = ProcessTable.family(of: pid).filter { $0.parentPID == pid }
        return ProcessCensus(time: time, id: moment.rawValue, moment: moment.text, pid: pid, threads: threads,
                             children: children.map(\.pid), defunct: children.filter(\.isZombie).count)
    }

    /// Whether this census was taken at `moment`.
    public func isAt(_ moment: some ScenarioMoment) -> Bool { id == moment.rawValue }

    /// `lab     /proc with all clients connected: server pid 311 has 1 thread(s) and 3 child process(es) (312 313 314), 0 defunct`.
    public var note: String {
        let pids = children.map(String.init).joined(separator: " ")
        guard threads > 0 else { return "lab     /proc \(moment): server pid \(pid) is gone" }
        return "lab     /proc \(moment): server pid \(pid) has \(threads) thread(s) and \(children.count) child process(es)"
            + " (\(pids.isEmpty ? "none" : pids)), \(defunct) defunct"
    }

    /// What the table settles on: threads, children and how many are defunct.
    var settlingKey: [Int32] { [Int32(threads), Int32(defunct)] + children }
}

extension Observation {
    /// The /proc census recorded at `moment`, if the run got that far.
    public func census(at moment: some ScenarioMoment) -> ProcessCensus? {
        censuses.first { $0.isAt(moment) }
    }
}

extension LabRun {
    /// Reads the census of `pid`, lets it settle (`Settling.processes`: a fork or a thread's end
    /// takes a scheduler tick), and records it at `moment`: as data in the observation and as a
    /// note on the timeline. Never waits for any particular census: the claims judge it.
    @discardableResult
    func recordCensus(_ moment: some ScenarioMoment, pid: Int32, settling: Settling = .processes) -> ProcessCensus {
        var census = settle(settling, read: { ProcessCensus.read(pid: pid, at: moment) }, key: \.settlingKey)
        census.time = WallClock.nowMicroseconds()
        log.append(census: census)
        log.note(census.note, at: census.time)
        return census
    }
}

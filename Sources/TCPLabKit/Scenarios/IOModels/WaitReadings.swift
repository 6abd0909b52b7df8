import Foundation

/// Readings of one process's /proc activity (`ProcessActivity`) taken about every 20 ms over a
/// stretch of a scenario named by a moment: the io-models server while it waits for the
/// client's data. Claims judge the readings taken before the data segment was captured.
///
/// Recorded with `LabRun.recordActivity` into the observation's `waitReadings` (and `--json`'s
/// `waitReadings`); found by moment with `Observation.waitReadings(at:)`.
public struct WaitReadings: Sendable, Codable, Equatable {
    /// The moment's id (`ScenarioMoment.rawValue`, `while-server-waits`).
    public var id: String
    /// What the timeline prints for the moment: `while the server waits for data`.
    public var moment: String
    /// The role read (`server`) and its pid.
    public var role: String
    public var pid: Int32
    /// `sysconf(_SC_CLK_TCK)` where the readings were taken: utime/stime ticks per second.
    public var ticksPerSecond: Int
    /// In the order taken.
    public var readings: [ProcessActivity]

    public init(id: String, moment: String, role: String, pid: Int32, ticksPerSecond: Int, readings: [ProcessActivity]) {
        self.id = id
        self.moment = moment
        self.role = role
        self.pid = pid
        self.ticksPerSecond = ticksPerSecond
        self.readings = readings
    }

    /// Whether these readings were taken at `moment`.
    public func isAt(_ moment: some ScenarioMoment) -> Bool { id == moment.rawValue }

    /// The readings taken before `time` (CLOCK_REALTIME microseconds), or all when `time` is nil.
    public func before(_ time: Int64?) -> [ProcessActivity] {
        guard let time else { return readings }
        return readings.filter { $0.time < time }
    }

    /// CPU time (utime + stime) the process used between the first and last of `readings`, in
    /// milliseconds, and the wall-clock milliseconds between them; nil for fewer than 2 readings.
    public func cpu(over readings: [ProcessActivity]) -> (cpuMilliseconds: Int, wallMilliseconds: Int)? {
        guard let first = readings.first, let last = readings.last, readings.count >= 2 else { return nil }
        let ticks = last.cpuTicks - first.cpuTicks
        return (ticks * 1000 / max(1, ticksPerSecond), Int((last.time - first.time) / 1000))
    }

    /// The timeline's summary: `lab     /proc/412 while the server waits for data: 15 readings over 290 ms: S (wchan wait_woken) ×15; CPU +0 ms`.
    public func note(before time: Int64?) -> String {
        let shown = before(time)
        var counts: [(String, Int)] = []
        for reading in shown {
            let key = reading.state + (reading.wchan == "0" ? "" : " (wchan \(reading.wchan))")
            if let index = counts.firstIndex(where: { $0.0 == key }) { counts[index].1 += 1 } else { counts.append((key, 1)) }
        }
        let states = counts.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")
        let cpuText = cpu(over: shown).map { "utime+stime +\($0.cpuMilliseconds) ms in \($0.wallMilliseconds) ms" } ?? "too few readings for CPU time"
        return "lab     /proc/\(pid) \(moment): \(shown.count) readings before the data segment: \(states.isEmpty ? "none" : states); \(cpuText)"
    }
}

extension Observation {
    /// The /proc readings recorded at `moment`, if the run got that far.
    public func waitReadings(at moment: some ScenarioMoment) -> WaitReadings? {
        waitReadings.first { $0.isAt(moment) }
    }
}

extension LabRun {
    /// Reads the process table of a student's program (`root`), its children and `also`,
    /// lets it settle (`Settling.processes`) and records it at `moment`, on the timeline and in the
    /// observation, rows named by `roles`. Unlike `recordProcesses` it adds no row for the parent
    /// of `root`: under strace that is strace, not a process that adopted anything.
    @discardableResult
    func recordProgramProcesses(
        _ moment: some ScenarioMoment, root: Int32, also: [Int32], roles: @escaping (ProcessStat) -> String
    ) -> ProcessSnapshot {
        let table = settle(.processes, read: { ProcessTable.family(of: root, also: also) },
                           key: { $0.map { [$0.pid, $0.parentPID, Int32($0.state.unicodeScalars.first?.value ?? 0)] } })
        let snapshot = ProcessSnapshot(time: WallClock.nowMicroseconds(), id: moment.rawValue, moment: moment.text,
                                       rows: table.map { ProcessRow(process: $0, role: roles($0)) })
        log.note(snapshot.lines.joined(separator: "\n        "), at: snapshot.time, processes: snapshot)
        return snapshot
    }
}

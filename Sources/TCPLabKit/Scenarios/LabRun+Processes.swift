import CPcap
import Glibc

/// Process tables on the timeline, for scenarios about processes rather than sockets: the
/// zombie story's `pid ppid S command` snapshots, and the lab acting as a child subreaper.
extension LabRun {
    /// Reads the process table of `root` and its children (plus `also`, children that may have been
    /// re-parented) and puts it on the timeline as a snapshot labelled `moment`.
    /// `roles` names each row; rows whose parent is neither `root` nor the lab get their parent's
    /// row added as `new parent`, so a re-parenting shows who adopted the child.
    @discardableResult
    func recordProcesses(
        _ moment: String, root: Int32, also: [Int32], roles: @escaping (ProcessStat) -> String
    ) -> ProcessSnapshot {
        record(moment, ProcessTable.family(of: root, also: also), root: root, roles: roles)
    }

    /// Polls /proc until `match` holds for the table of `root` and `also`, then records it as in
    /// `recordProcesses`. /proc has no change events, so it is re-read every 2 ms (and whenever
    /// the log changes) until the timeout.
    @discardableResult
    func waitForProcesses(
        _ moment: String, until what: String, root: Int32, also: [Int32], timeout: Double? = nil,
        roles: @escaping (ProcessStat) -> String, _ match: @escaping ([ProcessStat]) -> Bool
    ) throws(LabError) -> ProcessSnapshot {
        var last: [ProcessStat] = []
        let table: [ProcessStat]
        do {
            table = try log.poll(for: what, timeout: timeout ?? options.timeout) { () -> [ProcessStat]? in
                last = ProcessTable.family(of: root, also: also)
                return match(last) ? last : nil
            }
        } catch {
            if case .timedOut(let waitingFor, let seconds, _) = error {
                let seen = last.map { "pid \($0.pid) ppid \($0.parentPID) \($0.state)" }.joined(separator: ", ")
                throw LabError.timedOut(waitingFor: waitingFor, seconds: seconds, seen: seen.isEmpty ? "no such processes" : seen)
            }
            throw error
        }
        return record(moment, table, root: root, roles: roles)
    }

    private func record(
        _ moment: String, _ table: [ProcessStat], root: Int32, roles: (ProcessStat) -> String
    ) -> ProcessSnapshot {
        let lab = getpid()
        var rows = table.map { ProcessRow(process: $0, role: roles($0)) }
        let adopters = Set(table.map(\.parentPID)).subtracting([root, lab, 0]).subtracting(table.map(\.pid))
        for pid in adopters.sorted() {
            guard let parent = ProcessStat.read(pid: pid) else { continue }
            rows.append(ProcessRow(process: parent, role: "new parent: " + (pid == 1 ? "PID 1, the init" : "a subreaper")))
        }
        if table.contains(where: { $0.parentPID == lab && $0.pid != root }), let me = ProcessStat.read(pid: lab) {
            rows.append(ProcessRow(process: me, role: "lab (tcplab itself)"))
        }
        let snapshot = ProcessSnapshot(time: WallClock.nowMicroseconds(), moment: moment, rows: rows)
        log.note(snapshot.lines.joined(separator: "\n        "), at: snapshot.time, processes: snapshot)
        return snapshot
    }

    /// Makes the lab process a child subreaper: orphans among its descendants come to it instead
    /// of PID 1, and it must reap them (by pid: `reapAdopted`).
    func becomeChildSubreaper() throws(LabError) {
        guard tcplab_set_child_subreaper(1) == 0 else {
            throw LabError.system(call: "prctl(PR_SET_CHILD_SUBREAPER)", errno: .current)
        }
        log.note("lab     prctl(PR_SET_CHILD_SUBREAPER, 1) = 0: orphans of the server will be re-parented to the lab")
    }

    /// Reaps `pid`, an orphan the lab adopted as subreaper, once it has exited; only that pid,
    /// never waitpid(-1): the lab's own roles have reaper threads of their own.
    func reapAdopted(_ pid: Int32) throws(LabError) {
        try log.poll(for: "adopted orphan \(pid) to exit", timeout: options.timeout) { ProcessTable.hasExited(pid) ? true : nil }
        var status: Int32 = 0
        var result: Int32
        repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
        guard result == pid else { throw LabError.system(call: "waitpid(\(pid))", errno: .current) }
        log.note("lab     waitpid(\(pid)) = \(pid): \(Termination(waitStatus: status)) (reaped by the lab, its new parent)")
    }
}

extension LabRun {
    /// Makes the lab a child subreaper for the teardown: a role's forked children that outlive it
    /// (zombies it never reaped, orphans still serving) then come to the lab when the role is
    /// killed, instead of waiting for PID 1 (which, in some sandboxes, reaps only every second or two).
    func adoptOrphansDuringTeardown() {
        _ = tcplab_set_child_subreaper(1)
    }

    /// The end of a teardown, once the roles were signalled: kills and reaps, by pid (never
    /// waitpid(-1)), every child of the lab that is not one of its roles (orphans it adopted as a
    /// subreaper); SIGKILLs whatever is still alive in a role's process group (forked children
    /// of a role that already ended, serving on under PID 1); then waits, bounded, until no
    /// process of any role's process group is left, not even a zombie PID 1 has still to reap.
    /// After Ctrl-C (`interrupted`) that last wait is cut short: zombies PID 1 has not reaped
    /// within 0.2 s are left to it (the lab cannot reap them, and some inits reap only every
    /// second or two), so the run still ends within half a second. finish() and abort() call it.
    func cleanUpAfterRoles(interrupted: Bool = false) {
        let roles = Set(log.snapshot.pids.values)
        for pid in ProcessGroups.reapAdoptedOrphans(except: roles) { log.note("lab     killed and reaped adopted orphan \(pid)") }
        // Forked children stay in their role's process group, so the group's members are the run's processes.
        ProcessGroups.signal(roles, SIGKILL)
        var lateOrphans: [Int32] = []
        func gone(leavingInitsZombies: Bool) -> Bool? {
            // Killed children re-parented to the lab after the first sweep are reaped here (noted
            // after the poll: its check runs under the log's lock).
            lateOrphans += ProcessGroups.reapAdoptedOrphans(except: roles)
            return ProcessGroups.remaining(of: roles, leavingInitsZombies: leavingInitsZombies).isEmpty ? true : nil
        }
        let what = "the roles' processes to be gone"
        if (try? log.poll(for: what, timeout: interrupted ? 0.2 : 3, interval: 0.002) { gone(leavingInitsZombies: false) }) == nil, interrupted {
            _ = try? log.poll(for: what, timeout: 1, interval: 0.002) { gone(leavingInitsZombies: true) }
        }
        for pid in lateOrphans { log.note("lab     killed and reaped adopted orphan \(pid)") }
    }
}

import CPcap
import Glibc

/// Process tables on the timeline, for scenarios about processes rather than sockets: the
/// zombie story's `pid ppid S command` snapshots (recorded at moments by `recordProcesses`),
/// the lab's own kill and waitpid calls, and the lab acting as a child subreaper.
extension LabRun {
    /// Waits until process `pid` has exited (a zombie, or gone from /proc): the end of a role whose
    /// forked children still hold its report pipe, so that `waitForEnd` cannot see it yet. The
    /// kernel re-parents the children in the exit itself (exit_notify), before the process is a zombie.
    func waitForExit(of pid: Int32, _ what: String) throws(LabError) {
        stepBefore(.wait, "the lab waits for \(what)") { ProcessTable.hasExited(pid) }
        try log.poll(for: what, timeout: options.timeout) { ProcessTable.hasExited(pid) ? true : nil }
    }

    /// Waits at most `seconds` for the table of `root` and `also` to satisfy `match`, re-reading
    /// /proc every 2 ms; returns whether it did. A bounded window for a change a claim judges (a
    /// new parent reaping the children it adopted), never a failure: the table recorded next shows
    /// what came.
    @discardableResult
    func awaitProcesses(
        _ what: String, within seconds: Double, root: Int32, also: [Int32], _ match: @escaping ([ProcessStat]) -> Bool
    ) -> Bool {
        (try? log.poll(for: what, timeout: seconds) { match(ProcessTable.family(of: root, also: also)) ? true : nil }) ?? false
    }

    /// kill(2) of `pid` with `signal`, made by the lab: kept as a `LabProcessCall` and noted on
    /// the timeline as `lab     kill(PID, SIGKILL) = 0   (why)`. Returns kill's result.
    @discardableResult
    func killProcess(_ pid: Int32, with signal: Int32, why: String) -> Int32 {
        stepBefore(.command, "the lab calls kill(\(pid), \(SignalName.of(signal))) (\(why))")
        let result = Glibc.kill(pid, signal)
        let failure = result == -1 ? Errno.current : nil
        let call = LabProcessCall(time: WallClock.nowMicroseconds(), call: .kill, pid: pid, signal: signal, result: result,
                                  errno: failure?.rawValue)
        log.append(labCall: call)
        let shown = "\(result)" + (failure.map { " \($0.description)" } ?? "")
        log.note("lab     kill(\(pid), \(SignalName.of(signal))) = \(shown)   (\(why))", at: call.time)
        return result
    }

    /// Puts `table` on the timeline (and in the observation) as the process snapshot `id`,
    /// labelled `moment`; `recordProcesses` reads and settles it first.
    func record(
        id: String?, _ moment: String, _ table: [ProcessStat], root: Int32, roles: (ProcessStat) -> String
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
        let snapshot = ProcessSnapshot(time: WallClock.nowMicroseconds(), id: id, moment: moment, rows: rows)
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
        let call = LabProcessCall(time: WallClock.nowMicroseconds(), call: .waitpid, pid: pid, result: result,
                                  termination: Termination(waitStatus: status))
        log.append(labCall: call)
        log.note("lab     waitpid(\(pid)) = \(pid): \(Termination(waitStatus: status)) (reaped by the lab, its new parent)", at: call.time)
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

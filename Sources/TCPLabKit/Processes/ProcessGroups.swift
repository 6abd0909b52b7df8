import Glibc

/// The processes a run started, found by process group: every role and watched program is
/// spawned as the leader of a group of its own, and what it forks stays in that group, re-parented
/// or not. A teardown signals those groups, reaps what the lab adopted, and checks that nothing
/// of them is left.
///
/// Only processes of the lab's own session count (roles are never started in a new session), so
/// a group id the kernel has recycled for some other program after the group emptied is never
/// signalled.
public enum ProcessGroups {
    /// The processes of this session whose process group is one of `groups`, zombies included,
    /// read from /proc (`ps -o pid,ppid,pgid,stat -s SID`).
    public static func members(of groups: Set<Int32>) -> [ProcessStat] {
        guard !groups.isEmpty else { return [] }
        let session = getsid(0)
        return (ProcText.directoryEntries(path: "/proc") ?? []).compactMap { name in
            guard let pid = Int32(name), let stat = ProcessStat.read(pid: pid), groups.contains(stat.processGroup),
                  getsid(pid) == session
            else { return nil }
            return stat
        }
    }

    /// Sends `signal` to each of `groups` that still has a living member in this session (killpg:
    /// the forked children too, including those already re-parented to PID 1).
    public static func signal(_ groups: Set<Int32>, _ signal: Int32) {
        let living = Set(members(of: groups).filter { !$0.isZombie }.map(\.processGroup))
        for group in living { kill(-group, signal) }
    }

    /// Kills (SIGKILL) and reaps, by pid, every child of this process that is not in `except`:
    /// orphans it adopted as a child subreaper (PR_SET_CHILD_SUBREAPER). Never waitpid(-1): the
    /// processes in `except` have reaper threads of their own. Returns the pids reaped.
    public static func reapAdoptedOrphans(except: Set<Int32>) -> [Int32] {
        let me = getpid()
        var reaped: [Int32] = []
        for name in ProcText.directoryEntries(path: "/proc") ?? [] {
            guard let pid = Int32(name), !except.contains(pid), let stat = ProcessStat.read(pid: pid), stat.parentPID == me
            else { continue }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            var result: Int32
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            if result == pid { reaped.append(pid) }
        }
        return reaped
    }

    /// Members of `groups` still there; with `leavingInitsZombies`, zombies whose parent is PID 1
    /// do not count: the lab cannot reap them, and an init that reaps only every second or two
    /// would otherwise hold a Ctrl-C up.
    public static func remaining(of groups: Set<Int32>, leavingInitsZombies: Bool) -> [ProcessStat] {
        members(of: groups).filter { !(leavingInitsZombies && $0.isZombie && $0.parentPID == 1) }
    }
}

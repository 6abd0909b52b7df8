import Foundation
import Glibc

extension ProcessTable {
    /// Every living or zombie descendant of `ancestor` (children, their children, …), sorted by
    /// pid, read from /proc/*/stat (`ps --ppid`, recursively). A process re-parented to
    /// `ancestor` because it is a child subreaper (PR_SET_CHILD_SUBREAPER) counts as its child.
    public static func descendants(of ancestor: Int32, procRoot: String = "/proc") -> [ProcessStat] {
        var all: [ProcessStat] = []
        for name in ProcText.directoryEntries(path: procRoot) ?? [] {
            guard let pid = Int32(name), pid > 0, let stat = ProcessStat.read(pid: pid, procRoot: procRoot) else { continue }
            all.append(stat)
        }
        var inside: Set<Int32> = [ancestor]
        var result: [ProcessStat] = []
        var grew = true
        while grew {
            grew = false
            for stat in all where !inside.contains(stat.pid) && inside.contains(stat.parentPID) {
                inside.insert(stat.pid)
                result.append(stat)
                grew = true
            }
        }
        return result.sorted { $0.pid < $1.pid }
    }
}

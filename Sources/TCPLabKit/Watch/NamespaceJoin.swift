import CPcap
import Foundation
import Glibc

/// Moves this process into another process's user and network namespaces, as
/// `nsenter --target PID --user --net` does: setns(2) on /proc/PID/ns/user, then on
/// /proc/PID/ns/net. Joining the user namespace first gives every capability inside it (the
/// kernel grants them to a process that enters a user namespace), which setns on the network
/// namespace it owns requires; a namespace this process is already in is not entered again
/// (setns on one's own user namespace fails with EINVAL).
///
/// The process must still be single-threaded (setns(2): CLONE_NEWUSER refuses a threaded caller).
public enum NamespaceJoin {
    /// Enters `pid`'s namespaces; a one-line error names the one that could not be entered.
    public static func enter(pid: Int32) throws(LabError) {
        for (kind, flag) in [("user", TCPLAB_CLONE_NEWUSER), ("net", TCPLAB_CLONE_NEWNET)] {
            let path = "/proc/\(pid)/ns/\(kind)"
            var target = stat(), own = stat()
            guard stat(path, &target) == 0 else {
                throw LabError.usage("cannot join watch \(pid)'s \(kind) namespace: \(Errno.current.message.lowercased())")
            }
            guard stat("/proc/self/ns/\(kind)", &own) == 0 else { throw LabError.system(call: "stat /proc/self/ns/\(kind)", errno: .current) }
            if target.st_ino == own.st_ino && target.st_dev == own.st_dev { continue }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw LabError.usage("cannot join watch \(pid)'s \(kind) namespace: \(Errno.current.message.lowercased())")
            }
            defer { close(fd) }
            if tcplab_setns(fd, flag) != 0 {
                let failure = Errno.current
                let hint = failure.rawValue == EPERM ? " (a watch started by another user, or by root, can be joined only by that user)" : ""
                throw LabError.usage("cannot join watch \(pid)'s \(kind) namespace: \(failure.message.lowercased())\(hint)")
            }
        }
    }
}

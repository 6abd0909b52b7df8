import CPcap
import Foundation
import Glibc

/// Where a live run's traffic lives.
///
/// A private network namespace has its own loopback: port 7777 never collides with anything on
/// the host, the capture sees only this run's segments, and the namespace disappears with the
/// last process in it (nothing to clean up, even after a crash).
public enum NetworkIsolation: Sendable, Equatable {
    /// A new network namespace (as root, or with CAP_SYS_ADMIN).
    case privateNamespace
    /// A new user namespace owning a new network namespace: works unprivileged where the kernel allows it.
    case userNamespace
    /// The host's loopback, shared with everything else; `reason` says why no namespace could be had.
    case hostLoopback(reason: String)

    public var description: String {
        switch self {
        case .privateNamespace: return "private network namespace"
        case .userNamespace: return "private user + network namespace"
        case .hostLoopback(let reason): return "host loopback (\(reason))"
        }
    }

    public var isPrivate: Bool {
        if case .hostLoopback = self { return false }
        return true
    }

    /// Moves this process into a fresh network namespace and brings its `lo` up.
    ///
    /// Must run while the process is still single-threaded: a network namespace is per thread until
    /// threads are created, and CLONE_NEWUSER refuses multi-threaded callers outright.
    public static func enter() -> NetworkIsolation {
        if tcplab_unshare(TCPLAB_CLONE_NEWNET) == 0 {
            if let problem = bringLoopbackUp() { return .hostLoopback(reason: problem) }
            return .privateNamespace
        }
        let rootError = Errno.current
        let uid = getuid(), gid = getgid()
        if tcplab_unshare(TCPLAB_CLONE_NEWUSER | TCPLAB_CLONE_NEWNET) == 0 {
            // Map our own ids to root inside, as `unshare -rn` does, so we may capture on our own lo.
            try? "deny".write(toFile: "/proc/self/setgroups", atomically: false, encoding: .utf8)
            try? "0 \(uid) 1".write(toFile: "/proc/self/uid_map", atomically: false, encoding: .utf8)
            try? "0 \(gid) 1".write(toFile: "/proc/self/gid_map", atomically: false, encoding: .utf8)
            if let problem = bringLoopbackUp() { return .hostLoopback(reason: problem) }
            return .userNamespace
        }
        let userError = Errno.current
        return .hostLoopback(reason: "cannot create a network namespace: \(rootError.message.lowercased()); "
            + "nor a user namespace: \(userError.message.lowercased())")
    }

    /// `ip link set lo up` through SIOCSIFFLAGS; nil on success, else why not.
    private static func bringLoopbackUp() -> String? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return "socket for lo: \(Errno.current.message)" }
        defer { close(fd) }
        if tcplab_interface_up(fd, "lo") != 0 {
            return "cannot bring lo up in the new namespace: \(Errno.current.message.lowercased())"
        }
        return nil
    }
}

/// A process holding a socket: one open descriptor that refers to the socket's inode.
public struct SocketOwner: Sendable, Hashable, Codable {
    /// The process id (a directory name under /proc).
    public var pid: Int32
    /// The command name from /proc/PID/comm (at most 15 bytes, as `ps` and ss show it).
    public var command: String
    /// The descriptor number in that process.
    public var fd: Int32

    /// Builds an owner record.
    public init(pid: Int32, command: String, fd: Int32) {
        self.pid = pid
        self.command = command
        self.fd = fd
    }
}

/// Finds which processes hold which sockets, the way `ss -p` and `lsof` do.
///
/// The kernel exposes no socket-to-process table. Each open socket is a file whose
/// /proc/PID/fd/N link reads `socket:[INODE]`, the same inode /proc/net/tcp prints, so the
/// only way is to walk every process's descriptors. Seeing other users' processes needs root
/// (or CAP_SYS_PTRACE); unreadable ones are skipped.
public enum SocketOwners {
    /// Maps socket inode to the descriptors holding it, sorted by pid then fd.
    ///
    /// One socket can have several owners: descriptors are shared after `fork()`, `dup()` or
    /// `SCM_RIGHTS`. Processes that exit during the scan or cannot be read are skipped. When
    /// `inodes` is given, only those inodes are collected (and `comm` is read only for
    /// processes that hold one). Threads share their process's descriptor table, so only
    /// the top-level /proc/PID directories are read.
    public static func scan(procRoot: String = "/proc", inodes: Set<UInt64>? = nil) -> [UInt64: [SocketOwner]] {
        if let inodes, inodes.isEmpty { return [:] }
        var owners: [UInt64: [SocketOwner]] = [:]
        for name in ProcText.directoryEntries(path: procRoot) ?? [] {
            guard let pid = Int32(name), pid > 0 else { continue }
            let fdDirectory = "\(procRoot)/\(name)/fd"
            guard let fds = ProcText.directoryEntries(path: fdDirectory) else { continue }
            var found: [(inode: UInt64, fd: Int32)] = []
            for fdName in fds {
                guard let fd = Int32(fdName),
                      let target = ProcText.readLink(path: "\(fdDirectory)/\(fdName)"),
                      let inode = socketInode(linkTarget: target)
                else { continue }
                if let inodes, !inodes.contains(inode) { continue }
                found.append((inode, fd))
            }
            guard !found.isEmpty else { continue }
            let command: String
            switch ProcText.read(path: "\(procRoot)/\(name)/comm") {
            case let .success(text): command = String(text.split(separator: "\n", omittingEmptySubsequences: false)[0])
            case .failure: command = "?"
            }
            for (inode, fd) in found {
                owners[inode, default: []].append(SocketOwner(pid: pid, command: command, fd: fd))
            }
        }
        for inode in owners.keys {
            owners[inode]?.sort { ($0.pid, $0.fd) < ($1.pid, $1.fd) }
        }
        return owners
    }

    /// The inode in a `socket:[18694]` link target; nil for files, pipes and anything else.
    static func socketInode(linkTarget: String) -> UInt64? {
        guard linkTarget.hasPrefix("socket:["), linkTarget.hasSuffix("]") else { return nil }
        return UInt64(linkTarget.dropFirst("socket:[".count).dropLast())
    }
}

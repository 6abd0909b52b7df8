/// A snapshot of the kernel's TCP sockets with the processes holding them: what `ss -tanp`
/// shows, read from /proc so it needs no netlink.
public struct SocketTable: Sendable, Codable {
    /// The rows, IPv4 first, in the kernel's order.
    public var entries: [SocketEntry]
    /// Socket inode to the descriptors holding it; rows with inode 0 never have owners.
    public var owners: [UInt64: [SocketOwner]]

    /// Builds a table from parsed rows and an owner map.
    public init(entries: [SocketEntry], owners: [UInt64: [SocketOwner]] = [:]) {
        self.entries = entries
        self.owners = owners
    }

    /// Reads /proc/net/tcp and tcp6, keeps rows whose local or remote port is `port` (all rows
    /// when nil), then looks up owners for just those rows' inodes.
    ///
    /// The socket files and the /proc/PID/fd scan are read at slightly different moments, so
    /// a socket opened or closed in between may lack an owner; that is expected, not an error.
    public static func read(
        procRoot: String = "/proc", port: UInt16? = nil, source: Source = .proc, owners findOwners: Bool = true
    ) throws(ProcNetTCPError) -> SocketTable {
        var entries: [SocketEntry]
        switch source {
        case .proc: entries = try ProcNetTCP.readTable(procRoot: procRoot)
        case .netlink:
            if let viaNetlink = try? SockDiag.readTable() {
                entries = viaNetlink
            } else {
                entries = try ProcNetTCP.readTable(procRoot: procRoot)
            }
        }
        if let port { entries = entries.filter { $0.localPort == port || $0.remotePort == port } }
        let inodes = Set(entries.lazy.map(\.inode).filter { $0 != 0 })
        guard findOwners else { return SocketTable(entries: entries) }
        return SocketTable(entries: entries, owners: SocketOwners.scan(procRoot: procRoot, inodes: inodes))
    }

    /// Where the rows come from.
    public enum Source: String, Sendable, CaseIterable {
        /// /proc/net/tcp and tcp6: the files a student can read; LISTEN Send-Q is always 0 there.
        case proc
        /// netlink sock_diag, as ss: fast with many sockets, LISTEN Send-Q is the backlog;
        /// falls back to /proc when netlink is unavailable.
        case netlink
    }

    /// The rows whose local or remote port is `port`, with the owners of those rows only.
    public func filtered(port: UInt16) -> SocketTable {
        let kept = entries.filter { $0.localPort == port || $0.remotePort == port }
        let inodes = Set(kept.map(\.inode))
        return SocketTable(entries: kept, owners: owners.filter { inodes.contains($0.key) })
    }

    /// The owners of one row; empty for inode 0 (TIME_WAIT, SYN_RECV, orphans, unaccepted).
    public func owners(of entry: SocketEntry) -> [SocketOwner] {
        entry.inode == 0 ? [] : owners[entry.inode] ?? []
    }
}

import Glibc

/// Reads the TCP socket table over netlink (NETLINK_SOCK_DIAG, `inet_diag`), as `ss` does: much
/// faster than /proc/net/tcp on a machine with tens of thousands of sockets, and it also gives a
/// listener's backlog (in Send-Q), which /proc does not.
///
/// The scenarios keep reading /proc/net/tcp, the file students can `cat`; `tcplab states` uses
/// this, and falls back to /proc when netlink is unavailable.
public enum SockDiag {
    // Kernel ABI constants (include/uapi/linux/netlink.h, sock_diag.h, inet_diag.h).
    static let netlinkSockDiag: Int32 = 4
    static let sockDiagByFamily: UInt16 = 20
    static let requestFlags: UInt16 = 0x0001 | 0x0300  // NLM_F_REQUEST | NLM_F_DUMP
    static let done: UInt16 = 3
    static let error: UInt16 = 2
    /// inet_diag_msg: family, state, timer, retrans, sockid (48 bytes), expires, rqueue, wqueue, uid, inode.
    static let messageSize = 72
    /// INET_DIAG_SKV6ONLY, the attribute (a u8) that says whether an IPv6 socket is IPV6_V6ONLY.
    static let skV6Only: UInt16 = 11

    /// Every TCP socket of both families, in the kernel's order; throws when netlink cannot be used.
    /// A socket's bound device is named as this process's network namespace names it now
    /// (`if_indextoname(3)`, as ss does), `if<N>` when it has no name here.
    public static func readTable() throws(ProcNetTCPError) -> [SocketEntry] {
        try readStampedTable().entries
    }

    /// The same, with when the kernel gathered the rows (CLOCK_REALTIME µs): both families' dumps
    /// are requested back to back, one netlink socket each, and the kernel fills a dump's first
    /// batch inside the sendmsg(2) that requests it (netlink_dump_start), so the rows are as of
    /// just after the second request, however late the replies are then read (a busy machine can
    /// hold this thread for milliseconds). A table larger than a batch (hundreds of sockets) is
    /// gathered further while it is read.
    public static func readStampedTable() throws(ProcNetTCPError) -> (entries: [SocketEntry], gathered: Int64) {
        let pending = try requestDumps()
        return (try read(pending), pending.requested)
    }

    /// Both families' dumps, requested and not yet read: one netlink socket each.
    struct PendingDumps {
        fileprivate let sockets: [Int32]
        /// Just after the second request was sent (CLOCK_REALTIME µs).
        let requested: Int64
    }

    /// Sends both dump requests (the kernel gathers their first batches now).
    static func requestDumps() throws(ProcNetTCPError) -> PendingDumps {
        var sockets: [Int32] = []
        for (family, sequence) in [(UInt8(AF_INET), UInt32(1)), (UInt8(AF_INET6), UInt32(2))] {
            let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
            guard fd >= 0 else {
                sockets.forEach { close($0) }
                throw .unreadable(path: "netlink sock_diag", reason: Errno.current.message)
            }
            sockets.append(fd)
            do { try send(request(family: family, sequence: sequence), on: fd) } catch {
                sockets.forEach { close($0) }
                throw error
            }
        }
        return PendingDumps(sockets: sockets, requested: WallClock.nowMicroseconds())
    }

    /// Reads the replies of `pending` (and closes its sockets): IPv4 rows first, then IPv6.
    static func read(_ pending: PendingDumps) throws(ProcNetTCPError) -> [SocketEntry] {
        defer { pending.sockets.forEach { close($0) } }
        var entries: [SocketEntry] = []
        for fd in pending.sockets { try receive(on: fd, into: &entries) }
        var names: [UInt32: BoundDevice] = [:]
        for index in entries.indices {
            guard let device = entries[index].device else { continue }
            if names[device.index] == nil { names[device.index] = BoundDevice.named(index: device.index) }
            entries[index].device = names[device.index]
        }
        return entries
    }

    /// The 72-byte dump request: nlmsghdr + inet_diag_req_v2 for TCP sockets in every state.
    static func request(family: UInt8, sequence: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(UInt32(72))                 // nlmsg_len
        append(sockDiagByFamily)           // nlmsg_type
        append(requestFlags)               // nlmsg_flags
        append(sequence)                   // nlmsg_seq
        append(UInt32(0))                  // nlmsg_pid
        bytes += [family, UInt8(IPPROTO_TCP), 0, 0]  // sdiag_family, sdiag_protocol, idiag_ext, pad
        append(UInt32(0xFFF))              // idiag_states: every state, TIME_WAIT and SYN_RECV included
        bytes += [UInt8](repeating: 0, count: 48)  // inet_diag_sockid: no filter
        return bytes
    }

    static func send(_ request: [UInt8], on fd: Int32) throws(ProcNetTCPError) {
        // struct sockaddr_nl { nl_family, pad, nl_pid = 0 (the kernel), nl_groups = 0 }: 12 bytes.
        var kernel = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: UInt16(AF_NETLINK).littleEndian) { kernel.replaceSubrange(0..<2, with: $0) }
        let sent = request.withUnsafeBytes { bytes in
            kernel.withUnsafeBytes { address in
                sendto(fd, bytes.baseAddress, bytes.count, 0, address.baseAddress!.assumingMemoryBound(to: sockaddr.self), 12)
            }
        }
        guard sent == request.count else { throw .unreadable(path: "netlink sock_diag", reason: Errno.current.message) }
    }

    /// Reads datagrams until the one that ends the dump (NLMSG_DONE); parsing is `parse(reply:)`.
    private static func receive(on fd: Int32, into entries: inout [SocketEntry]) throws(ProcNetTCPError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: "netlink sock_diag", reason: Errno.current.message)
            }
            let reply = try parse(reply: buffer[0..<count])
            entries += reply.entries
            if reply.isDone { return }
        }
    }
}

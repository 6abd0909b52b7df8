import Glibc

/// Why /proc/net/tcp could not be turned into socket entries.
public enum ProcNetTCPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A data line did not have the layout `get_tcp4_sock()`/`get_tcp6_sock()` print.
    case malformed(line: String, reason: String)
    /// The file could not be read (permissions, no procfs mounted).
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(line, reason): "malformed /proc/net/tcp line (\(reason)): \(line)"
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        }
    }
}

/// Reads the kernel's TCP socket tables, /proc/net/tcp and /proc/net/tcp6.
///
/// Parsing is pure and tested on recorded lines; only `readTable` touches the file system.
public enum ProcNetTCP {
    /// Parses one line of /proc/net/tcp (`family: .ipv4`) or /proc/net/tcp6 (`.ipv6`).
    ///
    /// Returns nil for the header line (`sl local_address ...`) and for a blank line. The kernel
    /// prints each address as the `__be32` words of the address read as host-order `u32` with
    /// `%08X`, so on little-endian machines `0100007F` is 127.0.0.1, and an IPv6 address is four
    /// such words. Ports are `%04X` in host order. Only the first ten columns (up to `inode`)
    /// are used: TIME_WAIT and SYN_RECV rows stop shortly after them.
    public static func parse(line: Substring, family: IPFamily) throws(ProcNetTCPError) -> SocketEntry? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = fields.first else { return nil }
        if first == "sl" { return nil }
        func fail(_ reason: String) -> ProcNetTCPError { .malformed(line: String(line), reason: reason) }
        guard fields.count >= 10 else { throw fail("expected at least 10 fields, found \(fields.count)") }
        guard first.last == ":", UInt64(first.dropLast()) != nil else { throw fail("bad slot number \(first)") }

        let (localAddress, localPort) = try endpoint(fields[1], family: family, fail: fail)
        let (remoteAddress, remotePort) = try endpoint(fields[2], family: family, fail: fail)

        guard fields[3].count == 2, let code = UInt8(fields[3], radix: 16) else { throw fail("bad state \(fields[3])") }
        guard let state = TCPState(rawValue: code) else { throw fail("unknown state 0x\(fields[3])") }

        let queues = try pair(fields[4], fail: fail)
        guard let sendQueue = UInt32(queues.0, radix: 16), let receiveQueue = UInt32(queues.1, radix: 16) else {
            throw fail("bad queues \(fields[4])")
        }
        let timerFields = try pair(fields[5], fail: fail)
        guard let timerCode = UInt8(timerFields.0, radix: 16), let when = UInt64(timerFields.1, radix: 16) else {
            throw fail("bad timer \(fields[5])")
        }
        guard let retransmits = UInt32(fields[6], radix: 16) else { throw fail("bad retrnsmt \(fields[6])") }
        guard let uid = UInt32(fields[7]) else { throw fail("bad uid \(fields[7])") }
        guard let probes = UInt32(fields[8]) else { throw fail("bad timeout \(fields[8])") }
        guard let inode = UInt64(fields[9]) else { throw fail("bad inode \(fields[9])") }

        return SocketEntry(
            family: family,
            localAddress: localAddress, localPort: localPort,
            remoteAddress: remoteAddress, remotePort: remotePort,
            state: state, sendQueue: sendQueue, receiveQueue: receiveQueue,
            timer: SocketTimer(kind: .init(code: timerCode), expiresInHundredths: when,
                               retransmits: retransmits, probes: probes),
            uid: uid, inode: inode, v6Only: impliedV6Only(family: family, state: state, local: localAddress)
        )
    }

    /// What /proc leaves out of IPV6_V6ONLY and the kernel implies: `inet6_bind()` sets it on a
    /// socket bound to a specific IPv6 address that is not IPv4-mapped, so such a LISTEN or CLOSE
    /// socket (the states sock_diag reports INET_DIAG_SKV6ONLY for) is v6only, and ss over
    /// netlink prints its peer as `[::]:*`. Nil otherwise: for a wildcard `::` /proc cannot say,
    /// and ss reading /proc then prints `*`, as `SocketEntry.ssHost` does for nil.
    static func impliedV6Only(family: IPFamily, state: TCPState, local: IPAddress) -> Bool? {
        guard family == .ipv6, state == .listen || state == .close, case .v6(let bytes) = local else { return nil }
        return bytes.allSatisfy({ $0 == 0 }) || SocketEntry.isIPv4Mapped(bytes) ? nil : true
    }

    /// Parses a whole file's text: the header and blank lines are skipped, any other line that
    /// does not parse is an error.
    public static func parse(table: String, family: IPFamily) throws(ProcNetTCPError) -> [SocketEntry] {
        var entries: [SocketEntry] = []
        for line in table.split(separator: "\n", omittingEmptySubsequences: true) {
            if let entry = try parse(line: line, family: family) { entries.append(entry) }
        }
        return entries
    }

    /// Reads `<procRoot>/net/tcp` and `<procRoot>/net/tcp6`, IPv4 rows first.
    ///
    /// A missing tcp6 (IPv6 disabled with `ipv6.disable=1`, or no IPv6 module) is not an error.
    /// The two files are read one after the other, so they are not one atomic snapshot; each is
    /// read in one pass as the kernel recommends. `procRoot` lets tests use a fake tree.
    public static func readTable(procRoot: String = "/proc") throws(ProcNetTCPError) -> [SocketEntry] {
        let v4Path = procRoot + "/net/tcp", v6Path = procRoot + "/net/tcp6"
        var entries: [SocketEntry]
        switch ProcText.read(path: v4Path) {
        case let .success(text): entries = try parse(table: text, family: .ipv4)
        case let .failure(error): throw .unreadable(path: v4Path, reason: error.message)
        }
        switch ProcText.read(path: v6Path) {
        case let .success(text): entries += try parse(table: text, family: .ipv6)
        case let .failure(error) where error.errno == ENOENT: break
        case let .failure(error): throw .unreadable(path: v6Path, reason: error.message)
        }
        return entries
    }

    /// Splits `A:B` into its two halves.
    private static func pair(
        _ field: Substring, fail: (String) -> ProcNetTCPError
    ) throws(ProcNetTCPError) -> (Substring, Substring) {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw fail("expected A:B, found \(field)") }
        return (parts[0], parts[1])
    }

    /// Decodes `ADDRHEX:PORTHEX`; the address is 8 (IPv4) or 32 (IPv6) hex digits.
    private static func endpoint(
        _ field: Substring, family: IPFamily, fail: (String) -> ProcNetTCPError
    ) throws(ProcNetTCPError) -> (IPAddress, UInt16) {
        let (hex, portHex) = try pair(field, fail: fail)
        let digits = family == .ipv4 ? 8 : 32
        guard hex.count == digits else { throw fail("address \(hex) is not \(digits) hex digits") }
        var bytes: [UInt8] = []
        var start = hex.startIndex
        while start < hex.endIndex {
            let end = hex.index(start, offsetBy: 8)
            guard let word = UInt32(hex[start..<end], radix: 16) else { throw fail("bad hex address \(hex)") }
            // The word is the address's memory read as a host-order integer: its bytes, laid
            // out in host order again, are the address in network order.
            withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
            start = end
        }
        guard portHex.count == 4, let port = UInt16(portHex, radix: 16) else { throw fail("bad port \(portHex)") }
        guard let address = IPAddress(networkOrder: bytes) else { throw fail("bad address \(hex)") }
        return (address, port)
    }
}

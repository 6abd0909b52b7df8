extension SocketTable {
    /// The table as aligned text in the spirit of `ss -tanop`:
    ///
    ///     State  Recv-Q Send-Q Local Address:Port Peer Address:Port Timer Process
    ///
    /// Addresses are right-aligned and ports left-aligned around the colon, as ss does; an
    /// address is written as `SocketEntry.local` writes it (`*` for a dual-stack wildcard, a
    /// bound device as `%v0`). Recv-Q and Send-Q are the /proc values, so for LISTEN Recv-Q is
    /// the accept-queue length and Send-Q is 0 (ss shows the backlog there, which only netlink
    /// reports). Process reads
    /// `users:(("tcplab",pid=311,fd=3))`, or `-` when no descriptor holds the socket. Rows are
    /// sorted LISTEN first, then by local port and remote port. Lines carry no trailing spaces.
    /// Without `processes` (the owners were not looked up: `states --no-processes`) there is no
    /// Process column, as `ss -tan` without `-p` prints none.
    public func rendered(processes: Bool = true) -> String {
        // Sort plain integer keys, made once per row, instead of comparing (and copying) rows.
        let keys = entries.map(SortKey.init)
        let sorted = entries.indices.sorted { keys[$0] < keys[$1] }.map { entries[$0] }
        let header = ["State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address", "Port", "Timer", processes ? "Process" : ""]
        let columns = header.count
        // One flat array of cells (no array per row), and each host's text made once: a busy
        // table has tens of thousands of rows and a handful of addresses.
        var cells = header
        cells.reserveCapacity((sorted.count + 1) * columns)
        var hosts: [IPAddress: String] = [:]
        func host(_ address: IPAddress, _ entry: SocketEntry) -> String {
            // Only the IPv6 wildcard's text depends on the socket (`*` or `[::]`, by IPV6_V6ONLY).
            if entry.v6Only == true { return SocketEntry.ssHost(address, v6Only: true) }
            if let known = hosts[address] { return known }
            let text = SocketEntry.ssHost(address)
            hosts[address] = text
            return text
        }
        for entry in sorted {
            cells.append(entry.state.ssName)
            cells.append(String(entry.receiveQueue))
            cells.append(String(entry.sendQueue))
            // ss writes the bound device after the address, before the port's colon: `[fe80::1]%v0`.
            cells.append(host(entry.localAddress, entry) + (entry.device.map { "%" + $0.name } ?? ""))
            cells.append(SocketEntry.ssPort(entry.localPort))
            cells.append(host(entry.remoteAddress, entry))
            cells.append(SocketEntry.ssPort(entry.remotePort))
            cells.append(entry.timer.ssText)
            cells.append(processes ? SocketTable.processText(owners(of: entry)) : "")
        }
        // Byte counts, not Character counts: every cell is ASCII.
        var widths = [Int](repeating: 0, count: columns)
        for (index, cell) in cells.enumerated() {
            widths[index % columns] = max(widths[index % columns], cell.utf8.count)
        }
        var output: [UInt8] = []
        output.reserveCapacity(cells.count * 12)
        func spaces(_ count: Int) {
            var left = count
            while left > 0 { output.append(UInt8(ascii: " ")); left -= 1 }
        }
        func pad(_ text: String, _ width: Int, right: Bool) {
            let fill = max(0, width - text.utf8.count)
            if right { spaces(fill) }
            output.append(contentsOf: text.utf8)
            if !right { spaces(fill) }
        }
        for start in stride(from: 0, to: cells.count, by: columns) {
            let lineStart = output.count
            pad(cells[start], widths[0], right: false); output.append(UInt8(ascii: " "))
            pad(cells[start + 1], widths[1], right: false); output.append(UInt8(ascii: " "))
            pad(cells[start + 2], widths[2], right: false); output.append(UInt8(ascii: " "))
            pad(cells[start + 3], widths[3], right: true); output.append(UInt8(ascii: ":"))
            pad(cells[start + 4], widths[4], right: false); output.append(UInt8(ascii: " "))
            pad(cells[start + 5], widths[5], right: true); output.append(UInt8(ascii: ":"))
            pad(cells[start + 6], widths[6], right: false); output.append(UInt8(ascii: " "))
            pad(cells[start + 7], widths[7], right: false); output.append(UInt8(ascii: " "))
            output.append(contentsOf: cells[start + 8].utf8)
            while output.count > lineStart, output.last == UInt8(ascii: " ") { output.removeLast() }
            output.append(UInt8(ascii: "\n"))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// ss's process column: `users:(("cmd",pid=1,fd=3),("cmd",pid=2,fd=3))`, `-` when empty.
    static func processText(_ owners: [SocketOwner]) -> String {
        guard !owners.isEmpty else { return "-" }
        return "users:(" + owners.map { "(\"\($0.command)\",pid=\($0.pid),fd=\($0.fd))" }.joined(separator: ",") + ")"
    }
}

/// The display order as integers: LISTEN first, local port, remote port, IPv4 before IPv6, the
/// addresses' bytes, state, inode.
private struct SortKey: Comparable {
    let words: [UInt64]

    init(_ entry: SocketEntry) {
        func address(_ address: IPAddress) -> (UInt64, UInt64) {
            let bytes = address.bytes
            var high: UInt64 = 0, low: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            // IPv4's four bytes sort among themselves; the family word keeps the families apart.
            return (high, low)
        }
        let local = address(entry.localAddress), remote = address(entry.remoteAddress)
        words = [
            (entry.state == .listen ? 0 : 1) << 32 | UInt64(entry.localPort) << 16 | UInt64(entry.remotePort),
            entry.family == .ipv4 ? 0 : 1, local.0, local.1, remote.0, remote.1,
            UInt64(entry.state.rawValue), entry.inode,
        ]
    }

    static func < (a: SortKey, b: SortKey) -> Bool { a.words.lexicographicallyPrecedes(b.words) }
}

extension SocketTable {
    /// The note `tcplab states` prints once under the table when a row has a link-local IPv6
    /// address but no device: /proc/net/tcp6 has no column for the scope (`sk_bound_dev_if`), so
    /// `[fe80::1]:6001` is all it can show where ss, reading netlink, shows `[fe80::1]%v0:6001`.
    /// Nil when no row needs it (a row read over netlink has its device).
    public var scopeNote: String? {
        let unscoped = entries.contains {
            $0.device == nil && ($0.localAddress.isIPv6LinkLocal || $0.remoteAddress.isIPv6LinkLocal)
        }
        guard unscoped else { return nil }
        return "note: /proc/net/tcp6 cannot show the interface of a link-local address (fe80::/10), so those rows lack "
            + "the %DEV ss prints after it ([fe80::1]%DEV:PORT); the netlink source (--source netlink, the default) shows it"
    }
}

extension SocketTable {
    /// The table as aligned text in the spirit of `ss -tanop`:
    ///
    ///     State  Recv-Q Send-Q Local Address:Port Peer Address:Port Timer Process
    ///
    /// Addresses are right-aligned and ports left-aligned around the colon, as ss does. Recv-Q
    /// and Send-Q are the /proc values, so for LISTEN Recv-Q is the accept-queue length and
    /// Send-Q is 0 (ss shows the backlog there, which only netlink reports). Process reads
    /// `users:(("tcplab",pid=311,fd=3))`, or `-` when no descriptor holds the socket. Rows are
    /// sorted LISTEN first, then by local port and remote port. Lines carry no trailing spaces.
    public func rendered() -> String {
        let sorted = entries.sorted(by: SocketTable.displayOrder)
        let header = ["State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address", "Port", "Timer", "Process"]
        var rows = [header]
        for entry in sorted {
            let (localHost, localPort) = SocketTable.splitEndpoint(entry.local)
            let (peerHost, peerPort) = SocketTable.splitEndpoint(entry.remote)
            rows.append([
                entry.state.ssName, String(entry.receiveQueue), String(entry.sendQueue),
                localHost, localPort, peerHost, peerPort,
                entry.timer.ssText, SocketTable.processText(owners(of: entry)),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        let lines = rows.map { row -> String in
            let cells = [
                pad(row[0], widths[0], right: false),
                pad(row[1], widths[1], right: false),
                pad(row[2], widths[2], right: false),
                pad(row[3], widths[3], right: true) + ":" + pad(row[4], widths[4], right: false),
                pad(row[5], widths[5], right: true) + ":" + pad(row[6], widths[6], right: false),
                pad(row[7], widths[7], right: false),
                row[8],
            ]
            var line = cells.joined(separator: " ")
            while line.last == " " { line.removeLast() }
            return line
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// ss's process column: `users:(("cmd",pid=1,fd=3),("cmd",pid=2,fd=3))`, `-` when empty.
    static func processText(_ owners: [SocketOwner]) -> String {
        guard !owners.isEmpty else { return "-" }
        return "users:(" + owners.map { "(\"\($0.command)\",pid=\($0.pid),fd=\($0.fd))" }.joined(separator: ",") + ")"
    }

    /// `[::1]:7777` -> (`[::1]`, `7777`); splits at the last colon.
    static func splitEndpoint(_ text: String) -> (String, String) {
        guard let colon = text.lastIndex(of: ":") else { return (text, "") }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// LISTEN rows first, then local port, remote port; the rest only makes the order total.
    static func displayOrder(_ a: SocketEntry, _ b: SocketEntry) -> Bool {
        let aListen = a.state == .listen, bListen = b.state == .listen
        if aListen != bListen { return aListen }
        if a.localPort != b.localPort { return a.localPort < b.localPort }
        if a.remotePort != b.remotePort { return a.remotePort < b.remotePort }
        if a.family != b.family { return a.family == .ipv4 }
        if a.localAddress != b.localAddress { return a.localAddress.precedes(b.localAddress) }
        if a.remoteAddress != b.remoteAddress { return a.remoteAddress.precedes(b.remoteAddress) }
        if a.state != b.state { return a.state.rawValue < b.state.rawValue }
        return a.inode < b.inode
    }
}

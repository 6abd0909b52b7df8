/// The part of the HTML report that shows what the lab read and did besides the capture, in the
/// order the terminal timeline prints it: every /proc/net/tcp snapshot as a socket table (`ss
/// -tanpo` columns), every process table (`ps -o pid,ppid,stat,comm`, zombies marked), and every
/// line the lab itself added (its `kill(2)` calls, the delay it set, the capture's counts).
public struct HTMLSnapshots: Sendable {
    public let report: RunReport

    public init(_ report: RunReport) { self.report = report }

    private enum Item {
        case sockets(RunReport.Snapshot)
        case note(LabNote)
    }

    /// The `<section id="snapshots">`, or nothing when the run recorded no table and no note.
    public var section: String {
        var items: [(time: Int64, order: Int, item: Item)] = []
        for snapshot in report.snapshots { items.append((snapshot.time, items.count, .sockets(snapshot))) }
        for note in report.notes { items.append((note.time, items.count, .note(note))) }
        guard !items.isEmpty else { return "" }
        items.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        let first = report.segments.first?.time
        var html = "<section id=\"snapshots\"><h2>Sockets, processes and the lab's own actions</h2>\n"
        html += "<p class=\"legend\">In the order the terminal timeline prints them; t ms counts from the first segment.</p>\n"
        for (time, _, item) in items {
            // Before the first segment (a table read before the connect) the time is negative.
            let when = first.map { start -> String in
                let ms = Double(time - start) / 1000
                return "<span class=\"when\">\(ms < 0 ? "-" : "")\(HTMLReport.milliseconds(abs(ms))) ms</span> "
            } ?? ""
            switch item {
            case .sockets(let snapshot): html += sockets(snapshot, when: when)
            case .note(let note):
                if let table = note.processes {
                    html += processes(table, when: when)
                } else {
                    html += "<p class=\"note\">\(when)<code>\(e(note.text))</code></p>\n"
                }
            }
        }
        return html + "</section>\n"
    }

    private func sockets(_ snapshot: RunReport.Snapshot, when: String) -> String {
        var html = "<div class=\"snapshot sockets\" data-moment=\"\(e(snapshot.at ?? snapshot.moment))\"><h3>\(when)sockets: \(e(snapshot.moment))</h3>\n"
        guard !snapshot.sockets.isEmpty else { return html + "<p class=\"empty\">no sockets on the port</p></div>\n" }
        html += "<table class=\"sockets\"><thead><tr><th>role</th><th>state</th><th>Recv-Q</th><th>Send-Q</th><th>local</th><th>peer</th><th>timer</th><th>process</th></tr></thead><tbody>\n"
        for socket in snapshot.sockets {
            let owners = (socket.owners ?? []).map { "\($0.command) pid \($0.pid) fd \($0.fd)" }.joined(separator: ", ")
            let cells = [socket.role ?? "", socket.state, String(socket.receiveQueue), String(socket.sendQueue), socket.local, socket.remote,
                         socket.timer, owners.isEmpty && socket.state != "LISTEN" ? "(none: no process holds it)" : owners]
            html += "<tr class=\"state-\(e(socket.state))\">" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func processes(_ table: ProcessSnapshot, when: String) -> String {
        var html = "<div class=\"snapshot processes\" data-moment=\"\(e(table.id ?? table.moment))\"><h3>\(when)processes: \(e(table.moment))</h3>\n"
        guard !table.rows.isEmpty else { return html + "<p class=\"empty\">none of them exist any more</p></div>\n" }
        html += "<table class=\"processes\"><thead><tr><th>PID</th><th>PPID</th><th>S</th><th>COMMAND</th><th>who</th></tr></thead><tbody>\n"
        for row in table.rows {
            let process = row.process
            let cells = [String(process.pid), String(process.parentPID), process.state, process.displayCommand, row.role]
            html += "<tr class=\"process\(process.isZombie ? " zombie" : "")\" data-pid=\"\(process.pid)\">" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func e(_ text: String) -> String { HTMLEscape.text(text) }
}

import ArgumentParser
import TCPLabKit

struct StatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "states",
        abstract: "Print the TCP socket table the way `ss -tanp` shows it (read over netlink, or from /proc/net/tcp and tcp6).",
        discussion: "For a LISTEN socket, Recv-Q is the number of connections waiting to be accepted and Send-Q the backlog (0 with --source proc: /proc does not show it). Sockets in TIME_WAIT, and ones their process has closed, have no owner. As in ss, `0.0.0.0%lo:6002` is a socket bound to a device (SO_BINDTODEVICE, or a link-local address with its scope), `*:8080` an IPv6 wildcard socket that takes IPv4 too (`[::]:8080` when IPV6_V6ONLY), and a timer reads `timer:(keepalive,7.213sec,0)`: its kind, the time left, the retransmissions or probes so far. /proc shows no device, and cannot tell a v6only wildcard from a dual-stack one (`*`, as ss reading /proc prints it).")

    @Option(help: "Only sockets whose local or peer port is this one.")
    var port: UInt16?

    @Option(help: "Where to read the table: netlink (sock_diag, as ss; fast, shows a listener's backlog as Send-Q) or proc (/proc/net/tcp and tcp6, the files you can read yourself).")
    var source: SocketTable.Source = .netlink

    @Flag(name: .customLong("no-processes"), help: "Skip finding the process that holds each socket (like `ss -tan` without -p): much faster with many sockets.")
    var noProcesses = false

    @Flag(help: "Print the table as JSON.")
    var json = false

    func run() throws {
        let table: SocketTable
        do { table = try SocketTable.read(port: port, source: source, owners: !noProcesses) } catch { throw fail(error.description) }
        if json {
            // The same socket objects as a scenario's snapshots in `--json` (docs/json.md), without a role.
            emitJSON(table.entries.map { RunReport.SocketRow($0, role: nil, owners: table.owners(of: $0)) })
        } else {
            emit(table.rendered(processes: !noProcesses))
            if let note = table.scopeNote { emit(note) }
        }
    }
}

extension SocketTable.Source: ExpressibleByArgument {}

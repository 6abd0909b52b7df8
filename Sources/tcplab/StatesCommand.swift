import ArgumentParser
import TCPLabKit

struct StatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "states",
        abstract: "Print the TCP socket table from /proc/net/tcp and tcp6, the way `ss -tanp` shows it.",
        discussion: "For a LISTEN socket, Recv-Q is the number of connections waiting to be accepted. Sockets in TIME_WAIT, and ones their process has closed, have no owner.")

    @Option(help: "Only sockets whose local or peer port is this one.")
    var port: UInt16?

    @Flag(help: "Print the table as JSON.")
    var json = false

    func run() throws {
        let table: SocketTable
        do { table = try SocketTable.read(port: port) } catch { throw fail(error.description) }
        if json {
            emitJSON(table.entries)
        } else {
            emit(table.rendered())
        }
    }
}

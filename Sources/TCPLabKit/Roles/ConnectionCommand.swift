import Glibc

/// The commands both peers of the close stories take on standard input for their connection,
/// one per line: `send TEXT`, `recv`, `echo`, `shutdown-write`, `linger-zero`, `close`.
///
/// The lab types them the way a student would at a REPL, one at a time, and waits for the
/// reported step before the next, so every close happens exactly when the story needs it.
enum ConnectionCommand {
    /// Runs `line` on `connection`; false when the line is not a connection command.
    static func run(_ line: String, on connection: RoleSocket, reporter: RoleReporter) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1)
        let verb = parts.first.map(String.init) ?? ""
        let argument = parts.count > 1 ? String(parts[1]) : ""
        switch verb {
        case "send":
            connection.send(argument)
        case "recv":
            let received = connection.receive()
            if received.returnValue == 0 { reporter.note("print", "other side has closed") }
        case "echo":
            let received = connection.receive()
            if received.returnValue > 0, let data = received.data { connection.send(data) }
        case "shutdown-write":
            connection.shutdown(Int32(SHUT_WR), name: "SHUT_WR")
        case "linger-zero":
            connection.setLinger(seconds: 0)
        case "close":
            connection.close()
        default:
            return false
        }
        return true
    }
}

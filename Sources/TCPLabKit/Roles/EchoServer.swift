import Glibc

/// The server of the close stories: it listens, then does one call per command line on standard
/// input (`accept`, `echo`, `recv`, `send TEXT`, `shutdown-write`, `linger-zero`, `close`,
/// `close-listener`, `exit`), so the lab decides the exact moment each side closes.
///
/// It serves one connection in this one process; stopping the process (SIGINT, as Ctrl-C would)
/// closes every descriptor it holds, which is how the server-first story closes.
public struct EchoServer {
    public var address: SocketAddress

    public init(address: SocketAddress) { self.address = address }

    /// Listens, then runs commands until `exit` or the end of its input.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = RoleSocket.listener(on: address, backlog: 1, reporter: reporter)
        var connection: RoleSocket?
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            switch line {
            case "accept":
                let (accepted, outcome) = listener.accept()
                if let error = outcome.errno { RoleEnvironment.fail(reporter, "accept: \(error)") }
                connection = accepted
            case "close-listener":
                listener.close()
            case "exit":
                exit(0)
            default:
                if let connection, Self.doctored(line, on: connection, reporter: reporter) { continue }
                guard let connection, ConnectionCommand.run(line, on: connection, reporter: reporter) else {
                    RoleEnvironment.fail(reporter, "echo-server: cannot do '\(line)' (no connection, or unknown command)")
                }
            }
        }
        exit(0)
    }

    /// With `--doctor` (`RoleMisbehaviour`): a `send`/`echo` that answers nothing (echo still
    /// reads), or a `close` that is not made; the skipped call is noted. False for any other line.
    private static func doctored(_ line: String, on connection: RoleSocket, reporter: RoleReporter) -> Bool {
        let verb = line.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        switch verb {
        case "send" where RoleMisbehaviour.skipsAnswers:
            RoleMisbehaviour.skipped("send(\(quoted(String(line.dropFirst(5)))))", reporter)
        case "echo" where RoleMisbehaviour.skipsAnswers:
            let received = connection.receive()
            RoleMisbehaviour.skipped("send(\(quoted(received.data ?? "")))", reporter)
        case "close" where RoleMisbehaviour.skipsClose:
            RoleMisbehaviour.skipped("close()", reporter)
        default:
            return false
        }
        return true
    }
}

import Glibc

/// The client of the close stories: it connects, then does one call per command line on
/// standard input (`send TEXT`, `recv`, `shutdown-write`, `linger-zero`, `close`, `exit`).
///
/// Between commands it sits idle and reads nothing, so a FIN from the server stays unread and
/// the client's side stays in CLOSE_WAIT for as long as the lab wants to show it.
public struct CommandClient {
    public var server: SocketAddress

    public init(server: SocketAddress) { self.server = server }

    /// Connects, then runs commands until `exit` or the end of its input.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if let error = socket.connect(server).errno {
            reporter.note("print", "connect \(server.description): \(error.message)")
            exit(1)
        }
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            if line == "exit" { exit(0) }
            guard ConnectionCommand.run(line, on: socket, reporter: reporter) else {
                RoleEnvironment.fail(reporter, "command-client: unknown command '\(line)'")
            }
        }
        exit(0)
    }
}

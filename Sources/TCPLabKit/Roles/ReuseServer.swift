import Glibc

/// The server of the reuseaddr story, run twice on the same port: first the old server, which
/// closes its one connection actively (so its side ends in TIME_WAIT), then the restarted one.
///
/// Whether the restart's bind succeeds is the lesson, so a failed bind is reported as a step
/// (`bind(…) = -1 EADDRINUSE`) and the role exits normally with status 1, as a real server
/// printing "Address already in use" would; it is not a failure of the lab.
public struct ReuseServer {
    public var address: SocketAddress
    /// Set SO_REUSEADDR before bind().
    public var reuseAddress: Bool
    /// Accept one connection and close it at once (the old server); otherwise just listen.
    public var closeOneConnection: Bool

    public init(address: SocketAddress, reuseAddress: Bool, closeOneConnection: Bool) {
        self.address = address
        self.reuseAddress = reuseAddress
        self.closeOneConnection = closeOneConnection
    }

    /// Binds and listens (or reports why not); then, told by the lab closing its standard input,
    /// closes the listener and exits.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener: RoleSocket
        do { listener = try RoleSocket.open(for: address.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if reuseAddress {
            listener.setOption(SOL_SOCKET, SO_REUSEADDR, name: "SO_REUSEADDR")
        } else {
            reporter.note("print", "SO_REUSEADDR not set")
        }
        if let error = listener.bind(address).errno {
            reporter.note("print", "bind: [Errno \(error.rawValue)] \(error.message)")
            exit(1)
        }
        if let error = listener.listen(backlog: 1).errno {
            RoleEnvironment.fail(reporter, "listen \(address.description): \(error)")
        }
        let local = SocketAddress.local(of: listener.fd)?.description ?? address.description
        reporter.note("listening", "listening on \(local)", local: local)
        var input = LineReader(fd: 0)
        if closeOneConnection {
            let (connection, accepted) = listener.accept()
            guard let connection else {
                RoleEnvironment.fail(reporter, "accept: \(accepted.errno.map(\.description) ?? "?")")
            }
            // The active close: this side sends the first FIN, so this side gets TIME_WAIT.
            // Held (`--step`): the lab's word first.
            RoleGate.wait(&input)
            connection.close()
        }
        // Wait for the lab to say "exit" by closing standard input; no sleeping, no polling.
        while input.nextLine() != nil {}
        reporter.note("print", "exiting: closes the listening socket")
        listener.close()
        exit(0)
    }
}

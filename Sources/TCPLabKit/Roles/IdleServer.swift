import Glibc

/// The server of the backlog story: it listens with a small backlog and never calls accept(),
/// so that every connection the kernel completes stays in the listener's accept queue.
///
/// It blocks on its standard input instead of on accept(): the lab closes that pipe at the end
/// of the run and the server exits, closing its listener.
public struct IdleServer {
    public var address: SocketAddress
    public var backlog: Int32

    public init(address: SocketAddress, backlog: Int32) {
        self.address = address
        self.backlog = backlog
    }

    /// Listens, says so, and waits for end of input; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = RoleSocket.listener(on: address, backlog: backlog, reporter: reporter)
        reporter.note("print", "never calls accept(): completed connections stay in the accept queue")
        var input = LineReader(fd: 0)
        while input.nextLine() != nil {}
        listener.close()
        exit(0)
    }
}

import Glibc

// Demonstrates: the iterative server of the posts. One loop, one connection at a time: it
// accept()s, serves that client until its FIN, and only then accept()s the next. Meanwhile the
// kernel completes the other clients' handshakes and ACKs their data by itself; the connections
// wait in the listener's accept queue (Recv-Q of the LISTEN socket) with their bytes unread.

/// The one-connection-at-a-time echo server of the concurrency scenario's `iterative` model.
public struct IterativeEchoServer {
    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int

    public init(address: SocketAddress, backlog: Int32, readSize: Int) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
    }

    /// Serves clients one after the other until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        while true {
            let connection = listener.acceptNext()
            // Nobody else is served until this client leaves.
            EchoServing.serveUntilEOF(connection, readSize: readSize)
        }
    }
}

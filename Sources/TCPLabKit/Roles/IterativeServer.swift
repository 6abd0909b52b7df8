import Glibc

/// The iterative server: one connection at a time. It accepts, then echoes each message back
/// upper-cased until recv() returns 0, closes, and only then calls accept() again.
///
/// While it is busy with one client, a second client's handshake is still completed by the
/// kernel and its data is still ACKed: the connection waits, fully ESTABLISHED, in the
/// listener's accept queue, with its bytes in the receive buffer (Recv-Q), until the server
/// comes back to accept().
public struct IterativeServer {
    public var address: SocketAddress
    /// Room in the accept queue for the clients that wait while one is served.
    public var backlog: Int32 = 5

    public init(address: SocketAddress) { self.address = address }

    /// Listens and serves clients one after the other, until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = RoleSocket.listener(on: address, backlog: backlog, reporter: reporter)
        while true {
            let connection = listener.acceptNext()
            // The inner loop: nobody else is served until this client has gone.
            while true {
                let received = connection.receive()
                guard received.returnValue > 0, let data = received.data else { break }
                connection.send(data.uppercased())
            }
            connection.close()
        }
    }
}

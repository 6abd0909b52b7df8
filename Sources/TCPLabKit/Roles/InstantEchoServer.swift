import Glibc

/// The echo server of the nagle story (no commands, unlike a scripted server): it accepts a connection and sends back whatever it
/// receives, at once, until the client closes; then it accepts the next one.
///
/// Its replies are what the client's ACKs ride on, and what its own ACKs may ride on: a
/// receiver with data to send soon after receiving can put the ACK on that data (delayed ACK).
public struct InstantEchoServer {
    public var address: SocketAddress

    public init(address: SocketAddress) { self.address = address }

    /// Listens and echoes, until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = RoleSocket.listener(on: address, backlog: 1, reporter: reporter)
        while true {
            let connection = listener.acceptNext()
            while true {
                let received = connection.receive()
                guard received.returnValue > 0, let data = received.data else { break }
                connection.send(data)
            }
            connection.close()
        }
    }
}

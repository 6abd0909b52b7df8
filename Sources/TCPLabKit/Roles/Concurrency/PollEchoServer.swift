import Glibc

// Demonstrates: the poll() server. The same single-threaded loop as select, but the descriptors
// go in an array of struct pollfd, so there is no FD_SETSIZE ceiling; the kernel still checks
// every entry on every call, and the loop still scans the whole array for revents.

/// The single-threaded poll() echo server of the concurrency scenario's `poll` model.
public struct PollEchoServer {
    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int

    public init(address: SocketAddress, backlog: Int32, readSize: Int) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
    }

    /// Serves every client from one poll() loop until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        var watched = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
        var connections: [Int32: (socket: RoleSocket, buffer: LineBuffer)] = [:]
        while true {
            let count = reporter.call("poll", "poll(\(watched.count) fds)") { .raw(poll(&watched, nfds_t(watched.count), -1)) }
            if count.failed { continue }
            for entry in watched where entry.revents != 0 {
                if entry.fd == listener.fd {
                    let (connection, _) = listener.accept()
                    guard let connection else { continue }
                    connections[connection.fd] = (connection, LineBuffer())
                } else if let connection = connections[entry.fd] {
                    let received = connection.socket.receive(capacity: readSize)
                    guard received.returnValue > 0, let data = received.data else {
                        connection.socket.close()  // FIN (recv = 0) or an error: this client is done
                        connections[entry.fd] = nil
                        continue
                    }
                    var buffer = connection.buffer
                    EchoServing.answer(data, buffer: &buffer, on: connection.socket)
                    connections[entry.fd] = (connection.socket, buffer)
                }
            }
            // Rebuild the array: drop closed connections, add new ones, clear revents.
            watched = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
                + connections.keys.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        }
    }
}

import Glibc

/// The once-server from the broken-pipe story: accept a connection, recv once, reply with the
/// data upper-cased, close, and go back to accept.
///
/// Because it closes after a single reply, its side of the connection sends a FIN and sits in
/// FIN_WAIT2 with no process holding it; data the client sends after that draws an RST from
/// the server's kernel.
public struct OnceServer {
    public var address: SocketAddress
    public var backlog: Int32 = 1

    public init(address: SocketAddress) { self.address = address }

    /// Listens and serves connections one reply each, until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = RoleSocket.listener(on: address, backlog: backlog, reporter: reporter)
        // Read only when held (`--step`): the lab's word before the answer and before close().
        var gate = LineReader(fd: 0)
        while true {
            let connection = listener.acceptNext()
            let received = connection.receive()
            if received.returnValue > 0, let data = received.data {
                RoleGate.wait(&gate)
                if RoleMisbehaviour.skipsAnswers {
                    RoleMisbehaviour.skipped("send(\(quoted(data.uppercased())))", reporter)
                } else {
                    connection.send(data.uppercased())
                }
            }
            RoleGate.wait(&gate)
            // With --doctor server-never-closes the connection stays open until the process ends.
            if RoleMisbehaviour.skipsClose { RoleMisbehaviour.skipped("close()", reporter) } else { connection.close() }
        }
    }
}

/// The message for a failed bind, with the hint a student needs for the common case.
public enum BindFailure {
    /// `bind 127.0.0.1:7777: address in use (…)`: the error and where to look next.
    public static func message(_ address: SocketAddress, _ error: Errno) -> String {
        if error == .addressInUse {
            return "bind \(address.description): address in use (another socket holds the port, "
                + "possibly one in TIME_WAIT; see `tcplab states --port \(address.port)`)"
        }
        return "bind \(address.description): \(error.message.lowercased()) (\(error.name))"
    }
}

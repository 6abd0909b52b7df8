import Glibc

/// The server of the loss story: it accepts one connection and reads until the client's EOF,
/// one recv() step per read, then closes and exits. It never sends data, so every segment it
/// sends is an ACK: the duplicate ACKs and SACK blocks of the loss story are its kernel's.
///
/// With `receiveBuffer` it sets SO_RCVBUF on the listener before listen(), which fixes the
/// receive window the connection can reach (socket(7)): Linux then has no room to grow the
/// window while out-of-order segments wait, so repeated ACKs keep the same window and are
/// duplicate ACKs in RFC 5681's sense (and Wireshark's), not window updates. With
/// `readsWhenTold` it reads only after a line `read` on its standard input, so reading does not
/// change the window mid-burst either.
public struct SinkServer {
    public var address: SocketAddress
    public var receiveBuffer: Int32?
    public var readsWhenTold: Bool

    public init(address: SocketAddress, receiveBuffer: Int32?, readsWhenTold: Bool) {
        self.address = address
        self.receiveBuffer = receiveBuffer
        self.readsWhenTold = readsWhenTold
    }

    /// Listens, serves one connection to its end, and exits.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener: RoleSocket
        if let receiveBuffer {
            do { listener = try RoleSocket.open(for: address.address, reporter: reporter) } catch {
                RoleEnvironment.fail(reporter, error.description)
            }
            listener.setOption(SOL_SOCKET, SO_REUSEADDR, name: "SO_REUSEADDR")
            if let error = listener.setOption(SOL_SOCKET, SO_RCVBUF, name: "SO_RCVBUF", value: receiveBuffer).errno {
                RoleEnvironment.fail(reporter, "setsockopt(SO_RCVBUF): \(error)")
            }
            if let error = listener.bind(address).errno { RoleEnvironment.fail(reporter, BindFailure.message(address, error)) }
            if let error = listener.listen(backlog: 1).errno { RoleEnvironment.fail(reporter, "listen \(address.description): \(error)") }
            listener.announceListening(address)
        } else {
            listener = RoleSocket.listener(on: address, backlog: 1, reporter: reporter)
        }
        let connection = listener.acceptNext()
        if readsWhenTold {
            var input = LineReader(fd: 0)
            while let line = input.nextLine(), line != "read" {}
        }
        while true {
            let received = connection.receiveBlock()
            if received.returnValue <= 0 { break }
        }
        connection.close()
        exit(0)
    }
}

import Glibc

/// The receiver of the flow-control story: a server with a small receive buffer that does not
/// read until told to.
///
/// It sets SO_RCVBUF on its listener before listen() (so the accepted socket inherits it and
/// the handshake offers a small window), accepts one connection and then waits for commands on
/// standard input: `read` makes one recv(`bytes`, MSG_WAITALL), `close` closes the connection.
/// Until `read`, every byte the client sends stays in the kernel's receive buffer, and the
/// window the kernel advertises shrinks to 0.
public struct FlowReceiver {
    public var address: SocketAddress
    public var receiveBuffer: Int32
    public var bytes: Int

    public init(address: SocketAddress, receiveBuffer: Int32, bytes: Int) {
        self.address = address
        self.receiveBuffer = receiveBuffer
        self.bytes = bytes
    }

    /// Listens, accepts, and runs commands until the end of its input.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener: RoleSocket
        do { listener = try RoleSocket.open(for: address.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        listener.setOption(SOL_SOCKET, SO_REUSEADDR, name: "SO_REUSEADDR")
        if let error = listener.setBufferSize(.receive, bytes: receiveBuffer).errno {
            RoleEnvironment.fail(reporter, "setsockopt(SO_RCVBUF): \(error)")
        }
        if let error = listener.bind(address).errno { RoleEnvironment.fail(reporter, BindFailure.message(address, error)) }
        if let error = listener.listen(backlog: 1).errno { RoleEnvironment.fail(reporter, "listen \(address.description): \(error)") }
        listener.announceListening(address)
        let connection = listener.acceptNext()
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            switch line {
            case "read": connection.receiveAll(bytes)
            case "close": connection.close()
            default: RoleEnvironment.fail(reporter, "flow-receiver: unknown command '\(line)'")
            }
        }
        exit(0)
    }
}

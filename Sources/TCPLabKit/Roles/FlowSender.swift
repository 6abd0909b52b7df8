import Glibc

/// The sender of the flow-control story: a client with a small send buffer that writes more
/// than the receiver's buffer and its own can hold.
///
/// It sets SO_SNDBUF before connect(), then on the command `send` writes `bytes` bytes:
/// blocking, in one send() that returns only when every byte is in its kernel; non-blocking
/// (O_NONBLOCK), in send() calls that take what fits and return -1 EAGAIN when nothing does,
/// each EAGAIN followed by a poll(POLLOUT) that waits for room. Then it notes `sent`. `close`
/// closes the socket.
public struct FlowSender {
    public var server: SocketAddress
    public var sendBuffer: Int32
    public var bytes: Int
    public var blocking: Bool

    public init(server: SocketAddress, sendBuffer: Int32, bytes: Int, blocking: Bool) {
        self.server = server
        self.sendBuffer = sendBuffer
        self.bytes = bytes
        self.blocking = blocking
    }

    /// Connects and runs commands until the end of its input.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if let error = socket.setBufferSize(.send, bytes: sendBuffer).errno {
            RoleEnvironment.fail(reporter, "setsockopt(SO_SNDBUF): \(error)")
        }
        if let error = socket.connect(server).errno { RoleEnvironment.fail(reporter, "connect \(server.description): \(error)") }
        if !blocking, let error = socket.setNonBlocking().errno { RoleEnvironment.fail(reporter, "fcntl(O_NONBLOCK): \(error)") }
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            switch line {
            case "send": send(on: socket, reporter: reporter)
            case "close": socket.close()
            default: RoleEnvironment.fail(reporter, "flow-sender: unknown command '\(line)'")
            }
        }
        exit(0)
    }

    /// Writes all `bytes`, the blocking or the non-blocking way, and notes the total.
    private func send(on socket: RoleSocket, reporter: RoleReporter) {
        var sent = 0
        while sent < bytes {
            let outcome = socket.sendBulk(bytes - sent)
            if outcome.errno == .wouldBlock {
                if let error = socket.pollWritable().errno { RoleEnvironment.fail(reporter, "poll: \(error)") }
                continue
            }
            if let error = outcome.errno { RoleEnvironment.fail(reporter, "send: \(error)") }
            sent += outcome.returnValue
        }
        reporter.note("sent", "all \(sent) bytes handed to the kernel")
    }
}

import CURingShim
import Glibc

/// The server of the io-models story: it accepts one connection and waits for the client's
/// message in one of the five I/O models of the posts (blocking, non-blocking, multiplexing,
/// signal-driven, asynchronous), reporting each step, then closes and exits 0.
///
/// The asynchronous model sets up its io_uring before it listens, so a kernel that refuses
/// io_uring (kernel.io_uring_disabled, a seccomp filter) ends the role before the lab starts
/// the client, with the one-line error `io_uring_queue_init: EPERM …`.
public struct IOModelServer {
    public var address: SocketAddress
    public var model: IOModels.Variant
    /// The most bytes the server asks for in one read.
    static let readSize = 64
    /// A model that never sees the data gives up after this long, so no role is left spinning.
    static let giveUpAfterMicroseconds: Int64 = 10_000_000

    public init(address: SocketAddress, model: IOModels.Variant) {
        self.address = address
        self.model = model
    }

    /// Serves one connection; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        var ring: OpaquePointer?
        if model == .async {
            var error: Int32 = 0
            let opened = reporter.call("io_uring_queue_init", "io_uring_queue_init(4 entries)") {
                ring = tcplab_uring_open(4, &error)
                return ring == nil ? CallOutcome(returnValue: -1, errno: Errno(rawValue: error)) : CallOutcome(returnValue: 0)
            }
            if let failure = opened.errno {
                RoleEnvironment.fail(reporter, "io_uring_queue_init: \(failure): io_uring is not available to this process"
                    + " (kernel.io_uring_disabled, or a seccomp filter); the async variant cannot run here")
            }
        }
        let listener = RoleSocket.listener(on: address, backlog: 1, reporter: reporter)
        let connection = listener.acceptNext()
        let received: CallOutcome
        switch model {
        case .blocking:
            reporter.note(IOModelCall.waiting, "waits in recv() until data is there")
            received = connection.receive(capacity: Self.readSize)
        case .nonblocking: received = NonBlockingWait(connection: connection, reporter: reporter).receive()
        case .multiplexing: received = MultiplexingWait(connection: connection, reporter: reporter).receive()
        case .signalDriven: received = SignalDrivenWait(connection: connection, reporter: reporter).receive()
        case .async: received = AsyncWait(connection: connection, reporter: reporter, ring: ring).receive()
        }
        connection.close()
        if let ring { tcplab_uring_close(ring) }
        exit(received.returnValue > 0 ? 0 : 1)
    }
}

extension RoleSocket {
    /// fcntl(F_SETFL, flags | added): `O_NONBLOCK`, `O_ASYNC`, reported as `fcntl(F_SETFL, NAME)`.
    @discardableResult
    func addStatusFlags(_ added: Int32, name: String) -> CallOutcome {
        reporter.call("fcntl", "fcntl(F_SETFL, \(name))") { .raw(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | added)) }
    }
}

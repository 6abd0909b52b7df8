import Glibc

/// The client of the io-models story: it connects, pauses, sends one short message, then reads
/// until the server closes and closes too.
///
/// The pause is the lesson: while it lasts the server has nothing to read, and each I/O model
/// shows what it does then (sleeps in recv(), spins on EAGAIN, sleeps in poll(), works until
/// SIGIO, works until an io_uring completion).
public struct PausingClient {
    public var server: SocketAddress
    public var pauseMilliseconds: Int
    public var message: String

    public init(server: SocketAddress, pauseMilliseconds: Int, message: String) {
        self.server = server
        self.pauseMilliseconds = pauseMilliseconds
        self.message = message
    }

    /// Runs the client; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        if let error = socket.connect(server).errno {
            RoleEnvironment.fail(reporter, "connect \(server.description): \(error)")
        }
        reporter.note(IOModelCall.pause, "pauses \(pauseMilliseconds) ms before sending")
        usleep(useconds_t(pauseMilliseconds * 1_000))  // allowed: the pause is the lesson, the time the server spends waiting for data
        if let error = socket.send(message).errno { RoleEnvironment.fail(reporter, "send: \(error)") }
        while socket.receive().returnValue > 0 {}
        socket.close()
        exit(0)
    }
}

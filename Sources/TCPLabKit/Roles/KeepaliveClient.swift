import Glibc

/// The client of the keepalive story: it turns keepalive on with short timers, connects, and
/// then does one call per command line (`recv`, `close`, as `ConnectionCommand`).
///
/// SO_KEEPALIVE (socket(7)) makes the kernel probe a connection that has been idle for
/// TCP_KEEPIDLE seconds, every TCP_KEEPINTVL seconds, and give up after TCP_KEEPCNT unanswered
/// probes (tcp(7)); a recv() blocked on the connection then fails with ETIMEDOUT.
public struct KeepaliveClient {
    public var server: SocketAddress
    public var timers: KeepaliveTimers

    public init(server: SocketAddress, timers: KeepaliveTimers) {
        self.server = server
        self.timers = timers
    }

    /// Sets the options, connects, and runs commands until `exit` or the end of its input.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let socket: RoleSocket
        do { socket = try RoleSocket.open(for: server.address, reporter: reporter) } catch {
            RoleEnvironment.fail(reporter, error.description)
        }
        let options: [(Int32, Int32, String, Int32)] = [
            (SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 1),
            (Int32(IPPROTO_TCP), TCP_KEEPIDLE, "TCP_KEEPIDLE", timers.idleSeconds),
            (Int32(IPPROTO_TCP), TCP_KEEPINTVL, "TCP_KEEPINTVL", timers.intervalSeconds),
            (Int32(IPPROTO_TCP), TCP_KEEPCNT, "TCP_KEEPCNT", timers.count),
        ]
        for (level, option, name, value) in options {
            if let error = socket.setOption(level, option, name: name, value: value).errno {
                RoleEnvironment.fail(reporter, "setsockopt(\(name)): \(error)")
            }
        }
        if let error = socket.connect(server).errno { RoleEnvironment.fail(reporter, "connect \(server.description): \(error)") }
        var input = LineReader(fd: 0)
        while let line = input.nextLine() {
            if line == "exit" { exit(0) }
            guard ConnectionCommand.run(line, on: socket, reporter: reporter) else {
                RoleEnvironment.fail(reporter, "keepalive-client: unknown command '\(line)'")
            }
        }
        exit(0)
    }
}

/// The keepalive settings of a socket (tcp(7)): idle time before the first probe, time between
/// probes, unanswered probes before the kernel gives up.
public struct KeepaliveTimers: Codable, Sendable, Equatable {
    /// TCP_KEEPIDLE, seconds.
    public var idleSeconds: Int32
    /// TCP_KEEPINTVL, seconds.
    public var intervalSeconds: Int32
    /// TCP_KEEPCNT.
    public var count: Int32

    public init(idleSeconds: Int32, intervalSeconds: Int32, count: Int32) {
        self.idleSeconds = idleSeconds
        self.intervalSeconds = intervalSeconds
        self.count = count
    }
}

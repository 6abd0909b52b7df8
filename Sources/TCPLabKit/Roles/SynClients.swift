// CPcap: its headers pull in <sys/socket.h>, and a release build then finds SOCK_STREAM only through it.
import CPcap
import Glibc

/// The clients of the backlog story: one process opening `count` connections at once with
/// non-blocking connect(), so none of them blocks the others (or the lab) while its SYN waits.
///
/// Each connect() returns -1 EINPROGRESS at once; the role then polls the sockets and notes
/// each one whose handshake completes (it becomes writable, SO_ERROR 0). A socket whose SYNs
/// the server's kernel drops stays in SYN_SENT and is never noted. The role exits when its
/// standard input ends (the lab closes it at the end of the run).
public struct SynClients {
    public var server: SocketAddress
    public var count: Int

    public init(server: SocketAddress, count: Int) {
        self.server = server
        self.count = count
    }

    /// Starts every connect, then reports completions until told to stop; exits the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        var pending: [(number: Int, fd: Int32, local: String?)] = []
        reporter.note("print", "\(count) sockets opened with SOCK_NONBLOCK: each connect() returns at once, the handshake goes on in the kernel")
        for number in 1...count {
            let fd = socket(server.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { RoleEnvironment.fail(reporter, "socket: \(Errno.current)") }
            let outcome = reporter.call("connect", "client \(number): connect(\(server.description))") {
                var outcome = CallOutcome.raw(server.withSockaddr { Glibc.connect(fd, $0, $1) })
                outcome.local = SocketAddress.local(of: fd)?.description
                return outcome
            }
            if outcome.errno == Errno(rawValue: EINPROGRESS) || !outcome.failed {
                pending.append((number, fd, outcome.local))
            } else {
                reporter.note("print", "client \(number): connect failed: \(outcome.errno.map(\.description) ?? "?")")
            }
        }
        while true {
            var entries = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
            entries += pending.map { pollfd(fd: $0.fd, events: Int16(POLLOUT), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), -1)
            if ready == -1 {
                if errno == EINTR { continue }
                RoleEnvironment.fail(reporter, "poll: \(Errno.current)")
            }
            if entries[0].revents != 0 {
                var byte: UInt8 = 0
                if read(0, &byte, 1) <= 0 { exit(0) }
            }
            var still: [(number: Int, fd: Int32, local: String?)] = []
            for (index, client) in pending.enumerated() {
                guard entries[index + 1].revents != 0 else { still.append(client); continue }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(client.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                let local = client.local ?? "?"
                if error == 0 {
                    reporter.note("connected", "client \(client.number) (\(local)) connected: handshake complete", local: local)
                } else {
                    reporter.note("connect-failed", "client \(client.number) (\(local)) connect failed: \(Errno(rawValue: error))", local: local)
                }
            }
            pending = still
        }
    }
}

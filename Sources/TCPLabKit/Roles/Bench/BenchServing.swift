// CPcap: its headers pull in <sys/socket.h>, and a release build then finds SOCK_STREAM only through it.
import CPcap
import Glibc

/// What the benchmark servers share: setup (file limit, listen) and the blocking echo loop.
///
/// The benchmark servers are lean copies of the concurrency roles: the same model in each, but
/// no report per call (a JSON line on fd 3 for every recv would cost more than the recv) and no
/// line parsing: each one echoes back whatever bytes it received, which is a complete
/// request/response protocol for a client that sends a fixed-size request and waits for as many
/// bytes back.
enum BenchServing {
    /// The size of each recv() and of the buffer it fills.
    static let bufferSize = 4096

    /// Raises RLIMIT_NOFILE for `connections` sockets, socket(), SO_REUSEADDR, bind(), listen(),
    /// then the one `listening` note the lab waits for. Setup failures end the role with a message.
    static func listen(_ address: SocketAddress, backlog: Int32, connections: Int, reporter: RoleReporter) -> Int32 {
        FileLimit.raise(toHold: connections, reporter: reporter)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { RoleEnvironment.fail(reporter, "socket: \(Errno.current)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if address.withSockaddr({ Glibc.bind(fd, $0, $1) }) != 0 {
            RoleEnvironment.fail(reporter, BindFailure.message(address, .current))
        }
        if Glibc.listen(fd, backlog) != 0 { RoleEnvironment.fail(reporter, "listen: \(Errno.current)") }
        let local = SocketAddress.local(of: fd)?.description ?? address.description
        reporter.note("listening", "listening on \(local)", local: local)
        return fd
    }

    /// accept(2), retried on EINTR; the new descriptor or -1.
    static func accept(_ listener: Int32) -> Int32 {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 || errno != EINTR { return fd }
        }
    }

    /// The blocking loop of the iterative, fork and thread servers: recv() until the client's
    /// FIN or an error, sending back each chunk, then close().
    static func echoUntilEOF(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        while echoOnce(fd, &buffer) != .closed {}
        close(fd)
    }

    /// What one recv() found.
    enum Read { case echoed, empty, closed }

    /// One recv() and the send() of what it returned. `.empty` for EAGAIN or EINTR (try later),
    /// `.closed` for the client's FIN or an error.
    static func echoOnce(_ fd: Int32, _ buffer: inout [UInt8]) -> Read {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { return errno == EAGAIN || errno == EINTR ? .empty : .closed }
        if count == 0 { return .closed }
        return sendAll(fd, buffer, count) ? .echoed : .closed
    }

    /// Sends the first `count` bytes, retrying short sends. The client waits for each answer
    /// before its next request, so at most one request's bytes are ever queued: a send does not
    /// block, and on a non-blocking socket EAGAIN cannot happen in practice (it is waited out with
    /// poll() if it ever does).
    static func sendAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let sent = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0, errno == EINTR { continue }
            if sent < 0, errno == EAGAIN {
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&entry, 1, 1000) > 0 { continue }
            }
            return false
        }
        return true
    }

    /// O_NONBLOCK, for the edge-triggered loop which reads until EAGAIN.
    static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
}

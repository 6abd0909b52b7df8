import CPcap
import Glibc

// Demonstrates: the epoll servers of the posts, in three forms. epoll_wait() returns only the
// descriptors that have events, so nothing is scanned (unlike select and poll).
// - level: level-triggered (the default). While a socket has unread bytes, every epoll_wait
//   reports it again, so reading once per event is fine.
// - edge: edge-triggered (EPOLLET), done right. An event means "new data arrived", once; the
//   server must read until recv() fails with EAGAIN, or bytes stay behind with no event to fetch them.
// - edge-once: edge-triggered, reading only once per event (the mistake). A message longer
//   than one read leaves bytes in the socket's Recv-Q and the server does not come back for them
//   until more data arrives and makes a new edge: it stalls.
// The listening socket stays level-triggered in all three: this is about reading connections.
// Connections are non-blocking, so a drain ends with EAGAIN instead of blocking the whole loop.

/// The single-threaded epoll echo server of the concurrency scenario's `epoll`, `epoll-et` and
/// `epoll-et-once` models.
public struct EpollEchoServer {
    /// How the server waits for and reads its connections.
    public enum Mode: String, Sendable, CaseIterable {
        case level
        case edge
        case edgeOnce = "edge-once"
    }

    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int
    public var mode: Mode

    public init(address: SocketAddress, backlog: Int32, readSize: Int, mode: Mode) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
        self.mode = mode
    }

    /// Serves every client from one epoll_wait() loop until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        let epoll = reporter.call("epoll_create1", "epoll_create1(EPOLL_CLOEXEC)") { .raw(epoll_create1(Int32(EPOLL_CLOEXEC))) }
        if epoll.failed { RoleEnvironment.fail(reporter, "epoll_create1: \(epoll.errno.map(\.description) ?? "?")") }
        let epfd = Int32(epoll.returnValue)
        register(listener.fd, on: epfd, edge: false, reporter: reporter)
        var connections: [Int32: (socket: RoleSocket, buffer: LineBuffer)] = [:]
        var events = [epoll_event](repeating: epoll_event(), count: 16)
        while true {
            let count = reporter.call("epoll_wait", "epoll_wait()") { .raw(epoll_wait(epfd, &events, Int32(events.count), -1)) }
            if count.failed { continue }
            for event in events.prefix(count.returnValue) {
                let fd = event.data.fd
                if fd == listener.fd {
                    let (connection, _) = listener.accept()
                    guard let connection else { continue }
                    EchoServing.setNonBlocking(connection.fd, reporter: reporter)
                    register(connection.fd, on: epfd, edge: mode != .level, reporter: reporter)
                    connections[connection.fd] = (connection, LineBuffer())
                } else if var connection = connections[fd] {
                    if !read(&connection, reporter: reporter) {
                        reporter.call("epoll_ctl", "epoll_ctl(DEL, fd \(fd))") { .raw(epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)) }
                        connection.socket.close()
                        connections[fd] = nil
                    } else {
                        connections[fd] = connection
                    }
                }
            }
        }
    }

    /// One readiness event's worth of reading: once (level, edge-once) or until EAGAIN (edge).
    /// False when the client is gone (recv = 0, or an error other than EAGAIN).
    private func read(_ connection: inout (socket: RoleSocket, buffer: LineBuffer), reporter: RoleReporter) -> Bool {
        repeat {
            let received = connection.socket.receive(capacity: readSize)
            if received.errno == .wouldBlock { return true }  // drained: wait for the next edge
            guard received.returnValue > 0, let data = received.data else { return false }
            EchoServing.answer(data, buffer: &connection.buffer, on: connection.socket)
        } while mode == .edge
        return true
    }

    private func register(_ fd: Int32, on epfd: Int32, edge: Bool, reporter: RoleReporter) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (edge ? EPOLLET.rawValue : 0)
        event.data.fd = fd
        reporter.call("epoll_ctl", "epoll_ctl(ADD, fd \(fd), EPOLLIN\(edge ? " | EPOLLET" : ""))") {
            .raw(epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event))
        }
    }
}

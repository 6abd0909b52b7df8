import CPcap
import Foundation
import Glibc

/// The load generator of `tcplab bench concurrency` (`RoleProgram.benchClients`, these are its
/// settings; the server it loads is the role description's): one process, one thread, one epoll loop
/// holding N connections, each running closed-loop request/response (send a request, wait for
/// the whole answer, send the next).
///
/// It is epoll-based so that it is not the bottleneck: it costs O(ready connections) per wakeup
/// whatever N is, and it measures its own CPU time and run-queue wait (/proc/self/schedstat) so the lab can show how busy it was.
/// Everything is bounded: connects by `connectSeconds`, requests by `requestsPerConnection` and
/// `seconds` in all. Protocol with the lab on stdin/fd 3: it connects, notes
/// `connected`, waits for `go`, runs, notes `result` (a `LoadResult` as JSON), then waits for
/// `close` (or end of input) and exits, which closes every connection.
public struct BenchClients: Codable, Sendable, Equatable {
    /// Connections held at once, each a closed loop.
    public var connections: Int
    /// Requests each connection makes before it is done.
    public var requestsPerConnection: Int
    /// Upper bound on the request phase, in seconds.
    public var seconds: Double
    /// Upper bound on connecting them all, in seconds.
    public var connectSeconds: Double
    /// Bytes per request (and per answer): 1…4096, the last one a newline.
    public var requestSize: Int
    /// Close each connection as soon as it has its last answer (the iterative server needs it to
    /// move on to the next client); otherwise all stay open until `close`, so the server's
    /// processes and threads are all alive when the lab measures them.
    public var closeWhenDone: Bool
    /// At most this many connects in progress at once, so the listener's SYN and accept queues
    /// never overflow (a dropped SYN costs a 1 s retransmission and would distort the run).
    public var connectsInFlight = 128

    /// Connections and requests at least 1; the request size clamped to 1…4096 bytes.
    public init(connections: Int, requestsPerConnection: Int, seconds: Double, connectSeconds: Double,
                requestSize: Int, closeWhenDone: Bool) {
        self.connections = max(1, connections)
        self.requestsPerConnection = max(1, requestsPerConnection)
        self.seconds = seconds
        self.connectSeconds = connectSeconds
        self.requestSize = min(4096, max(1, requestSize))
        self.closeWhenDone = closeWhenDone
    }

    /// Connects to `server`, waits for `go`, runs the requests, reports, waits for `close`; exits the process.
    func run(server: SocketAddress, reporter: RoleReporter = RoleReporter()) -> Never {
        FileLimit.raise(toHold: connections, reporter: reporter)
        let epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { RoleEnvironment.fail(reporter, "epoll_create1: \(Errno.current)") }
        var result = LoadResult(connections: connections)
        var table = ConnectionTable(size: connections + FileLimit.spare + 16)
        let connectStart = Monotonic.nanoseconds()
        let open = connectAll(to: server, epfd: epfd, table: &table, result: &result)
        result.connectMicroseconds = Int64((Monotonic.nanoseconds() - connectStart) / 1000)
        reporter.note("connected", "\(result.connected) of \(connections) connected")

        var commands = LineReader(fd: 0)
        guard commands.nextLine() == "go" else { exit(0) }
        runRequests(epfd: epfd, open: open, table: &table, result: &result)
        if let data = try? JSONEncoder().encode(result) { reporter.note("result", String(decoding: data, as: UTF8.self)) }
        while let line = commands.nextLine(), line != "close" {}
        exit(0)  // closes every connection: the server sees the FINs
    }

    /// Non-blocking connects, at most `connectsInFlight` at a time, completion seen as EPOLLOUT
    /// and checked with SO_ERROR; returns the connected descriptors (registered for EPOLLIN).
    private func connectAll(to server: SocketAddress, epfd: Int32, table: inout ConnectionTable, result: inout LoadResult) -> [Int32] {
        var open: [Int32] = []
        var started = 0, pending = 0
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        let deadline = Monotonic.nanoseconds() + UInt64(connectSeconds * 1e9)
        while started < connections || pending > 0 {
            while pending < connectsInFlight, started < connections {
                started += 1
                let fd = socket(server.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard fd >= 0, fd < table.size else {
                    result.connectFailed += 1
                    result.connectError = result.connectError ?? "socket: \(fd < 0 ? Errno.current.description : "descriptor \(fd) beyond the table")"
                    if fd >= 0 { close(fd) }
                    continue
                }
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                let status = server.withSockaddr { Glibc.connect(fd, $0, $1) }
                if status == 0 || errno == EINPROGRESS {
                    Self.watch(fd, on: epfd, for: EPOLLOUT.rawValue, operation: EPOLL_CTL_ADD)
                    pending += 1
                } else {
                    result.connectFailed += 1
                    result.connectError = result.connectError ?? "connect: \(Errno.current)"
                    close(fd)
                }
            }
            let now = Monotonic.nanoseconds()
            guard now < deadline else { break }
            let count = epoll_wait(epfd, &events, Int32(events.count), Int32(max(1, (deadline - now) / 1_000_000)))
            for event in events.prefix(Int(max(0, count))) {
                let fd = event.data.fd
                pending -= 1
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                // Out of the interest list until `go`: a connection the server closes meanwhile
                // (select refusing it) must not come back here as if it were a connect completing.
                _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
                if error == 0 {
                    table.isOpen[Int(fd)] = true
                    open.append(fd)
                } else {
                    result.connectFailed += 1
                    result.connectError = result.connectError ?? "connect: \(Errno(rawValue: error))"
                    close(fd)
                }
            }
        }
        if pending > 0 {
            result.connectFailed += pending
            result.connectError = result.connectError ?? "\(pending) connects did not complete within \(connectSeconds) s"
        }
        result.connected = open.count
        return open
    }

    /// The closed loop: every connection sends a request; each complete answer is timed and
    /// followed by the next request until the connection has had its share or time is up.
    private func runRequests(epfd: Int32, open: [Int32], table: inout ConnectionTable, result: inout LoadResult) {
        let request = [UInt8](repeating: UInt8(ascii: "r"), count: requestSize - 1) + [UInt8(ascii: "\n")]
        var buffer = [UInt8](repeating: 0, count: 4096)
        var events = [epoll_event](repeating: epoll_event(), count: 1024)
        let scheduleStart = Self.schedule()
        let start = Monotonic.nanoseconds()
        let deadline = start + UInt64(seconds * 1e9)
        var active = 0
        for fd in open {
            Self.watch(fd, on: epfd, for: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
            if send(request, on: fd, table: &table) { active += 1 } else { end(fd, table: &table, result: &result, epfd: epfd) }
        }
        while active > 0 {
            let now = Monotonic.nanoseconds()
            if now >= deadline {
                result.timedOut = true
                break
            }
            let count = epoll_wait(epfd, &events, Int32(events.count), Int32(max(1, (deadline - now) / 1_000_000)))
            for event in events.prefix(Int(max(0, count))) {
                let fd = event.data.fd
                let index = Int(fd)
                guard table.isOpen[index], table.isActive[index] else { continue }
                let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if received < 0, errno == EAGAIN || errno == EINTR { continue }
                guard received > 0 else {
                    end(fd, table: &table, result: &result, epfd: epfd)
                    active -= 1
                    continue
                }
                table.received[index] += received
                guard table.received[index] >= requestSize else { continue }
                table.received[index] -= requestSize
                result.latencies.record(nanoseconds: Monotonic.nanoseconds() - table.sentAt[index])
                result.requests += 1
                table.completed[index] += 1
                if table.completed[index] < requestsPerConnection {
                    if !send(request, on: fd, table: &table) {
                        end(fd, table: &table, result: &result, epfd: epfd)
                        active -= 1
                    }
                } else {
                    result.served += 1
                    table.isActive[index] = false
                    active -= 1
                    if closeWhenDone {
                        close(fd)
                        table.isOpen[index] = false
                    } else {
                        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
                    }
                }
            }
        }
        result.unfinished = active
        result.elapsedMicroseconds = Int64((Monotonic.nanoseconds() - start) / 1000)
        let scheduleEnd = Self.schedule()
        result.cpuMicroseconds = Int64((scheduleEnd.cpu &- scheduleStart.cpu) / 1000)
        result.waitMicroseconds = Int64((scheduleEnd.wait &- scheduleStart.wait) / 1000)
        result.busiestCPUMicroseconds = result.cpuMicroseconds
        result.busiestWaitMicroseconds = result.waitMicroseconds
    }

    private func send(_ request: [UInt8], on fd: Int32, table: inout ConnectionTable) -> Bool {
        table.sentAt[Int(fd)] = Monotonic.nanoseconds()
        table.isActive[Int(fd)] = true
        // A 64-byte request fits an empty send buffer: a short send does not happen here.
        return request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == request.count
    }

    /// The server closed or reset the connection: refused if it never answered, broken otherwise.
    private func end(_ fd: Int32, table: inout ConnectionTable, result: inout LoadResult, epfd: Int32) {
        if table.completed[Int(fd)] == 0 { result.refused += 1 } else { result.broken += 1 }
        table.isActive[Int(fd)] = false
        table.isOpen[Int(fd)] = false
        close(fd)
    }

    private static func watch(_ fd: Int32, on epfd: Int32, for events: UInt32, operation: Int32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epfd, operation, fd, &event)
    }

    /// This (single-threaded) process's time on a CPU and waiting for one so far, in
    /// nanoseconds, from /proc/self/schedstat; zeros where the kernel lacks schedstats.
    static func schedule() -> (cpu: UInt64, wait: UInt64) {
        guard case .success(let text) = ProcText.read(path: "/proc/self/schedstat") else { return (0, 0) }
        return ServerUsage.schedule(text) ?? (0, 0)
    }
}

/// Per-connection state, indexed by descriptor number (descriptors are small and dense).
private struct ConnectionTable {
    let size: Int32
    var sentAt: [UInt64]
    var received: [Int]
    var completed: [Int]
    var isOpen: [Bool]
    var isActive: [Bool]

    init(size: Int) {
        self.size = Int32(size)
        sentAt = [UInt64](repeating: 0, count: size)
        received = [Int](repeating: 0, count: size)
        completed = [Int](repeating: 0, count: size)
        isOpen = [Bool](repeating: false, count: size)
        isActive = [Bool](repeating: false, count: size)
    }
}

/// CLOCK_MONOTONIC in nanoseconds: latencies must not jump with the wall clock.
enum Monotonic {
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

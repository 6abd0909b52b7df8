import CPcap
import Glibc

// Benchmarks: epoll, level-triggered and edge-triggered (draining). One thread; the kernel keeps
// the interest list, and epoll_wait() returns only the descriptors with events, so a call costs
// O(ready), not O(connections): this is the model that holds 10,000 clients.
// - level: connections stay blocking; one recv() per event (the socket is reported again while
//   bytes remain).
// - edge: EPOLLET, non-blocking connections, recv() until EAGAIN on every event.

/// The epoll models (`epoll`, `epoll-et`) of `tcplab bench concurrency`.
enum BenchEpollServer {
    static func run(listener: Int32, edge: Bool, reporter: RoleReporter) -> Never {
        let epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { RoleEnvironment.fail(reporter, "epoll_create1: \(Errno.current)") }
        add(listener, to: epfd, edge: false)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var buffer = [UInt8](repeating: 0, count: BenchServing.bufferSize)
        while true {
            let count = epoll_wait(epfd, &events, Int32(events.count), -1)
            guard count > 0 else { continue }
            for event in events.prefix(Int(count)) {
                let fd = event.data.fd
                if fd == listener {
                    let connection = BenchServing.accept(listener)
                    guard connection >= 0 else { continue }
                    if edge { BenchServing.setNonBlocking(connection) }
                    add(connection, to: epfd, edge: edge)
                    continue
                }
                var state = BenchServing.echoOnce(fd, &buffer)
                while edge, state == .echoed { state = BenchServing.echoOnce(fd, &buffer) }  // drain to EAGAIN
                if state == .closed { close(fd) }  // close() also removes it from the interest list
            }
        }
    }

    private static func add(_ fd: Int32, to epfd: Int32, edge: Bool) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (edge ? EPOLLET.rawValue : 0)
        event.data.fd = fd
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event)
    }
}

import Glibc

/// The multiplexing model: one poll() on the socket for POLLIN, which sleeps until the kernel
/// has data (or the peer's FIN) for it; then recv(), which finds the data already there and
/// does not block. select() and epoll_wait() wait the same way.
struct MultiplexingWait {
    let connection: RoleSocket
    let reporter: RoleReporter

    func receive() -> CallOutcome {
        reporter.note(IOModelCall.waiting, "waits in poll() until the socket is readable")
        let polled = reporter.call("poll", "poll([fd \(connection.fd) POLLIN], 1, -1)") {
            var entry = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
            let result = poll(&entry, 1, -1)
            var outcome = CallOutcome.raw(result)
            if result == 1 { outcome.data = entry.revents & Int16(POLLIN) != 0 ? "POLLIN" : "revents \(entry.revents)" }
            return outcome
        }
        if let error = polled.errno { RoleEnvironment.fail(reporter, "poll: \(error)") }
        return connection.receive(capacity: IOModelServer.readSize)
    }
}

// CPcap: its headers pull in <sys/socket.h>, and a release build then finds SOCK_STREAM only through it.
import CPcap
import Glibc

/// The socket calls a role makes, each reported as a step with its real return value and errno.
///
/// These are the calls students write in their first socket program, one to one; expected
/// failures come back as `CallOutcome` values for the scenario to judge.
public struct RoleSocket {
    public let fd: Int32
    let reporter: RoleReporter

    /// socket(2) for the address family of `address`. Failure here is the lab's own problem.
    public static func open(for address: IPAddress, reporter: RoleReporter) throws(LabError) -> RoleSocket {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LabError.system(call: "socket", errno: .current) }
        return RoleSocket(fd: fd, reporter: reporter)
    }

    /// Sets an integer socket option (SO_REUSEADDR …), reported.
    @discardableResult
    public func setOption(_ level: Int32, _ option: Int32, name: String, value: Int32 = 1) -> CallOutcome {
        reporter.call("setsockopt", "setsockopt(\(name), \(value))") {
            var value = value
            return .raw(setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)))
        }
    }

    @discardableResult
    public func bind(_ address: SocketAddress) -> CallOutcome {
        reporter.call("bind", "bind(\(address.description))") {
            .raw(address.withSockaddr { Glibc.bind(fd, $0, $1) })
        }
    }

    @discardableResult
    public func listen(backlog: Int32) -> CallOutcome {
        reporter.call("listen", "listen(backlog \(backlog))") { .raw(Glibc.listen(fd, backlog)) }
    }

    @discardableResult
    public func connect(_ address: SocketAddress) -> CallOutcome {
        reporter.call("connect", "connect(\(address.description))") {
            var outcome = CallOutcome.raw(address.withSockaddr { Glibc.connect(fd, $0, $1) })
            outcome.local = SocketAddress.local(of: fd)?.description
            outcome.peer = SocketAddress.peer(of: fd)?.description
            return outcome
        }
    }

    /// accept(2): on success the outcome's value is the new descriptor, `peer` the client.
    public func accept() -> (RoleSocket?, CallOutcome) {
        let outcome = reporter.call("accept", "accept()") {
            var outcome = CallOutcome.raw(Glibc.accept(fd, nil, nil))
            if !outcome.failed {
                // accept4 is hidden behind _GNU_SOURCE; nothing is spawned between these two calls.
                _ = fcntl(Int32(outcome.returnValue), F_SETFD, FD_CLOEXEC)
                outcome.peer = SocketAddress.peer(of: Int32(outcome.returnValue))?.description
                outcome.local = SocketAddress.local(of: Int32(outcome.returnValue))?.description
            }
            return outcome
        }
        guard !outcome.failed else { return (nil, outcome) }
        return (RoleSocket(fd: Int32(outcome.returnValue), reporter: reporter), outcome)
    }

    /// send(2) of a text message; `flags` may carry MSG_NOSIGNAL.
    @discardableResult
    public func send(_ text: String, flags: Int32 = 0) -> CallOutcome {
        let flagText = flags & Int32(MSG_NOSIGNAL) != 0 ? ", MSG_NOSIGNAL" : ""
        return reporter.call("send", "send(\(quoted(text))\(flagText))", data: text) {
            let bytes = Array(text.utf8)
            return .raw(Glibc.send(fd, bytes, bytes.count, flags), data: text)
        }
    }

    /// recv(2) of at most `capacity` bytes; the outcome's data holds what arrived.
    @discardableResult
    public func receive(capacity: Int = 1024, flags: Int32 = 0) -> CallOutcome {
        reporter.call("recv", "recv()") {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let count = recv(fd, &buffer, capacity, flags)
            let data = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
            return .raw(count, data: data)
        }
    }

    /// Whether the socket has something to read right now (data or the peer's FIN), without blocking.
    public func isReadable() -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    @discardableResult
    public func shutdown(_ how: Int32, name: String) -> CallOutcome {
        reporter.call("shutdown", "shutdown(\(name))") { .raw(Glibc.shutdown(fd, how)) }
    }

    @discardableResult
    public func close() -> CallOutcome {
        reporter.call("close", "close()") { .raw(Glibc.close(fd)) }
    }
}

import CFortifiedFDSet
import Glibc

// Demonstrates: the select() server of the posts. One process, one thread, one loop: put the
// listener and every connection into a descriptor set, select() until some are readable, then
// scan every descriptor below nfds to find which (the O(n) pass epoll avoids); accept on the
// listener, recv once on a connection. The catch: an fd_set has room for descriptors 0…1023
// only (FD_SETSIZE). A connection whose descriptor is 1024 or more cannot be watched at all, so
// this server refuses it with a clear error and closes it. To show that without a thousand
// clients, the lab can tell it (--fill-fds-after N) to open placeholder descriptors after its
// N-th client, as a busy server would have, so that the next accept() returns fd 1024.
// With `--fd-set fortified` it is the careless server instead: no check, every descriptor goes
// into the set through glibc's own FD_SET, compiled with _FORTIFY_SOURCE=2 as C programs are on
// Debian and Ubuntu; glibc's check then aborts the process (SIGABRT) at fd 1024.

/// The single-threaded select() echo server of the concurrency scenario's `select` model.
public struct SelectEchoServer {
    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int
    /// After this many accepted clients, fill the descriptor table up to 1023 (nil: never).
    public var fillDescriptorsAfter: Int?
    /// How descriptors go into the fd_set.
    public var insertion: Insertion

    /// `--fd-set checked|fortified`: how the server puts a descriptor into its fd_set.
    public enum Insertion: String, Sendable, CaseIterable {
        /// `FDSet.insert`: a connection whose descriptor does not fit (>= FD_SETSIZE) is refused and closed.
        case checked
        /// glibc's FD_SET built with -O2 -D_FORTIFY_SOURCE=2 (`tcplab_fd_set_fortified`), no check
        /// of its own: glibc aborts the process at descriptor 1024.
        case fortified
    }

    public init(address: SocketAddress, backlog: Int32, readSize: Int, fillDescriptorsAfter: Int?, insertion: Insertion = .checked) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
        self.fillDescriptorsAfter = fillDescriptorsAfter
        self.insertion = insertion
    }

    /// Serves every client from one select() loop until the lab stops the process.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        if insertion == .fortified { Self.plainAbort(reporter: reporter) }
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        var connections: [Int32: (socket: RoleSocket, buffer: LineBuffer)] = [:]
        var acceptedCount = 0
        while true {
            var readable = FDSet()
            for fd in [listener.fd] + connections.keys.sorted() { add(fd, to: &readable) }
            let nfds = (connections.keys.max().map { max($0, listener.fd) } ?? listener.fd) + 1
            var ready = readable.raw
            let count = reporter.call("select", "select(nfds \(nfds), \(connections.count + 1) fds to read)") {
                .raw(select(nfds, &ready, nil, nil, nil))
            }
            if count.failed { continue }
            let result = FDSet(raw: ready)
            // select says how many are ready, not which: look at every descriptor below nfds.
            for fd in 0..<nfds where result.contains(fd) {
                if fd == listener.fd {
                    let (connection, _) = listener.accept()
                    guard let connection else { continue }
                    guard Int(connection.fd) < FDSet.capacity || insertion == .fortified else {
                        reporter.note("refused", "select: fd \(connection.fd) >= FD_SETSIZE (\(FDSet.capacity)): refused")
                        connection.close()
                        continue
                    }
                    connections[connection.fd] = (connection, LineBuffer())
                    acceptedCount += 1
                    if acceptedCount == fillDescriptorsAfter { Placeholders.fill(upTo: Int32(FDSet.capacity - 1), reporter: reporter) }
                } else if let entry = connections[fd] {
                    let received = entry.socket.receive(capacity: readSize)
                    guard received.returnValue > 0, let data = received.data else {
                        entry.socket.close()  // FIN (recv = 0) or an error: this client is done
                        connections[fd] = nil
                        continue
                    }
                    var buffer = entry.buffer
                    EchoServing.answer(data, buffer: &buffer, on: entry.socket)
                    connections[fd] = (entry.socket, buffer)
                }
            }
        }
    }

    /// Puts `fd` into `set` the way `insertion` says (the checked server never passes one that does not fit).
    private func add(_ fd: Int32, to set: inout FDSet) {
        switch insertion {
        case .checked: set.insert(fd)
        case .fortified: set.withRaw { tcplab_fd_set_fortified(fd, $0) }
        }
    }

    /// The abort this server is built to show, as a C program meets it: SIGABRT at its default
    /// action (the Swift runtime's crash reporter would print a backtrace) and no core file
    /// left behind (setrlimit(RLIMIT_CORE, 0)).
    private static func plainAbort(reporter: RoleReporter) {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        reporter.call("setrlimit", "setrlimit(RLIMIT_CORE, 0)") { .raw(setrlimit(Int32(RLIMIT_CORE.rawValue), &none)) }
        signal(SIGABRT, SIG_DFL)
    }
}

/// Placeholder descriptors, so that the next socket a server opens gets a high number.
enum Placeholders {
    /// Opens /dev/null until descriptor `last` is taken (raising the soft RLIMIT_NOFILE if it is
    /// too low), reported as one step.
    static func fill(upTo last: Int32, reporter: RoleReporter) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur <= rlim_t(last + 1), limit.rlim_max > rlim_t(last + 1) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(last + 1) * 2)
            reporter.call("setrlimit", "setrlimit(RLIMIT_NOFILE, soft \(limit.rlim_cur))") {
                .raw(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit))
            }
        }
        var first: Int32 = -1
        var opened = 0
        reporter.call("open", "open(\"/dev/null\") until fd \(last) is taken") {
            while true {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                if fd < 0 { return .raw(fd) }
                if first < 0 { first = fd }
                opened += 1
                if fd >= last { return .raw(fd) }
            }
        }
        reporter.note("print", "\(opened) placeholder descriptors (\(first)…\(last)): the next socket will be fd \(last + 1)")
    }
}

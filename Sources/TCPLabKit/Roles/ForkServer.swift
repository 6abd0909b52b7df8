import Glibc

/// The fork-per-connection server of the zombie story: the parent accepts, forks, and goes back
/// to accept; the child serves that one client (reads a line, answers it upper-cased, closes)
/// and exits.
///
/// What the parent does about its exited children is the lesson (`Reaping`), and so is whether
/// it closes its own copy of the accepted socket. It also reads commands on standard input:
/// `exit` (or end of input) makes the parent close what it kept and exit, which is how the lab
/// orphans a child that is still serving, or shows the FIN that only the parent's close sends.
public struct ForkServer {
    /// What the parent does when a child exits.
    public enum Reaping: String, Sendable, CaseIterable, Codable {
        /// Nothing: every exited child stays a zombie until the parent dies.
        case none
        /// signal(SIGCHLD, SIG_IGN): the kernel reaps children itself, no zombie ever appears.
        case ignore
        /// A SIGCHLD handler wakes the main loop, which reaps with waitpid(-1, WNOHANG) until none is left.
        case handler
    }

    public var address: SocketAddress
    public var reaping: Reaping
    /// The bug of the parent-keeps-fd variant: the parent never closes its copy of the accepted socket.
    public var keepsAcceptedSocket: Bool

    public init(address: SocketAddress, reaping: Reaping, keepsAcceptedSocket: Bool) {
        self.address = address
        self.reaping = reaping
        self.keepsAcceptedSocket = keepsAcceptedSocket
    }

    /// Listens and serves, one child per connection, until told to exit or stopped by the lab.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        // Announced only once SIGCHLD is set up, so no client connects before.
        let listener = RoleSocket.listener(on: address, backlog: 64, reporter: reporter, announce: false)
        var childSignal: Int32?
        switch reaping {
        case .none:
            reporter.note("print", "SIGCHLD left at its default action, and the server never calls wait()")
        case .ignore:
            reporter.call("signal", "signal(SIGCHLD, SIG_IGN)") {
                // SIG_ERR is the handler value -1, which Swift cannot compare as a function.
                let previous = signal(SIGCHLD, SIG_IGN)
                return .raw(previous.map { unsafeBitCast($0, to: Int.self) == -1 } == true ? -1 : 0)
            }
        case .handler:
            do { childSignal = try ChildSignal.install() } catch { RoleEnvironment.fail(reporter, error.description) }
            reporter.note("signal", "sigaction(SIGCHLD, handler that writes one byte to a self-pipe)")
        }
        listener.announceListening(address)

        var kept: [RoleSocket] = []
        var commands = LineReader(fd: 0)
        while true {
            var entries = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
            if let childSignal { entries.append(pollfd(fd: childSignal, events: Int16(POLLIN), revents: 0)) }
            // A SIGCHLD interrupts poll (EINTR); the self-pipe then has a byte, so just poll again.
            guard poll(&entries, nfds_t(entries.count), -1) > 0 else { continue }
            if let childSignal, entries[2].revents != 0 {
                ChildSignal.drain(childSignal)
                reapExitedChildren(reporter)
            }
            if entries[1].revents != 0 {
                // "exit", or end of input (the lab closed the pipe): either way the parent goes.
                _ = commands.nextLine()
                for connection in kept { connection.close() }
                reporter.note("exit", "exit(0)")
                exit(0)
            }
            if entries[0].revents != 0 {
                let connection = listener.acceptNext()
                forkChild(serving: connection, listener: listener, reporter: reporter)
                if keepsAcceptedSocket {
                    kept.append(connection)
                } else {
                    connection.close()
                }
            }
        }
    }

    /// fork(), and in the child serve `connection` and exit; returns in the parent.
    private func forkChild(serving connection: RoleSocket, listener: RoleSocket, reporter: RoleReporter) {
        // fork() copies only the calling thread: with a second thread alive, a lock it held
        // (in malloc, in the Swift runtime) would stay locked forever in the child.
        let threads = ProcessThreads.count()
        guard threads == 1 else {
            RoleEnvironment.fail(reporter, "fork-server: \(threads.map(String.init) ?? "unknown") threads in /proc/self/task; fork is only safe with 1")
        }
        let forked = reporter.call("fork", "fork()") {
            let pid = fork()
            // In the child, label its reports from now on; its copy of this call's end report has
            // no begin under that label, so the lab drops it and keeps the parent's.
            if pid == 0 { reporter.pid = getpid() }
            return .raw(pid)
        }
        if forked.failed { RoleEnvironment.fail(reporter, "fork: \(forked.errno.map(\.description) ?? "?")") }
        guard forked.returnValue == 0 else { return }

        // The child: it has copies of every descriptor, the listener included.
        reporter.call("close", "close(listening socket)") { .raw(close(listener.fd)) }
        let received = connection.receive()
        if received.returnValue > 0, let data = received.data {
            connection.send(data.uppercased())
        }
        connection.close()
        reporter.note("exit", "_exit(0)")
        // _exit, not exit: the child must not run the parent's atexit handlers or flush its buffers.
        _exit(0)
    }

    /// The waitpid(-1, WNOHANG) loop a SIGCHLD handler asks for: each reap is reported with the
    /// child's exit status; the loop ends when no exited child is left (0) or no child at all (ECHILD).
    private func reapExitedChildren(_ reporter: RoleReporter) {
        while true {
            var status: Int32 = 0
            let reaped = reporter.call("waitpid", "waitpid(-1, WNOHANG)") {
                let pid = waitpid(-1, &status, WNOHANG)
                return .raw(pid, data: pid > 0 ? Termination(waitStatus: status).description : nil)
            }
            if reaped.failed, reaped.errno == .interrupted { continue }
            guard reaped.returnValue > 0 else { return }
            reporter.note("reaped", "reaped child \(reaped.returnValue): \(reaped.data ?? "")")
        }
    }
}

/// How many threads this process has, from /proc/self/task.
enum ProcessThreads {
    /// The number of entries in /proc/self/task; nil if it cannot be read.
    static func count() -> Int? {
        ProcText.directoryEntries(path: "/proc/self/task")?.count
    }
}

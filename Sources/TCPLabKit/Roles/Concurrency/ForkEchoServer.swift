import Glibc

// Demonstrates: the fork-per-connection server of the posts. The parent only accept()s; for each
// connection it fork()s a child that serves that one client with plain blocking calls and exits,
// and the parent closes its own copy of the connection. Each client has a process of its own
// (visible in /proc as a child of the server). A child that exits stays a zombie until its parent
// waits for it, so the parent reaps: the SIGCHLD handler writes a byte to a pipe (the self-pipe
// trick: a handler may do almost nothing safely), the main loop poll()s the listener and that
// pipe, and on a byte calls waitpid(-1, WNOHANG) until no exited child is left (one SIGCHLD can
// stand for several children).

/// The write end of the self-pipe, for the signal handler (which cannot capture anything).
nonisolated(unsafe) private var sigchldPipeWrite: Int32 = -1

/// The SIGCHLD handler: one byte into the self-pipe, errno left as it was. Nothing else is
/// async-signal-safe enough to do here.
private func sigchldHandler(_: Int32) {
    let saved = errno
    var byte: UInt8 = 0
    _ = write(sigchldPipeWrite, &byte, 1)
    errno = saved
}

/// The fork-per-connection echo server of the concurrency scenario's `fork` model.
public struct ForkEchoServer {
    public var address: SocketAddress
    public var backlog: Int32
    public var readSize: Int

    public init(address: SocketAddress, backlog: Int32, readSize: Int) {
        self.address = address
        self.backlog = backlog
        self.readSize = readSize
    }

    /// Accepts and forks until the lab stops the process; reaps every child that exits.
    public func run(reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = EchoServing.listen(address, backlog: backlog, reporter: reporter)
        let selfPipe = installSigchldPipe(reporter: reporter)
        var watched = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: selfPipe, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = reporter.call("poll", "poll(listener, SIGCHLD pipe)") { .raw(poll(&watched, 2, -1)) }
            if ready.failed { continue }  // EINTR: SIGCHLD arrived during poll; the pipe has the byte
            if watched[1].revents & Int16(POLLIN) != 0 { reapChildren(selfPipe: selfPipe, reporter: reporter) }
            if watched[0].revents & Int16(POLLIN) != 0 { acceptAndFork(listener, reporter: reporter) }
        }
    }

    private func acceptAndFork(_ listener: RoleSocket, reporter: RoleReporter) {
        let (connection, _) = listener.accept()
        guard let connection else { return }
        let forked = reporter.call("fork", "fork()") {
            let pid = fork()
            // In the child, label its reports from now on (`server child PID`); its copy of this
            // call's end report has no begin under that label, so the lab drops it and keeps the parent's.
            if pid == 0 { reporter.pid = getpid() }
            return .raw(pid)
        }
        switch forked.returnValue {
        case 0:
            // The child: it never accepts, so it drops the listener, serves its one client, exits.
            reporter.call("close", "close(listener) in the child") { .raw(close(listener.fd)) }
            EchoServing.serveUntilEOF(connection, readSize: readSize)
            _exit(0)
        case -1:
            connection.close()
        default:
            // The parent: the child holds the connection now. Without this close the client
            // would never see a FIN, because the connection stays open in the parent.
            reporter.call("close", "close(fd \(connection.fd)) in the parent: the child serves it") {
                .raw(close(connection.fd))
            }
        }
    }

    /// Drains the self-pipe, then waitpid(-1, WNOHANG) until it returns 0 (children still running)
    /// or -1 ECHILD (no children at all).
    private func reapChildren(selfPipe: Int32, reporter: RoleReporter) {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(selfPipe, &bytes, bytes.count) > 0 {}
        while true {
            var status: Int32 = 0
            let reaped = reporter.call("waitpid", "waitpid(-1, WNOHANG)") { .raw(waitpid(-1, &status, WNOHANG)) }
            if reaped.returnValue <= 0 { break }
        }
    }

    /// The pipe and the SIGCHLD handler; both pipe ends non-blocking (the handler must never
    /// block, and the drain loop stops at EAGAIN).
    private func installSigchldPipe(reporter: RoleReporter) -> Int32 {
        let ends: (read: Int32, write: Int32)
        do { ends = try FileDescriptorIO.makePipe() } catch { RoleEnvironment.fail(reporter, "pipe: \(error)") }
        for fd in [ends.read, ends.write] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        sigchldPipeWrite = ends.write
        var action = sigaction()
        action.__sigaction_handler.sa_handler = sigchldHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP
        reporter.call("sigaction", "sigaction(SIGCHLD, handler: write a byte to the self-pipe)") {
            .raw(sigaction(SIGCHLD, &action, nil))
        }
        return ends.read
    }
}

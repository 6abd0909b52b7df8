import Glibc

/// The self-pipe trick for SIGCHLD: the handler only writes one byte to a pipe, and the server's
/// main loop, which polls that pipe next to its listening socket, does the waitpid loop and
/// reports each reap.
///
/// A signal handler may call only async-signal-safe functions: write(2) is one, while JSON
/// encoding, allocation and locks are not. SIGCHLD is not queued either (several children
/// exiting together may raise it once), so the loop must reap until waitpid(-1, WNOHANG) says
/// there is nobody left.
enum ChildSignal {
    /// The write end the handler uses; set once, before the handler is installed.
    nonisolated(unsafe) static var writeEnd: Int32 = -1

    /// Creates the pipe, installs the handler with SA_RESTART | SA_NOCLDSTOP, and returns the
    /// read end to poll (non-blocking, so it can be drained).
    static func install() throws(LabError) -> Int32 {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw LabError.system(call: "pipe", errno: .current) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        writeEnd = ends[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(ChildSignal.writeEnd, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP
        guard sigaction(SIGCHLD, &action, nil) == 0 else { throw LabError.system(call: "sigaction", errno: .current) }
        return ends[0]
    }

    /// Empties the pipe after poll said it is readable (one byte or many: the loop reaps them all).
    static func drain(_ readEnd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}

import Foundation
import Glibc

/// Ctrl-C handling for a live run: the signals are blocked in every thread and taken by one
/// thread with sigwait, which can then stop roles and close the capture in an orderly way
/// (a signal handler could do neither safely).
public enum Interrupts {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Blocks the interrupt signals in the calling thread; threads created later inherit the mask.
    /// Call first, before any thread exists. Also ignores SIGPIPE in the lab itself, so a write to a
    /// role that died returns EPIPE instead of killing the lab (roles get SIGPIPE back at spawn).
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Starts the thread that waits for an interrupt and hands it to `handler`.
    public static func watch(_ handler: @escaping @Sendable (Int32) -> Void) {
        Thread.detachNewThread {
            var set = signalSet()
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            handler(received)
        }
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in watched { sigaddset(&set, signal) }
        return set
    }
}

import Foundation
import Glibc

/// Ctrl-C handling: SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in every thread from the
/// first line of `main` and taken by one thread with sigwait(3), which can then stop roles and
/// close the capture in an orderly way (a signal handler could do neither safely).
///
/// A blocked signal stays pending (sigpending(2)) until a thread takes it, so a Ctrl-C that comes
/// before the signal thread exists (while the namespace is entered, say) is handled as soon as
/// it starts, not lost. A signal the process inherited as ignored (SIG_IGN: a background job of
/// a shell without job control) stays ignored: the kernel discards it, as for any program.
public enum Interrupts {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Blocks the interrupt signals in the calling thread; threads created later inherit the mask.
    /// Call first thing in `main`, before any thread exists.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Unblocks them again, for a command that has nothing to stop (decode, list, a role): their
    /// default action applies, at once for one already pending.
    public static func unblock() {
        var set = signalSet()
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Starts the thread that waits for the first interrupt and hands it to `handler` (later ones
    /// stay blocked). Also ignores SIGPIPE in the lab itself, so a write to a role that died returns
    /// EPIPE instead of killing the lab (roles get SIGPIPE back at spawn). Call after `block()` and
    /// after `NetworkIsolation.enter()`, which needs the process single-threaded.
    public static func watch(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
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

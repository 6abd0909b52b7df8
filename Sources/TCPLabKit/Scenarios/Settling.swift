/// How long the lab lets a table settle before recording it at a moment. Never a condition on
/// the states themselves: the claims judge those, so a kernel that does something else ends in a
/// FAILED claim with the states seen, not in a timeout.
public enum Settling: Sendable, Equatable {
    /// One read, at once.
    case immediately
    /// Re-read every 2 ms until two reads `milliseconds` apart agree (states, queues, parents),
    /// at most the run's timeout: the kernel has finished reacting to the last event.
    case quiet(milliseconds: Int)
    /// Re-read until the table differs from `baseline`'s rows, then until quiet as above; at most
    /// `seconds`. For changes that come later than the event the scenario waited for (PID 1
    /// reaping re-parented zombies, which some inits do only every second or two).
    case changed(seconds: Double)

    /// Sockets react to a segment within microseconds on loopback.
    public static let sockets = Settling.quiet(milliseconds: 30)
    /// Processes need a scheduler tick or two (a SIGCHLD handler, an exit).
    public static let processes = Settling.quiet(milliseconds: 100)
}

import Glibc

/// Microseconds since the epoch on CLOCK_REALTIME: the clock libpcap stamps packets with,
/// so role steps and captured segments can share one timeline.
public enum WallClock {
    /// Now, in microseconds since the epoch.
    public static func nowMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}

import Glibc

/// The "other work" a signal-driven or asynchronous server does while the kernel waits for data
/// on its behalf: units of about 1 ms of arithmetic each, counted, so the claims can see that
/// the process was free to do something else.
struct WorkUnits {
    private(set) var count = 0
    private var checksum: UInt64 = 1

    /// One unit: about 1 ms of computing (on CLOCK_MONOTONIC), never a sleep.
    mutating func doOne() {
        let start = Self.monotonicMicroseconds()
        repeat {
            for value in 0..<1_000 as Range<UInt64> { checksum = checksum &* 6364136223846793005 &+ value }
        } while Self.monotonicMicroseconds() - start < 1_000
        count += 1
    }

    private static func monotonicMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}

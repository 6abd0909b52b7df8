import Glibc

/// RLIMIT_NOFILE for a benchmark process: one descriptor per connection, and the default soft
/// limit (1024 on most systems, 20000 here) is below 10,000 connections plus the process's own
/// descriptors on many machines.
enum FileLimit {
    /// Descriptors a process needs besides its connections (stdio, report pipe, epoll, listener…).
    static let spare = 64

    /// Raises the soft limit (and the hard limit, which needs CAP_SYS_RESOURCE, when it is lower)
    /// to at least `connections + spare`, and notes the result as `limits`; a limit that cannot be
    /// raised is noted too, and the connections beyond it will fail with EMFILE for all to see.
    static func raise(toHold connections: Int, reporter: RoleReporter) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let before = limit.rlim_cur
        let needed = rlim_t(connections + spare)
        if limit.rlim_cur < needed {
            if limit.rlim_max < needed { limit.rlim_max = needed }
            limit.rlim_cur = needed
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
                reporter.note("limits", "setrlimit(RLIMIT_NOFILE, \(needed)) failed: \(Errno.current); soft limit stays \(before)")
                return
            }
            reporter.note("limits", "setrlimit(RLIMIT_NOFILE) raised the soft limit from \(before) to \(needed)")
        } else {
            reporter.note("limits", "RLIMIT_NOFILE soft limit \(before) already holds \(needed)")
        }
    }
}

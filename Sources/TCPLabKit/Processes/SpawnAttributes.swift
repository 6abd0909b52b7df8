import Glibc

/// The posix_spawn attributes every process tcplab starts gets: a process group of its own (so
/// Ctrl-C in the terminal reaches only the lab, which then stops it deliberately), the signals
/// the lab handles or ignores back at their default actions (an ignored SIGPIPE would survive
/// exec otherwise), and nothing blocked.
enum SpawnAttributes {
    /// Calls `body` with initialised attributes, destroyed afterwards.
    static func with<R>(_ body: (inout posix_spawnattr_t) -> R) -> R {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        return body(&attributes)
    }
}

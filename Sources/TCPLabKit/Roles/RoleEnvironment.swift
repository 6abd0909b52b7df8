import CPcap
import Glibc

/// What every role does first, before its own program starts.
public enum RoleEnvironment {
    /// Ties the role's life to the lab: if the lab dies (even by SIGKILL), the kernel kills the role,
    /// so no server is left listening after an aborted run.
    public static func prepare() {
        _ = tcplab_set_parent_death_signal(SIGKILL)
        // The lab was reparented away already if it died before prctl took effect.
        if getppid() == 1 { exit(3) }
    }

    /// Turns a failed setup call into the message and exit status every role uses for it.
    public static func fail(_ reporter: RoleReporter, _ message: String) -> Never {
        reporter.note("error", message)
        exit(2)
    }
}

import CPcap
import Foundation
import Glibc

/// What every role does first, before its own program starts.
public enum RoleEnvironment {
    /// Ties the role's life to the lab: if the lab dies (even by SIGKILL), the kernel kills the role,
    /// so no server is left listening after an aborted run.
    public static func prepare() {
        _ = tcplab_set_parent_death_signal(SIGKILL)
        closeInheritedDescriptors()
        // The lab was reparented away already if it died before prctl took effect.
        if getppid() == 1 { exit(3) }
    }

    /// A role keeps only stdin, stdout, stderr and its report pipe (3): whatever else the shell or
    /// a terminal left open is closed, so /proc/PID/fd shows a student exactly the role's sockets.
    static func closeInheritedDescriptors() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for fd in names.compactMap({ Int32($0) }) where fd > 3 {
            close(fd)
        }
    }

    /// Turns a failed setup call into the message and exit status every role uses for it.
    public static func fail(_ reporter: RoleReporter, _ message: String) -> Never {
        reporter.note("error", message)
        exit(2)
    }
}

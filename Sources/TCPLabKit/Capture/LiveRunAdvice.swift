/// What to tell a student whose live run could not even start capturing.
///
/// Without root, tcplab captures inside a user + network namespace of its own. Where the kernel
/// forbids unprivileged user namespaces (a sysctl such as `user.max_user_namespaces=0` or
/// `kernel.unprivileged_userns_clone=0`, an AppArmor restriction, a container's seccomp profile)
/// it falls back to the host loopback, where capturing needs CAP_NET_RAW, and fails. The shipped
/// recording of the same run still shows everything, so the message offers `--replay`.
public enum LiveRunAdvice {
    /// The one-line error for a run stopped by `error` before anything was captured.
    public static func message(for error: LabError, isolation: NetworkIsolation, scenario: String, variant: String) -> String {
        guard case .capture(let problem) = error, case .hostLoopback(let reason) = isolation,
              reason.hasPrefix("cannot create a network namespace")
        else { return error.description }
        let replay = "tcplab scenario \(scenario) --variant \(variant) --replay"
        guard problem.hasPrefix("not permitted") else {
            return "\(problem) (no private namespace either: \(reason)); the recorded run needs no capture: \(replay)"
        }
        return "not permitted to capture: capturing needs root (CAP_NET_RAW), and this kernel does not allow "
            + "unprivileged user namespaces, in which tcplab would capture on a private network of its own "
            + "(\(reason)). Run as root (sudo tcplab …), or watch the recorded run without any privilege, "
            + "its claims checked again from the capture: \(replay)"
    }
}

/// How `tcplab check` judges one of a scenario's claims once a student's program plays a role.
///
/// A claim about the lab's own side, the capture, the socket table or how a role ended can be
/// judged from outside the program: it is judged exactly as the scenario judges it. A claim that
/// reads the reports the lab's own role program makes about its calls (`close() = 0`, the
/// SIGCHLD handler's `waitpid`) only made sense for that program: it is replaced by claims judged
/// from what can be seen of any program (segments, socket states, the process table, its exit
/// status or signal, and its system calls when strace is present), named by their ids.
public enum ClaimJudging: Sendable, Equatable {
    /// Judged by the scenario's own claim, unchanged.
    case fromOutside
    /// Not judged; the claims with these ids (`CheckPlan.outsideClaims`) stand in for it, `because`
    /// why. No ids: a story the check does not play for a student's program (select's 1020 extra
    /// descriptors), so nothing stands in for it; `because` says so.
    case replaced(by: [String], because: String)
}

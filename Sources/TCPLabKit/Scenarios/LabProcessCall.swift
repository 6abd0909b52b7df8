/// A system call the lab itself made on a process of the run, kept as data: claims and exercise
/// questions read it here, never from the note the timeline prints for it.
///
/// kill(2): `pid` and `signal`; `result` 0, or -1 with `errno` (ESRCH: no such process; a zombie
/// still exists, so kill on it returns 0 and the kernel drops the signal). waitpid(2) on one pid
/// (the lab as child subreaper reaping an orphan it adopted, prctl(2) PR_SET_CHILD_SUBREAPER):
/// `result` the reaped pid, `termination` its decoded wait status.
public struct LabProcessCall: Sendable, Codable, Equatable {
    /// Which system call.
    public enum Call: String, Sendable, Codable {
        case kill, waitpid
    }

    /// When it returned: CLOCK_REALTIME microseconds.
    public var time: Int64
    public var call: Call
    /// The process it was made on.
    public var pid: Int32
    /// kill: the signal number sent (9 for SIGKILL).
    public var signal: Int32?
    /// The return value: 0 or -1 for kill; the reaped pid or -1 for waitpid.
    public var result: Int32
    /// errno when `result` is -1.
    public var errno: Int32?
    /// waitpid: how the reaped process ended.
    public var termination: Termination?

    public init(time: Int64, call: Call, pid: Int32, signal: Int32? = nil, result: Int32, errno: Int32? = nil,
                termination: Termination? = nil) {
        self.time = time
        self.call = call
        self.pid = pid
        self.signal = signal
        self.result = result
        self.errno = errno
        self.termination = termination
    }
}

extension Observation {
    /// The lab's kill(2) calls that sent `signal`, in order.
    public func labKills(_ signal: Int32) -> [LabProcessCall] {
        labCalls.filter { $0.call == .kill && $0.signal == signal }
    }

    /// The lab's waitpid(2) call that reaped `pid`, if it made one.
    public func labReap(of pid: Int32) -> LabProcessCall? {
        labCalls.first { $0.call == .waitpid && $0.pid == pid && $0.result == pid }
    }
}

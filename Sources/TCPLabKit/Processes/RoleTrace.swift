/// A role whose calls strace reports instead of the role itself (`tcplab check` runs a student's
/// program under `strace -o /dev/fd/3`, `TracedCalls`): what the lab needs so that a cut of the
/// log (`LabRun.caughtUp()`) holds every call the role began before it, and the lines the program
/// printed sit where their write(2) returned.
public protocol RoleTrace: AnyObject, Sendable {
    /// Takes bytes strace wrote on descriptor 3 (any chunking), read at `time` (CLOCK_REALTIME µs,
    /// taken after read(2) returned: strace had written them by then).
    func take(_ bytes: ArraySlice<UInt8>, at time: Int64)
    /// Takes a line the program printed (standard output and error merged), read at `time`
    /// (CLOCK_REALTIME µs).
    func printed(_ line: String, at time: Int64)
    /// Whether strace has handed on every call begun before `time`: its stamps reach it, or strace
    /// was seen waiting for its tracees (checked before `drained`, which says that everything
    /// written is read) at or after it (`StraceProgress`).
    func reached(_ time: Int64, drained: () -> Bool) -> Bool
    /// Files the call a tracee is still in as begun (`StraceStream.unfinished()`); call outside
    /// the log's lock.
    func settle()
}

/// How far one strace's output has come: the latest instant strace is known to have handled,
/// read from the stamps of what it wrote (`-ttt`, CLOCK_REALTIME), so that `tcplab watch` prints
/// a segment only once every call that began before it is in (`StraceTrace.Reader.caughtUp()`).
///
/// strace handles its tracees' stops one at a time, stamps each line when it handles the stop,
/// and writes the text of each stop before it resumes the tracee and waits for the next one
/// (strace(1); its partial lines, `accept4(3, `, are written at the call's entry). So:
/// - a whole line for a call that returned says strace handled its exit at stamp + `-T` time;
/// - the start of a line being written (`1234 1795987392.865314 accept4(3, `) says strace
///   handled that entry at its stamp;
/// - a strace asleep in wait4(2) has written everything it handled (`isIdle`).
///
/// Pure apart from `isIdle`: fed lines and partial text, tested on literal strace output.
struct StraceProgress: Sendable, Equatable {
    /// CLOCK_REALTIME microseconds; nil before strace wrote anything.
    private(set) var reached: Int64?

    /// Notes a whole line strace wrote.
    mutating func note(_ line: StraceLine) {
        switch line.event {
        case .call(_, _, _, let spent?), .resumed(_, _, _, let spent?): advance(to: line.time + spent)
        default: advance(to: line.time)
        }
    }

    /// Notes the start of a line strace is still writing (the bytes after the last newline).
    mutating func note(partial bytes: some Collection<UInt8>) {
        // "PID  SECONDS.MICROS " — the stamp is whole once a space follows it.
        let fields = bytes.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count == 3, Int32(String(decoding: fields[0], as: UTF8.self)) != nil,
              let stamp = StraceLine.microseconds(Substring(String(decoding: fields[1], as: UTF8.self)))
        else { return }
        advance(to: stamp)
    }

    /// Notes that strace was seen asleep waiting for its tracees at `time` with everything it
    /// wrote before read.
    mutating func idle(at time: Int64) { advance(to: time) }

    private mutating func advance(to time: Int64) {
        reached = max(reached ?? time, time)
    }

    /// Whether strace `pid` has written everything it handled so far: it sleeps in wait4(2) for
    /// its tracees' next stop (/proc/PID/wchan `do_wait`; where the kernel hides wchan, any
    /// interruptible sleep counts, as strace then sleeps in wait4(2) or in a write to the FIFO
    /// the reader keeps empty), it is stopped (Ctrl-Z: it handles nothing more), or it is gone.
    static func isIdle(_ pid: Int32) -> Bool {
        guard let activity = ProcessActivity.read(pid: pid) else { return true }
        switch activity.state {
        case "Z", "X", "T", "t": return true
        case "S": return activity.wchan == "do_wait" || activity.wchan == "0"
        default: return false
        }
    }
}

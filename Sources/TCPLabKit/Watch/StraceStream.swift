/// One strace's output as it comes through its FIFO (`StraceTrace.Reader`): the whole lines it
/// completes, how far strace has come (`StraceProgress`), and the call a tracee is in.
///
/// strace writes a call's start when the tracee enters it (`1234 1795987392.865314 accept4(3, `)
/// and the rest when it returns (`{sa_family=AF_INET, …}, [16], SOCK_CLOEXEC) = 4 <0.004393>`), so
/// a call that blocks (accept, recv) is half a line for as long as it blocks. `unfinished()` hands
/// such a start on as the `<unfinished ...>` line strace itself writes when another tracee's event
/// comes between (strace(1) with `-f`), and the rest then comes as its `<... accept4 resumed>`:
/// the view knows the call began, before whatever it waits for happens.
///
/// Pure: fed bytes, tested on literal strace output.
struct StraceStream: Sendable {
    /// The bytes after the last newline: the start of a line strace is still writing.
    private var pending: [UInt8] = []
    /// The start of a line already handed on as `<unfinished ...>`: its pid, stamp and call.
    private var started: (pid: String, stamp: String, call: String)?
    private(set) var progress = StraceProgress()

    /// The whole lines `bytes` completes, in order (strace's own messages left out); `time` is
    /// when `bytes` was read (CLOCK_REALTIME µs, taken after read(2) returned): each line's
    /// `returnedBy`, as strace had written it by then.
    mutating func read(_ bytes: some Collection<UInt8>, at time: Int64) -> [StraceLine] {
        pending.append(contentsOf: bytes)
        var lines: [StraceLine] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var text = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if let start = started {
                started = nil
                // strace split the line itself (another tracee's event came): its own
                // `<... resumed>` line follows.
                if text.hasSuffix("<unfinished ...>") { continue }
                text = "\(start.pid) \(start.stamp) <... \(start.call) resumed>" + text
            }
            guard var line = StraceLine.parse(Substring(text)) else { continue }
            line.returnedBy = time
            progress.note(line)
            lines.append(line)
        }
        progress.note(partial: pending)
        return lines
    }

    /// The call whose start strace has written and not yet its end, as `<unfinished ...>`
    /// (once: its end then comes as `<... resumed>`); nil when none is pending.
    mutating func unfinished() -> StraceLine? {
        guard started == nil, !pending.isEmpty else { return nil }
        let text = String(decoding: pending, as: UTF8.self)
        guard let line = StraceLine.parse(Substring(text + " <unfinished ...>")),
              case .unfinished(let call, _) = line.event
        else { return nil }
        let fields = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        started = (String(fields[0]), String(fields[1]), call)
        pending = []
        return line
    }

    /// Notes that strace was seen asleep waiting for its tracees at `time` (`StraceProgress.isIdle`),
    /// with everything it wrote before read.
    mutating func idle(at time: Int64) { progress.idle(at: time) }
}


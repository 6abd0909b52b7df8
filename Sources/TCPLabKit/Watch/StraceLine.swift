/// One line of `strace -f -ttt -T -o FILE` output, parsed (strace(1), "DESCRIPTION"):
///
///     1234 1795987392.864420 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3 <0.000040>
///     1234 1795987392.865314 accept4(3,  <unfinished ...>
///     1234 1795987392.869725 <... accept4 resumed>{sa_family=AF_INET, …}, [16], SOCK_CLOEXEC) = 4 <0.004393>
///     1234 1795987392.870889 --- SIGCHLD {si_signo=SIGCHLD, …} ---
///     1234 1795987392.879467 +++ exited with 3 +++
///     1234 1795987392.879467 +++ killed by SIGKILL +++
///
/// Times are CLOCK_REALTIME seconds with microseconds (`-ttt`), kept as microseconds; `<…>` is
/// the time spent in the call (`-T`). Pure: tested on literal lines.
public struct StraceLine: Sendable, Equatable {
    /// What the line says.
    public enum Event: Sendable, Equatable {
        /// A call that returned: its arguments as strace printed them, its result (`4`,
        /// `-1 ECONNRESET (Connection reset by peer)`, `?`) and how long it took.
        case call(name: String, arguments: String, result: String, microseconds: Int64?)
        /// A call that another process's event interrupted in the output: its arguments so far.
        case unfinished(name: String, arguments: String)
        /// The rest of an unfinished call, when it returned.
        case resumed(name: String, arguments: String, result: String, microseconds: Int64?)
        /// A signal delivered to the process (`--- SIGPIPE {…} ---`).
        case signal(String)
        /// `+++ exited with N +++`.
        case exited(Int32)
        /// `+++ killed by SIGNAME +++` (`(core dumped)` dropped).
        case killed(String)
    }

    public var pid: Int32
    public var time: Int64
    public var event: Event
    /// For a call's return (`.call`, `.resumed`) read from strace's output as it came
    /// (`StraceStream`): when its line reached tcplab (CLOCK_REALTIME µs), by which the call had
    /// returned. nil for a line parsed on its own. (`StraceSteps` lowers the bound to the stamp
    /// of the next line the same strace wrote.)
    public var returnedBy: Int64? = nil

    public init(pid: Int32, time: Int64, event: Event, returnedBy: Int64? = nil) {
        self.pid = pid
        self.time = time
        self.event = event
        self.returnedBy = returnedBy
    }

    /// When a call that began at `began` (its entry stamp) and spent `spent` µs in the kernel
    /// (`-T`) returned, as the timeline places it: never before `returnedBy`.
    ///
    /// strace stamps a line (`-ttt`) when it starts writing the call's entry, but starts the `-T`
    /// clock only once the entry is decoded and written, just before it resumes the tracee
    /// ("Measure the entrance time as late as possible", strace's syscall.c): `began + spent`
    /// falls before the return by that decoding time, 40–200 µs measured here, enough to put
    /// `send(…) = 4` above the segment the send put on the wire. The return lies between that
    /// sum and `returnedBy`, so the later of the two is an instant known to be after it.
    public func returned(began: Int64, spent: Int64?) -> Int64 {
        let counted = began + (spent ?? 0)
        return max(counted, returnedBy ?? counted)
    }

    /// nil for anything else strace writes (its own messages, a line cut short).
    public static func parse(_ line: Substring) -> StraceLine? {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count == 3, let pid = Int32(fields[0]), let time = microseconds(fields[1]) else { return nil }
        let rest = fields[2]
        if rest.hasPrefix("--- ") {
            let name = rest.dropFirst(4).prefix { $0 != " " }
            return StraceLine(pid: pid, time: time, event: .signal(String(name)))
        }
        if rest.hasPrefix("+++ exited with ") {
            guard let code = Int32(rest.dropFirst(16).prefix { $0 != " " }) else { return nil }
            return StraceLine(pid: pid, time: time, event: .exited(code))
        }
        if rest.hasPrefix("+++ killed by ") {
            return StraceLine(pid: pid, time: time, event: .killed(String(rest.dropFirst(14).prefix { $0 != " " })))
        }
        if rest.hasPrefix("<... ") {
            guard let end = rest.range(of: " resumed>") else { return nil }
            let name = String(rest[rest.index(rest.startIndex, offsetBy: 5)..<end.lowerBound])
            guard let (arguments, result, duration) = finish(rest[end.upperBound...], depth: 1) else { return nil }
            return StraceLine(pid: pid, time: time, event: .resumed(name: name, arguments: arguments, result: result, microseconds: duration))
        }
        guard let open = rest.firstIndex(of: "(") else { return nil }
        let name = String(rest[..<open])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let body = rest[rest.index(after: open)...]
        if body.hasSuffix(" <unfinished ...>") {
            let arguments = body.dropLast(" <unfinished ...>".count).trimmingSuffix()
            return StraceLine(pid: pid, time: time, event: .unfinished(name: name, arguments: String(arguments)))
        }
        guard let (arguments, result, duration) = finish(body, depth: 1) else { return nil }
        return StraceLine(pid: pid, time: time, event: .call(name: name, arguments: arguments, result: result, microseconds: duration))
    }

    /// Splits `args) = R <D>` at the parenthesis that closes the call (quotes, braces and
    /// brackets inside the arguments skipped).
    private static func finish(_ text: Substring, depth start: Int) -> (String, String, Int64?)? {
        var depth = start
        var inString = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else {
                switch character {
                case "\"": inString = true
                case "(", "{", "[": depth += 1
                case ")", "}", "]":
                    depth -= 1
                    if depth == 0 {
                        let arguments = String(text[..<index])
                        var tail = text[text.index(after: index)...].drop { $0 == " " }
                        guard tail.hasPrefix("=") else { return nil }
                        tail = tail.dropFirst().drop { $0 == " " }
                        var duration: Int64?
                        if tail.hasSuffix(">"), let open = tail.lastIndex(of: "<") {
                            duration = microseconds(tail[tail.index(after: open)..<tail.index(before: tail.endIndex)])
                            tail = tail[..<open].trimmingSuffix()
                        }
                        return (arguments, String(tail), duration)
                    }
                default: break
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `1795987392.864420` → 1795987392864420.
    static func microseconds(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let seconds = Int64(parts[0]), parts[1].count == 6, let fraction = Int64(parts[1]) else { return nil }
        return seconds * 1_000_000 + fraction
    }
}

extension Substring {
    fileprivate func trimmingSuffix() -> Substring {
        var text = self
        while text.last == " " { text = text.dropLast() }
        return text
    }
}

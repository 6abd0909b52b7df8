/// Names the traced programs' processes on `tcplab watch`'s timeline as the scenarios name their
/// roles (`TracedCalls` for `tcplab check`): a program that listen(2)s is `server`, one that
/// connect(2)s is `client` (a second one of the same kind `client 2`, in the order they took
/// their role), a process it forked `server child PID`, a thread `server thread N` (the order it
/// was started in; `Worker`). A program is what one strace traced: the watched program, or one
/// joined from another terminal, told apart by the FIFO its lines came through
/// (`StraceTrace.Reader`); its first process seen is the program itself. Until a program has
/// listened or connected its processes keep StraceSteps' `pid N`.
///
/// Labels are given when the timeline is printed, so the calls before the listen (socket(),
/// bind()) are named by the role it gave. Pure: fed line by line, tested on literal strace lines.
public struct WatchRoles: Sendable {
    /// What a traced program is, from its calls.
    public enum Kind: Sendable, Hashable {
        /// It called listen(2).
        case server
        /// It called connect(2).
        case client

        var name: String {
            switch self {
            case .server: "server"
            case .client: "client"
            }
        }
    }

    /// The FIFO each pid's lines came through.
    private var sourceOf: [Int32: String] = [:]
    /// Each FIFO's first pid: the program itself.
    private var program: [String: Int32] = [:]
    private var threads: [Int32: Int] = [:]
    private var threadCount: [String: Int] = [:]
    private var labels: [String: String] = [:]
    private var counts: [Kind: Int] = [:]

    public init() {}

    /// Notes that `line` came through the FIFO named `source` (call for every line, before its steps).
    public mutating func note(_ line: StraceLine, from source: String) {
        if sourceOf[line.pid] == nil { sourceOf[line.pid] = source }
        if program[source] == nil { program[source] = line.pid }
    }

    /// Notes what `step` (named `pid N` by StraceSteps) tells: a listen() or connect() gives its
    /// program its role (the first one it made), a clone(CLONE_THREAD) numbers a thread.
    public mutating func note(_ step: RoleStep) {
        guard let pid = Self.pid(step.role), let source = sourceOf[pid] else { return }
        if step.call == "thread", let tid = step.returnValue, tid > 0, threads[Int32(tid)] == nil {
            threadCount[source, default: 0] += 1
            threads[Int32(tid)] = threadCount[source]
            sourceOf[Int32(tid)] = source
        }
        guard labels[source] == nil, !step.isNote else { return }
        let kind: Kind
        switch step.call {
        case "listen": kind = .server
        case "connect": kind = .client
        default: return
        }
        counts[kind, default: 0] += 1
        let number = counts[kind] ?? 1
        labels[source] = number == 1 ? kind.name : "\(kind.name) \(number)"
    }

    /// The timeline's name for StraceSteps' role `pid N`: `server`, `server child 4711`,
    /// `server thread 2`, `client 2`…; `pid N` itself while the program's role is unknown.
    public func label(_ role: String) -> String {
        guard let pid = Self.pid(role), let source = sourceOf[pid], let label = labels[source] else { return role }
        if pid == program[source] { return label }
        if let index = threads[pid] { return Worker.thread(index: index).label(under: label) }
        return Worker.child(pid: pid).label(under: label)
    }

    /// Whether `pid` is a traced program's own process (the first its strace traced).
    public func isProgram(_ pid: Int32) -> Bool {
        sourceOf[pid].flatMap { program[$0] } == pid
    }

    /// `pid 1234` → 1234.
    static func pid(_ role: String) -> Int32? {
        role.hasPrefix("pid ") ? Int32(role.dropFirst(4)) : nil
    }
}

/// A process or thread a role started to serve a connection, which reports on the role's pipe
/// under a timeline label of its own: `server child 4711` (a forked child, by its pid, as `ps`
/// shows it), `server thread 2` (a thread, by the order the role started it, 1 for the first).
public enum Worker: Sendable, Equatable {
    case child(pid: Int32)
    case thread(index: Int)

    /// The worker a report names, if it names one (`RoleReport.pid`, `RoleReport.thread`).
    init?(_ report: RoleReport) {
        if let pid = report.pid {
            self = .child(pid: pid)
        } else if let index = report.thread {
            self = .thread(index: index)
        } else {
            return nil
        }
    }

    /// The worker's label under role `label`: `server child 4711`, `server thread 2`.
    public func label(under label: String) -> String {
        switch self {
        case .child(let pid): "\(label) child \(pid)"
        case .thread(let index): "\(label) thread \(index)"
        }
    }
}

/// When `tcplab watch` records a table: it has no story of its own, so it records one each time
/// the port's sockets or the program's processes changed (`--json`'s `"at"`).
public enum WatchMoment: String, ScenarioMoment {
    case socketsChanged = "sockets-changed"
    case processesChanged = "processes-changed"

    public var text: String {
        switch self {
        case .socketsChanged: "sockets changed"
        case .processesChanged: "processes changed"
        }
    }
}

/// Moments a check records at besides the scenario's own (whose claims it reuses).
enum CheckMoment: String, ScenarioMoment {
    /// zombie: every lab client connected, before any sends: the fork server's children.
    case whileClientsConnected = "while-clients-connected"
    /// io-models: once the student's server has closed (its FIN or RST seen, or the wait is over).
    case afterServerClosed = "after-server-closed"

    var text: String {
        switch self {
        case .whileClientsConnected: "while every client is connected"
        case .afterServerClosed: "after the server closed"
        }
    }
}

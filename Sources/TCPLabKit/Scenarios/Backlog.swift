import Foundation

/// backlog: a server that listens with a small backlog and never calls accept(), and more
/// clients than its accept queue holds.
///
/// The kernel completes handshakes on its own and parks the connections in the listener's
/// accept queue (its Recv-Q in /proc/net/tcp). Once the queue is full it drops further SYNs
/// without an answer, so those clients stay in SYN_SENT and retransmit their SYN after the
/// initial retransmission timeout (1 s); the next intervals follow the kernel's backoff rule
/// (`SynBackoffRule`: linear at first on kernels with net.ipv4.tcp_syn_linear_timeouts, then
/// doubling). How many complete is read from the capture and compared with Linux's rule
/// (backlog + 1), not assumed.
public struct Backlog: Scenario {
    public static let name = "backlog"
    public static let summary = "a server that never accepts, listen(backlog 2) and 5 clients: a full accept queue, dropped SYNs, SYN retransmissions"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case `default` = "default"
        case patient = "patient"

        public var summary: String {
            switch self {
            case .default: "5 clients connect at once; the lab waits for each waiting client's first SYN retransmission (~1 s)"
            case .patient: "the same, waiting for the second retransmission too (~2 s): 1 s again, or doubled? (net.ipv4.tcp_syn_linear_timeouts)"
            }
        }
    }

    public let variant: Variant
    /// The backlog passed to listen().
    let backlog = 2
    /// More clients than the queue holds.
    var clients: Int { backlog + 3 }
    /// How many SYNs each waiting client must have sent before the lab stops waiting.
    var synsAwaited: Int { variant == .patient ? 3 : 2 }
    /// How long the lab lets the clients' notes catch up with the capture.
    static let segmentWindow = 1.0

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        "a server that listens with backlog \(backlog) and never calls accept(); \(clients) clients connect at once, non-blocking"
    }

    /// The moments at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case afterConnects = "after-connects"
        case afterFirstRetransmissions = "after-first-syn-retransmissions"
        case afterSecondRetransmissions = "after-second-syn-retransmissions"

        var text: String {
            switch self {
            case .afterConnects: "after the connects"
            case .afterFirstRetransmissions: "after the first SYN retransmissions"
            case .afterSecondRetransmissions: "after the second SYN retransmissions"
            }
        }
    }

    /// The lab's last look, which the claims about the queue and SYN_SENT judge.
    var lastLook: Moment { synsAwaited > 2 ? .afterSecondRetransmissions : .afterFirstRetransmissions }

    /// Listen, connect every client, record the socket table; then watch the capture until every
    /// client has either completed its handshake or retransmitted its SYN (patient: twice), for a
    /// bounded time, and record the table again whatever it holds. It waits only for calls to
    /// return and bounded windows of the capture: how many completed, what the others got and
    /// when they retransmitted are for the claims to judge.
    public func run(_ lab: LabRun) throws(LabError) {
        let rule = SynBackoffRule.read()
        lab.log.note(rule.note)
        lab.log.record { $0.synBackoff = rule }
        let server = try lab.startServer(.idleServer(backlog: Int32(backlog)))
        let port = lab.server.port
        let role = try lab.spawn("clients", .synClients(count: clients))
        let count = clients
        let connects = try lab.log.wait(for: "the clients' \(count) non-blocking connect() calls to return", timeout: lab.options.timeout) {
            observation -> [RoleStep]? in
            let calls = observation.steps(of: "clients").filter { $0.call == "connect" && $0.isSettled }
            return calls.count == count ? calls : nil
        }
        let ports = connects.compactMap { $0.local.flatMap(BacklogFacts.port(of:)) }
        guard ports.count == count else { throw LabError.role("clients: some connect() calls reported no local port") }
        lab.say("server \(lab.server.description) (pid \(server.pid))   \(count) clients in one process (pid \(role.pid)), "
            + "ports \(ports.map(String.init).joined(separator: ", "))   net: \(lab.isolation.description)")
        lab.say("")

        // The role notes each connect() that completes: up to a second for those notes to catch up
        // with the handshakes the capture shows completed, and for every client's first SYN.
        try lab.awaitObservation("the clients to notice their completed handshakes", within: Self.segmentWindow) { observation -> Bool? in
            let facts = BacklogFacts(observation, serverPort: port, clientPorts: ports)
            let noted = observation.steps(of: "clients").filter { $0.call == "connected" }.count
            return noted == facts.completed.count && facts.clientPorts.allSatisfy { !facts.syns(from: $0).isEmpty }
                ? true : nil
        }
        let labels = Self.labels(port: port, clientPorts: ports)
        lab.recordSockets(Moment.afterConnects, labels: labels)
        lab.flush()

        let awaited = synsAwaited
        lab.pause("every client without a SYN-ACK sends its SYN again" + (awaited > 2 ? ", \(awaited - 1) times" : "") + " (the kernel's retransmission timer)")
        try lab.awaitObservation(
            "each client to complete its handshake or to retransmit its SYN" + (awaited > 2 ? " twice" : ""),
            within: lab.options.timeout + Double(awaited - 2) * 2
        ) { observation -> Bool? in
            let facts = BacklogFacts(observation, serverPort: port, clientPorts: ports)
            return ports.allSatisfy { facts.handshakeAck($0) != nil || facts.syns(from: $0).count >= awaited } ? true : nil
        }
        let last = lab.recordSockets(lastLook, labels: labels)
        lab.flush()
        lab.say("")
        lab.say("   the socket table at that moment (ss -tanp style, from /proc/net/tcp):")
        for line in last.table.rendered().split(separator: "\n") { lab.say("      \(line)") }
        if let listener = last.table.entries.first(where: { $0.localPort == port && $0.state == .listen }) {
            lab.say("   LISTEN Recv-Q \(listener.receiveQueue) is the accept queue: connections whose handshake is done and that "
                + "no accept() has taken yet (their server-side rows have no process).")
            lab.say("   LISTEN Send-Q \(listener.sendQueue): /proc/net/tcp has no column for the backlog (\(backlog)); "
                + "only netlink reports it (`ss -lnt` shows it as Send-Q).")
        }
    }

    static func labels(port: UInt16, clientPorts: [UInt16]) -> (SocketEntry) -> String {
        { entry in
            if entry.localPort == port {
                if entry.state == .listen { return "server" }
                return clientPorts.firstIndex(of: entry.remotePort).map { "server (\($0 + 1))" } ?? "server"
            }
            return clientPorts.firstIndex(of: entry.localPort).map { "client \($0 + 1)" } ?? "client"
        }
    }
}

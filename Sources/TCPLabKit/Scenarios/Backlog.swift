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

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        "a server that listens with backlog \(backlog) and never calls accept(); \(clients) clients connect at once, non-blocking"
    }

    /// Listen, connect every client, record the socket table; then wait until every client has
    /// either completed its handshake or retransmitted its SYN (patient: twice), and record it again.
    public func run(_ lab: LabRun) throws(LabError) {
        lab.log.note(SynBackoffRule.read().note)
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

        // The role notes each connect() that completes; wait for those the capture shows completed.
        try lab.log.wait(for: "the clients to notice their completed handshakes", timeout: lab.options.timeout) { observation -> Bool? in
            let facts = BacklogFacts(observation, serverPort: port, clientPorts: ports)
            let noted = observation.steps(of: "clients").filter { $0.call == "connected" }.count
            return noted == facts.completed.count && facts.clientPorts.allSatisfy { !facts.syns(from: $0).isEmpty }
                ? true : nil
        }
        let labels = Self.labels(port: port, clientPorts: ports)
        try lab.waitForSockets("after the connects", until: "every client socket ESTABLISHED or SYN_SENT", labels: labels) { table in
            table.entries.contains { $0.localPort == port && $0.state == .listen }
                && ports.allSatisfy { client in
                    table.entries.contains { $0.localPort == client && ($0.state == .established || $0.state == .synSent) }
                }
        }
        lab.flush()

        let awaited = synsAwaited
        lab.pause("wait for every client without a SYN-ACK to send its SYN \(awaited - 1) more time(s)")
        try lab.log.wait(
            for: "each client to complete its handshake or to retransmit its SYN" + (awaited > 2 ? " twice" : ""),
            timeout: lab.options.timeout + Double(awaited - 2) * 2
        ) { observation -> Bool? in
            let facts = BacklogFacts(observation, serverPort: port, clientPorts: ports)
            return ports.allSatisfy { facts.handshakeAck($0) != nil || facts.syns(from: $0).count >= awaited } ? true : nil
        }
        let moment = awaited > 2 ? "after the second SYN retransmissions" : "after the first SYN retransmissions"
        let last = try lab.waitForSockets(moment, until: "every client socket ESTABLISHED or SYN_SENT", labels: labels) { table in
            ports.allSatisfy { client in
                table.entries.contains { $0.localPort == client && ($0.state == .established || $0.state == .synSent) }
            }
        }
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

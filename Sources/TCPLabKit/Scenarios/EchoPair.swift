/// The echo server and the command client of the close stories, connected, with the endpoints
/// the claims need.
public struct EchoPair {
    public let server: RoleProcess
    public let client: RoleProcess
    /// The client's endpoint, `127.0.0.1:41484`: the other end of the server's connection.
    public let clientEndpoint: String
}

extension LabRun {
    /// Starts `echo-server`, has it accept, starts `command-client`, waits for the handshake and
    /// prints the run's header line.
    public func startEchoPair() throws(LabError) -> EchoPair {
        let server = try startServer(.echoServer)
        server.send("accept")
        let client = try spawn("client", .commandClient)
        let connected = try waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure {
            throw LabError.role("client: connect \(self.server.description) failed: \(error)")
        }
        try waitForStep("server", "to accept the client") { $0.call == "accept" }
        let port = self.server.port
        let endpoint = connected.local ?? "?"
        say("server \(self.server.description) (pid \(server.pid))   client \(endpoint) (pid \(client.pid))   net: \(isolation.description)")
        say("")
        try waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        flush()
        return EchoPair(server: server, client: client, clientEndpoint: endpoint)
    }

    /// Sends one command line to a role and waits until the call it makes (`call`) has returned,
    /// or the role noted that it skipped it (`--doctor`, `RoleMisbehaviour`). For calls that do
    /// not block on the peer; `command(_:_:call:within:)` bounds the others.
    @discardableResult
    public func command(_ role: RoleProcess, _ line: String, call: String) throws(LabError) -> RoleStep {
        let before = log.snapshot.steps(of: role.label).count
        role.send(line)
        return try waitForStep(role.label, "to return from \(call)()", after: before) { $0.standsFor(call) }
    }

    /// Watches the capture at most `seconds` for a FIN from the port's `fromServer` side (after
    /// segment number `after`), then as long again for the peer's ACK of it. A bounded window, never
    /// a condition: what came (or did not) is for the claims to judge.
    @discardableResult
    public func awaitFinAndAck(
        fromServer: Bool, _ who: String, after number: Int = 0, within seconds: Double = FinExchange.window
    ) -> FinExchange {
        let port = server.port
        guard let fin = awaitSegment("\(who)'s FIN", within: seconds, after: number, {
            ($0.sourcePort == port) == fromServer && $0.flags.contains(.fin)
        }) else { return FinExchange(fin: nil, ack: nil) }
        let ack = awaitSegment("the ACK of \(who)'s FIN", within: seconds, after: fin.number) {
            ($0.destinationPort == port) == fromServer && $0.flags.contains(.ack)
                && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
        }
        return FinExchange(fin: fin, ack: ack)
    }

    /// Labels socket rows on the server's port `server` and every other row `client`.
    public var sideLabels: (SocketEntry) -> String {
        let port = server.port
        return { $0.localPort == port ? "server" : "client" }
    }
}

/// A side's FIN and the peer's ACK of it, each nil when the capture did not show it in the window.
public struct FinExchange: Sendable {
    /// How long the lab watches the capture for each of the two segments.
    public static let window = 1.0

    public let fin: CapturedSegment?
    public let ack: CapturedSegment?

    /// The number of the last of the two segments seen (0 when neither), to look for what follows.
    public var lastNumber: Int { ack?.number ?? fin?.number ?? 0 }
}

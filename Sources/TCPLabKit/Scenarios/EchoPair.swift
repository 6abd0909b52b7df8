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

    /// Sends one command line to a role and waits until the call it makes (`call`) has returned.
    @discardableResult
    public func command(_ role: RoleProcess, _ line: String, call: String) throws(LabError) -> RoleStep {
        let before = log.snapshot.steps(of: role.label).count
        role.send(line)
        return try waitForStep(role.label, "to do \(line)", after: before) { $0.call == call }
    }

    /// Waits for a FIN from the port's `fromServer` side, then for the peer's ACK of it; returns both.
    @discardableResult
    public func waitForFinAndAck(
        fromServer: Bool, _ who: String, after number: Int = 0
    ) throws(LabError) -> (fin: CapturedSegment, ack: CapturedSegment) {
        let port = server.port
        let fin = try waitForSegment("\(who)'s FIN", after: number) {
            ($0.sourcePort == port) == fromServer && $0.flags.contains(.fin)
        }
        let ack = try waitForSegment("the ACK of \(who)'s FIN", after: fin.number) {
            ($0.destinationPort == port) == fromServer && $0.flags.contains(.ack)
                && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
        }
        return (fin, ack)
    }

    /// Labels socket rows on the server's port `server` and every other row `client`.
    public var sideLabels: (SocketEntry) -> String {
        let port = server.port
        return { $0.localPort == port ? "server" : "client" }
    }
}

extension SocketTable {
    /// The server's side of the connection to `client` (not the listener).
    func serverSide(port: UInt16, client: String) -> SocketEntry? {
        entries.first { $0.localPort == port && $0.remote == client }
    }

    /// The client's side of its connection to the server.
    func clientSide(_ client: String) -> SocketEntry? {
        entries.first { $0.local == client }
    }
}

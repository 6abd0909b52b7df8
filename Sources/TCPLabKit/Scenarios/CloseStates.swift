import Glibc

/// close-states: an echo server and a client close their connection in each of the ways TCP
/// allows, and the socket table shows every state the closing sides pass through.
///
/// The side that closes first goes FIN_WAIT1 -> FIN_WAIT2 -> TIME_WAIT; the other side reads
/// EOF, sits in CLOSE_WAIT until it closes too, passes LAST_ACK and is gone. Both at once: both
/// pass CLOSING and both end in TIME_WAIT. shutdown(SHUT_WR) closes one direction only. A
/// listening socket has no peer, so closing it sends nothing and leaves nothing behind.
public struct CloseStates: Scenario {
    public static let name = "close-states"
    public static let summary = "an echo server and a client close in turn, at once, halfway, or a listener closes: FIN_WAIT2, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSING"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case serverFirst = "server-first"
        case clientFirst = "client-first"
        case simultaneous = "simultaneous"
        case halfClose = "half-close"
        case listener = "listener"

        public var summary: String {
            switch self {
            case .serverFirst: "the server is stopped (SIGINT, as Ctrl-C) while the client idles: server FIN_WAIT2, client CLOSE_WAIT, then LAST_ACK and TIME_WAIT"
            case .clientFirst: "the client closes first: it ends in TIME_WAIT; the server reads EOF, closes, passes LAST_ACK and is gone"
            case .simultaneous: "both close before seeing the other's FIN (delay added on lo): both pass CLOSING and end in TIME_WAIT"
            case .halfClose: "the client calls shutdown(SHUT_WR) after its request; the server still answers after the client's FIN"
            case .listener: "a LISTEN socket is closed: it vanishes from the table, no FIN, no TIME_WAIT"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        switch variant {
        case .clientFirst: return "an echo server and a client; the client closes first"
        case .simultaneous: return "an echo server and a client; both close at the same moment, with delay on lo"
        case .halfClose: return "a client sends its request and shuts down its sending side; the server answers after the client's FIN"
        case .listener: return "a server listens, then closes its listening socket"
        default: return "an echo server and a client; the server is stopped first while the client idles"
        }
    }

    /// The moments the claims look up snapshots by.
    enum Moment {
        static let firstClosed = "after the first side closed"
        static let secondClosed = "after the second side closed"
        static let bothClosed = "right after both close() calls"
        static let finsArrived = "when both FINs have arrived"
        static let bothTimeWait = "at the end"
        static let listening = "while the server listens"
        static let listenerClosed = "after close() of the listening socket"
    }

    public func run(_ lab: LabRun) throws(LabError) {
        if variant == .listener { return try runListener(lab) }
        // Before any traffic: a machine that cannot add delay stops the run here, as a lab error.
        let delay = variant == .simultaneous ? try NetemDelay.probe(isolation: lab.isolation) : nil
        let pair = try lab.startEchoPair()
        if variant == .halfClose { return try runHalfClose(lab, pair) }
        lab.pause("the client sends \"hello\" and the server echoes it")
        try lab.command(pair.client, "send hello", call: "send")
        try lab.command(pair.server, "echo", call: "send")
        try lab.command(pair.client, "recv", call: "recv")
        lab.flush()
        if let delay { return try runSimultaneous(lab, pair, delay) }
        if variant == .clientFirst { return try runClientFirst(lab, pair) }
        try runServerFirst(lab, pair)
    }

    private func runServerFirst(_ lab: LabRun, _ pair: EchoPair) throws(LabError) {
        let port = lab.server.port
        lab.pause("the server is stopped with SIGINT, as Ctrl-C would; the client does not read")
        lab.log.note("lab     stops the server with SIGINT (as Ctrl-C would); the kernel closes its sockets")
        pair.server.signalGroup(SIGINT)
        try lab.waitForEnd("server")
        let serverFin = try lab.waitForFinAndAck(fromServer: true, "the server")
        try lab.waitForSockets(Moment.firstClosed, until: "server FIN_WAIT2 and client CLOSE_WAIT", labels: lab.sideLabels) { table in
            table.serverSide(port: port, client: pair.clientEndpoint)?.state == .finWait2
                && table.clientSide(pair.clientEndpoint)?.state == .closeWait
        }
        lab.flush()
        lab.pause("the client closes its side")
        try lab.command(pair.client, "close", call: "close")
        let clientFin = try lab.waitForFinAndAck(fromServer: false, "the client", after: serverFin.ack.number)
        try lab.waitForSockets(Moment.secondClosed, until: "server TIME_WAIT and the client's side gone", labels: lab.sideLabels) { table in
            table.serverSide(port: port, client: pair.clientEndpoint)?.state == .timeWait
                && table.clientSide(pair.clientEndpoint) == nil
        }
        lab.flush()
        let microseconds = clientFin.ack.time - clientFin.fin.time
        lab.say("        note: the client was in LAST_ACK from its FIN #\(clientFin.fin.number) to the server's ACK #\(clientFin.ack.number), "
            + "\(microseconds) µs on loopback: too brief for /proc, so the table above is taken after that ACK")
        pair.client.send("exit")
        try lab.waitForEnd("client")
    }

    private func runClientFirst(_ lab: LabRun, _ pair: EchoPair) throws(LabError) {
        let port = lab.server.port
        lab.pause("the client closes first")
        try lab.command(pair.client, "close", call: "close")
        let clientFin = try lab.waitForFinAndAck(fromServer: false, "the client")
        try lab.waitForSockets(Moment.firstClosed, until: "client FIN_WAIT2 and server CLOSE_WAIT", labels: lab.sideLabels) { table in
            table.clientSide(pair.clientEndpoint)?.state == .finWait2
                && table.serverSide(port: port, client: pair.clientEndpoint)?.state == .closeWait
        }
        lab.flush()
        lab.pause("the server reads the EOF and closes its side")
        try lab.command(pair.server, "recv", call: "recv")
        try lab.command(pair.server, "close", call: "close")
        let serverFin = try lab.waitForFinAndAck(fromServer: true, "the server", after: clientFin.ack.number)
        try lab.waitForSockets(Moment.secondClosed, until: "client TIME_WAIT and the server's side gone", labels: lab.sideLabels) { table in
            table.clientSide(pair.clientEndpoint)?.state == .timeWait
                && table.serverSide(port: port, client: pair.clientEndpoint) == nil
        }
        lab.flush()
        let microseconds = serverFin.ack.time - serverFin.fin.time
        lab.say("        note: the server was in LAST_ACK from its FIN #\(serverFin.fin.number) to the client's ACK #\(serverFin.ack.number), "
            + "\(microseconds) µs on loopback: too brief for /proc")
        pair.server.send("exit")
        pair.client.send("exit")
        try lab.waitForEnd("server")
        try lab.waitForEnd("client")
    }

    private func runSimultaneous(_ lab: LabRun, _ pair: EchoPair, _ delay: NetemDelay) throws(LabError) {
        let port = lab.server.port
        try delay.add()
        lab.log.note("lab     " + delay.description)
        lab.pause("both sides close at once: two commands back to back")
        try delay.prime(ipv6: lab.options.ipv6)
        let before = lab.log.snapshot.segments.count
        pair.server.send("close")
        pair.client.send("close")
        try lab.waitForStep("server", "to close") { $0.call == "close" }
        try lab.waitForStep("client", "to close") { $0.call == "close" }
        try lab.waitForSockets(Moment.bothClosed, until: "both sides closed (FIN_WAIT1, CLOSING or TIME_WAIT)", labels: lab.sideLabels) {
            table in
            let closed: Set<TCPState> = [.finWait1, .closing, .timeWait]
            guard let server = table.serverSide(port: port, client: pair.clientEndpoint),
                  let client = table.clientSide(pair.clientEndpoint) else { return false }
            return closed.contains(server.state) && closed.contains(client.state)
        }
        try lab.waitForSockets(Moment.finsArrived, until: "neither side still in FIN_WAIT1", labels: lab.sideLabels) { table in
            guard let server = table.serverSide(port: port, client: pair.clientEndpoint),
                  let client = table.clientSide(pair.clientEndpoint) else { return false }
            return server.state != .finWait1 && client.state != .finWait1
        }
        try lab.waitForSockets(Moment.bothTimeWait, until: "both sides in TIME_WAIT", labels: lab.sideLabels) { table in
            table.serverSide(port: port, client: pair.clientEndpoint)?.state == .timeWait
                && table.clientSide(pair.clientEndpoint)?.state == .timeWait
        }
        try lab.waitForFinAndAck(fromServer: true, "the server", after: before)
        try lab.waitForFinAndAck(fromServer: false, "the client", after: before)
        lab.flush()
        pair.server.send("exit")
        pair.client.send("exit")
        try lab.waitForEnd("server")
        try lab.waitForEnd("client")
    }

    private func runHalfClose(_ lab: LabRun, _ pair: EchoPair) throws(LabError) {
        let port = lab.server.port
        lab.pause("the client sends its request and shuts down its sending side")
        try lab.command(pair.client, "send hello", call: "send")
        try lab.command(pair.client, "shutdown-write", call: "shutdown")
        let clientFin = try lab.waitForFinAndAck(fromServer: false, "the client")
        try lab.waitForSockets(Moment.firstClosed, until: "client FIN_WAIT2 and server CLOSE_WAIT", labels: lab.sideLabels) { table in
            table.clientSide(pair.clientEndpoint)?.state == .finWait2
                && table.serverSide(port: port, client: pair.clientEndpoint)?.state == .closeWait
        }
        lab.flush()
        lab.pause("the server reads the request, then the EOF, and still sends its answer")
        try lab.command(pair.server, "recv", call: "recv")
        try lab.command(pair.server, "recv", call: "recv")
        try lab.command(pair.server, "send hello", call: "send")
        try lab.waitForSegment("the server's answer", after: clientFin.ack.number) { $0.sourcePort == port && !$0.payload.isEmpty }
        try lab.command(pair.client, "recv", call: "recv")
        lab.flush()
        lab.pause("the server closes")
        try lab.command(pair.server, "close", call: "close")
        try lab.waitForFinAndAck(fromServer: true, "the server", after: clientFin.ack.number)
        try lab.waitForSockets(Moment.secondClosed, until: "client TIME_WAIT and the server's side gone", labels: lab.sideLabels) { table in
            table.clientSide(pair.clientEndpoint)?.state == .timeWait
                && table.serverSide(port: port, client: pair.clientEndpoint) == nil
        }
        lab.flush()
        pair.server.send("exit")
        pair.client.send("exit")
        try lab.waitForEnd("server")
        try lab.waitForEnd("client")
    }

    private func runListener(_ lab: LabRun) throws(LabError) {
        let server = try lab.startServer(.echoServer)
        let port = lab.server.port
        lab.say("server \(lab.server.description) (pid \(server.pid))   no client   net: \(lab.isolation.description)")
        lab.say("")
        try lab.waitForSockets(Moment.listening, until: "the LISTEN socket", labels: lab.sideLabels) { table in
            table.entries.contains { $0.localPort == port && $0.state == .listen }
        }
        lab.flush()
        lab.pause("the server closes its listening socket")
        try lab.command(server, "close-listener", call: "close")
        try lab.waitForSockets(Moment.listenerClosed, until: "nothing left on the port", labels: lab.sideLabels) { $0.entries.isEmpty }
        lab.flush()
        server.send("exit")
        try lab.waitForEnd("server")
        lab.flush()
    }
}

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

    public var story: String { variant.story }

    /// The moments at which the lab records the socket table, whatever the states are.
    enum Moment: String, ScenarioMoment {
        case firstClosed = "after-first-close"
        case secondClosed = "after-second-close"
        case bothClosed = "after-both-close-calls"
        case finsArrived = "fins-arrived"
        case end = "at-end"
        case listening = "while-listening"
        case listenerClosed = "after-listener-close"

        var text: String {
            switch self {
            case .firstClosed: "after the first side closed"
            case .secondClosed: "after the second side closed"
            case .bothClosed: "right after both close() calls"
            case .finsArrived: "when both FINs have arrived"
            case .end: "at the end"
            case .listening: "while the server listens"
            case .listenerClosed: "after close() of the listening socket"
            }
        }
    }

    /// Every variant waits only for calls to return, roles to end and bounded windows of the
    /// capture (a FIN and its ACK), then records the table at its moment: which states the kernel
    /// put the sides in is for the claims to judge.
    public func run(_ lab: LabRun) throws(LabError) {
        if variant == .listener { return try runListener(lab) }
        // Before any traffic: a machine that cannot add delay stops the run here, as a lab error.
        let delay = variant == .simultaneous ? try NetemDelay.probe(isolation: lab.isolation) : nil
        let pair = try lab.startEchoPair()
        if variant == .halfClose { return try runHalfClose(lab, pair) }
        lab.pause("the client sends \"hello\"")
        try lab.command(pair.client, "send hello", call: "send")
        lab.pause("the server reads \"hello\" and sends it back")
        try lab.command(pair.server, "echo", call: "send")
        lab.pause("the client reads the echo")
        // Returns with the echo, which the claims judge: bounded, so a server that never answers
        // (`--doctor server-never-answers`) ends in failed claims, not a timeout.
        try lab.command(pair.client, "recv", call: "recv", within: FinExchange.window)
        lab.flush()
        if let delay { return try runSimultaneous(lab, pair, delay) }
        if variant == .clientFirst { return try runClientFirst(lab, pair) }
        try runServerFirst(lab, pair)
    }

    private func runServerFirst(_ lab: LabRun, _ pair: EchoPair) throws(LabError) {
        lab.pause("the server is stopped with SIGINT, as Ctrl-C would; the client does not read")
        lab.log.note("lab     stops the server with SIGINT (as Ctrl-C would); the kernel closes its sockets")
        pair.server.signalGroup(SIGINT)
        try lab.waitForEnd("server")
        let serverFin = lab.awaitFinAndAck(fromServer: true, "the server")
        lab.recordSockets(Moment.firstClosed, labels: lab.sideLabels)
        lab.flush()
        lab.pause("the client closes its side")
        try lab.command(pair.client, "close", call: "close")
        let clientFin = lab.awaitFinAndAck(fromServer: false, "the client", after: serverFin.lastNumber)
        lab.recordSockets(Moment.secondClosed, labels: lab.sideLabels)
        lab.flush()
        Self.sayLastAck(lab, clientFin, who: "client", peer: "server", ", so the table above is taken after that ACK")
        pair.client.send("exit")
        try lab.waitForEnd("client")
    }

    private func runClientFirst(_ lab: LabRun, _ pair: EchoPair) throws(LabError) {
        lab.pause("the client closes first")
        try lab.command(pair.client, "close", call: "close")
        let clientFin = lab.awaitFinAndAck(fromServer: false, "the client")
        lab.recordSockets(Moment.firstClosed, labels: lab.sideLabels)
        lab.flush()
        lab.pause("the server reads the EOF and closes its side")
        try lab.command(pair.server, "recv", call: "recv")
        try lab.command(pair.server, "close", call: "close")
        let serverFin = lab.awaitFinAndAck(fromServer: true, "the server", after: clientFin.lastNumber)
        lab.recordSockets(Moment.secondClosed, labels: lab.sideLabels)
        lab.flush()
        Self.sayLastAck(lab, serverFin, who: "server", peer: "client", "")
        pair.server.send("exit")
        pair.client.send("exit")
        try lab.waitForEnd("server")
        try lab.waitForEnd("client")
    }

    /// The note on the second closer's LAST_ACK, which lasts too short a time for /proc; said only
    /// when the capture showed its FIN and the final ACK.
    private static func sayLastAck(_ lab: LabRun, _ exchange: FinExchange, who: String, peer: String, _ tail: String) {
        guard let fin = exchange.fin, let ack = exchange.ack else { return }
        lab.say("        note: the \(who) was in LAST_ACK from its FIN #\(fin.number) to the \(peer)'s ACK #\(ack.number), "
            + "\(ack.time - fin.time) µs on loopback: too brief for /proc\(tail)")
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
        // Each side's state moves with every delayed segment, so these two tables are read at once.
        lab.recordSockets(Moment.bothClosed, settling: .immediately, labels: lab.sideLabels)
        for fromServer in [true, false] {
            lab.awaitSegment("the \(fromServer ? "server" : "client")'s FIN", within: FinExchange.window, after: before) {
                ($0.sourcePort == port) == fromServer && $0.flags.contains(.fin)
            }
        }
        lab.recordSockets(Moment.finsArrived, settling: .immediately, labels: lab.sideLabels)
        lab.awaitFinAndAck(fromServer: true, "the server", after: before)
        lab.awaitFinAndAck(fromServer: false, "the client", after: before)
        lab.recordSockets(Moment.end, labels: lab.sideLabels)
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
        let clientFin = lab.awaitFinAndAck(fromServer: false, "the client")
        lab.recordSockets(Moment.firstClosed, labels: lab.sideLabels)
        lab.flush()
        lab.pause("the server reads the request, then the EOF, and still sends its answer")
        try lab.command(pair.server, "recv", call: "recv")
        try lab.command(pair.server, "recv", call: "recv")
        let answer = lab.log.snapshot.segments.count
        try lab.command(pair.server, "send hello", call: "send")
        let answered = lab.awaitSegment("the server's answer", within: FinExchange.window, after: answer) {
            $0.sourcePort == port && !$0.payload.isEmpty
        }
        // The client's recv() returns with the answer the claims judge: bounded (no answer seen,
        // no wait), so it may still be blocked when the server closes; its EOF then returns it.
        try lab.command(pair.client, "recv", call: "recv", within: answered == nil ? 0 : FinExchange.window)
        lab.flush()
        lab.pause("the server closes")
        try lab.command(pair.server, "close", call: "close")
        lab.awaitFinAndAck(fromServer: true, "the server", after: clientFin.lastNumber)
        lab.recordSockets(Moment.secondClosed, labels: lab.sideLabels)
        lab.flush()
        pair.server.send("exit")
        pair.client.send("exit")
        try lab.waitForEnd("server")
        try lab.waitForEnd("client")
    }

    /// The server listens (its role reports it), the table is recorded; it closes the listener
    /// (the call returns), the table is recorded again.
    private func runListener(_ lab: LabRun) throws(LabError) {
        let server = try lab.startServer(.echoServer)
        lab.say("server \(lab.server.description) (pid \(server.pid))   no client   net: \(lab.isolation.description)")
        lab.say("")
        lab.recordSockets(Moment.listening, labels: lab.sideLabels)
        lab.flush()
        lab.pause("the server closes its listening socket")
        try lab.command(server, "close-listener", call: "close")
        lab.recordSockets(Moment.listenerClosed, labels: lab.sideLabels)
        lab.flush()
        server.send("exit")
        try lab.waitForEnd("server")
        lab.flush()
    }
}

extension CloseStates.Variant {
    /// The line under the title that says what runs.
    var story: String {
        switch self {
        case .clientFirst: return "an echo server and a client; the client closes first"
        case .simultaneous: return "an echo server and a client; both close at the same moment, with delay on lo"
        case .halfClose: return "a client sends its request and shuts down its sending side; the server answers after the client's FIN"
        case .listener: return "a server listens, then closes its listening socket"
        default: return "an echo server and a client; the server is stopped first while the client idles"
        }
    }
}

/// keepalive: an idle connection whose peer may have vanished, and the kernel's keepalive probes.
///
/// The client sets SO_KEEPALIVE with TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s and TCP_KEEPCNT 3
/// (tcp(7)), connects and blocks in recv(); nothing is sent. After 1 s of silence its kernel
/// sends a probe: no data, seq = snd_nxt − 1, which the peer must answer with an ACK (RFC 9293
/// §3.8.4). In `peer-vanished` an nftables rule in the run's namespace drops everything to and
/// from the server: the probes go unanswered, one every second, and after the third the kernel
/// resets the connection and the blocked recv() fails with ETIMEDOUT, while the server's socket,
/// which heard nothing, stays ESTABLISHED. In `peer-alive` each probe is answered and the
/// connection stays. Everything is read from the capture, the roles' steps and /proc/net/tcp.
public struct Keepalive: Scenario {
    public static let name = "keepalive"
    public static let summary = "SO_KEEPALIVE with 1 s timers: probes to a vanished peer end in ETIMEDOUT, a live peer answers each"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case peerVanished = "peer-vanished"
        case peerAlive = "peer-alive"

        public var summary: String {
            switch self {
            case .peerVanished: "nft drops everything to and from the server: 3 unanswered probes, then recv() fails with ETIMEDOUT"
            case .peerAlive: "the server is there: each probe is answered (Keep-Alive ACK) and the connection stays"
            }
        }
    }

    /// The named points at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case probing = "after-second-probe"
        case afterTimeout = "after-recv-failed"
        case afterProbes = "after-third-probe"

        var text: String {
            switch self {
            case .probing: "after the second keep-alive probe"
            case .afterTimeout: "after the client's recv() failed"
            case .afterProbes: "after the third keep-alive probe"
            }
        }
    }

    public let variant: Variant
    /// 1 s idle, 1 s between probes, 3 probes: the whole story in about 4 s.
    static let timers = KeepaliveTimers(idleSeconds: 1, intervalSeconds: 1, count: 3)
    /// What the server sends at the end of `peer-alive`, to show the connection still works.
    static let reply = "still here"
    /// How long the lab watches for a segment or call at the end (the reply, a close).
    static let segmentWindow = 1.0

    public init(variant: Variant) { self.variant = variant }

    var vanished: Bool { variant == .peerVanished }

    public var story: String {
        "a client with SO_KEEPALIVE (idle \(Self.timers.idleSeconds) s, interval \(Self.timers.intervalSeconds) s, count \(Self.timers.count)) waits in recv() on an idle connection; "
            + (vanished ? "the server's host vanishes" : "the server stays")
    }

    /// The server's host vanishing: every segment to and from `port` dropped on input, for good
    /// (after the capture on lo has seen it: the probes show, nothing of them arrives). It is the
    /// effect of a pulled cable or a crashed host: no answer, not even an RST.
    static func vanishing(port: UInt16) -> NftRuleset {
        NftRuleset([
            .init([.destinationPort(port)], count: nil, why: "to the vanished server"),
            .init([.sourcePort(port)], count: nil, why: "from the vanished server"),
        ])
    }

    /// Starts the pair; in `peer-vanished` loads the nft drop; the client blocks in recv(); the
    /// lab watches the capture (bounded) for two probes and records the sockets; then for the
    /// recv() to fail (vanished) or a third probe (alive), records again; the alive server
    /// sends a line the client reads; the client closes.
    public func run(_ lab: LabRun) throws(LabError) {
        // Before any role starts: a run that cannot make the peer vanish stops with a usage error.
        if vanished { try NftRuleset.check(isolation: lab.isolation) }
        let server = try lab.startServer(.echoServer)
        let port = lab.server.port
        let client = try lab.spawn("client", .keepaliveClient(Self.timers))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.command(server, "accept", call: "accept", within: Self.segmentWindow)
        lab.flush()

        if vanished {
            lab.pause("the server's host vanishes: nft drops every segment to and from port \(port)")
            try lab.drop(Self.vanishing(port: port))
            lab.log.note("lab     nft: drops every segment to and from port \(port) on input (table inet \(NftRuleset.table)): the server's host vanished")
        }
        lab.pause("the client calls recv() and waits; nobody sends anything")
        client.send("recv")
        let interval = Double(Self.timers.intervalSeconds), idle = Double(Self.timers.idleSeconds)
        // Two probes are due after idle + interval (vanished) or 2 × idle (alive): a second of slack.
        try lab.awaitObservation("two keep-alive probes", within: idle + max(idle, interval) + 1) { observation -> Bool? in
            KeepaliveFacts(observation, serverPort: port).probes.count >= 2 ? true : nil
        }
        lab.recordSockets(Moment.probing, labels: Self.labels(port: port))
        lab.flush()

        if vanished {
            // The kernel gives up one interval after the last probe.
            let due = interval * Double(Self.timers.count - 1) + 1
            try lab.awaitStep("client", "to return from recv()", within: due) { $0.call == "recv" }
            lab.recordSockets(Moment.afterTimeout, labels: Self.labels(port: port))
            lab.flush()
        } else {
            try lab.awaitObservation("a third keep-alive probe and its answer", within: idle + 1) { observation -> Bool? in
                let facts = KeepaliveFacts(observation, serverPort: port)
                guard let third = facts.probes.dropFirst(2).first else { return nil }
                return facts.answer(to: third) != nil ? true : nil
            }
            lab.recordSockets(Moment.afterProbes, labels: Self.labels(port: port))
            lab.flush()
            lab.pause("the server sends \"\(Self.reply)\"")
            try lab.command(server, "send \(Self.reply)", call: "send", within: Self.segmentWindow)
            try lab.awaitStep("client", "to return from recv()", within: Self.segmentWindow) { $0.call == "recv" }
            lab.flush()
        }
        lab.pause("the client closes")
        try lab.command(client, "close", call: "close", within: Self.segmentWindow)
        // Their input ends: each role exits on its own.
        client.closeCommands()
        server.closeCommands()
        try lab.waitForEnd("client")
        try lab.waitForEnd("server")
        lab.flush()
    }

    static func labels(port: UInt16) -> (SocketEntry) -> String {
        { $0.localPort == port ? "server" : "client" }
    }
}

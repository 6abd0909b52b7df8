/// flow-control: a receiver that stops reading, and what TCP's receive window does about it.
///
/// The server sets a small SO_RCVBUF before listen() and reads nothing at first; the client
/// (small SO_SNDBUF) writes more than both buffers hold. As the server's receive buffer fills,
/// the window it advertises shrinks to 0 (RFC 9293 §3.8.6); the client's kernel stops sending,
/// its send buffer fills, and send() blocks (or, non-blocking, returns EAGAIN). While the window
/// is closed the client's kernel sends zero-window probes on its persist timer, backing off
/// (Linux: `tcp_probe_timer`, first after the RTO, ≥ 200 ms, then doubling). When the server
/// reads, its kernel sends a window update and the rest of the data flows. Everything is read
/// from the capture, the roles' steps and /proc/net/tcp.
public struct FlowControl: Scenario {
    public static let name = "flow-control"
    public static let summary = "a receiver that stops reading: the window shrinks to 0, send() blocks or returns EAGAIN, persist probes, the window update"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case blocking = "blocking"
        case nonblocking = "nonblocking"

        public var summary: String {
            switch self {
            case .blocking: "the client's one send() blocks while the window is closed"
            case .nonblocking: "the client's socket is O_NONBLOCK: send() returns EAGAIN, poll(POLLOUT) waits for room"
            }
        }
    }

    /// The named points at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case windowClosed = "window-closed"
        case afterRead = "after-server-read"

        var text: String {
            switch self {
            case .windowClosed: "while the window is closed (after two probes)"
            case .afterRead: "after the server's recv()"
            }
        }
    }

    public let variant: Variant
    /// SO_RCVBUF asked for on the server's listener (the kernel doubles it; the window offered is about half of that).
    static let receiveBuffer: Int32 = 4096
    /// SO_SNDBUF asked for on the client (the kernel doubles it).
    static let sendBuffer: Int32 = 4096
    /// What the client writes: more than the server's receive buffer and the client's send buffer hold together.
    static let bytes = 16384
    /// How long the lab watches the capture for the zero window, and for the server's read to complete.
    static let segmentWindow = 1.0
    /// How long it watches for two zero-window probes (due about 0.2 s and 0.6 s after the zero window).
    static let probeWindow = 1.5

    public init(variant: Variant) { self.variant = variant }

    var blocking: Bool { variant == .blocking }

    public var story: String {
        "the client writes \(Self.bytes) bytes to a server that does not read; "
            + (blocking ? "its send() blocks" : "its socket is non-blocking")
    }

    /// Starts the pair, lets the client write while the server reads nothing, watches (bounded)
    /// for the zero window and two probes, records the sockets; then the server reads everything,
    /// the lab waits (bounded) for its recv() and the client's last send() to return, records the
    /// sockets again, and both close.
    public func run(_ lab: LabRun) throws(LabError) {
        let server = try lab.startServer(.flowReceiver(receiveBuffer: Self.receiveBuffer, bytes: Self.bytes))
        let port = lab.server.port
        let client = try lab.spawn("client", .flowSender(sendBuffer: Self.sendBuffer, bytes: Self.bytes, blocking: blocking))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("the window column (win) is in bytes: the raw field × 2^wscale from the SYN and SYN-ACK")
        lab.say("")
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.waitForStep("server", "to accept the connection") { $0.call == "accept" }
        if !blocking { try lab.waitForStep("client", "to make its socket non-blocking") { $0.call == "fcntl" } }
        lab.flush()

        lab.pause("the client writes \(Self.bytes) bytes; the server reads nothing")
        client.send("send")
        let zero = lab.awaitSegment("the server's window to close", within: Self.segmentWindow) {
            $0.sourcePort == port && $0.window == 0 && !$0.flags.contains(.syn) && !$0.flags.contains(.rst)
        }
        if zero != nil {
            try lab.awaitObservation("two zero-window probes from the client", within: Self.probeWindow) { observation -> Bool? in
                FlowControlFacts(observation, serverPort: port).probesWhileClosed.count >= 2 ? true : nil
            }
        }
        lab.recordSockets(Moment.windowClosed, labels: Self.labels(port: port))
        lab.flush()

        lab.pause("the server reads: one recv(\(Self.bytes), MSG_WAITALL)")
        let before = lab.log.snapshot.steps(of: "server").count
        server.send("read")
        try lab.awaitStep("server", "to read all \(Self.bytes) bytes", within: Self.segmentWindow, after: before) { $0.call == "recv" }
        if blocking {
            try lab.awaitStep("client", "to return from send()", within: Self.segmentWindow) { $0.call == "send" }
        } else {
            try lab.awaitStep("client", "to hand over every byte", within: Self.segmentWindow) { $0.call == "sent" }
        }
        lab.recordSockets(Moment.afterRead, labels: Self.labels(port: port))
        lab.flush()

        lab.pause("the client closes")
        try lab.command(client, "close", call: "close", within: Self.segmentWindow)
        lab.pause("the server closes")
        try lab.command(server, "close", call: "close", within: Self.segmentWindow)
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

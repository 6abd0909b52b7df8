/// nagle: an interactive session — a client typing keystrokes, one send() per byte, to an echo
/// server — with Nagle's algorithm on (the default) and off (TCP_NODELAY).
///
/// Nagle's algorithm (RFC 896; Linux applies Minshall's refinement) lets a small segment leave
/// only when no earlier small segment is unacknowledged; bytes written meanwhile wait and leave
/// together. On loopback an ACK is back in ~20 µs, too fast to see anything, so the run first
/// slows its own namespace's `lo` with an HTB rate limit (netem is missing on this kernel) and
/// turns off tcp_autocorking there, which would otherwise also merge writes queued behind a
/// slow link, even with TCP_NODELAY. The counts are read from the capture, not assumed.
public struct Nagle: Scenario {
    public static let name = "nagle"
    public static let summary = "keystrokes as one-byte writes to an echo server over a slowed loopback: Nagle coalescing, TCP_NODELAY, delayed ACKs"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case nagle = "nagle"
        case nodelay = "nodelay"

        public var summary: String {
            switch self {
            case .nagle: "Nagle's algorithm on (the default): later keystrokes wait for the ACK and leave together"
            case .nodelay: "TCP_NODELAY: every one-byte write leaves at once in its own segment"
            }
        }
    }

    public let variant: Variant
    /// What the client types, one send() per byte. Fewer bytes than the initial congestion window
    /// (10 segments), so that with TCP_NODELAY the window never merges writes either.
    static let keystrokes = "hello tcp"
    /// Slow enough that a segment takes milliseconds to leave (~5 ms for 66 bytes).
    static let shaper = LinkShaper(interface: "lo", kilobitsPerSecond: 100)
    /// How long the lab watches the capture for the last echo segment and the client's ACK of it.
    static let segmentWindow = 1.0

    /// Waits for the echo server at `port` to have sent `count` bytes back (within `seconds`; a
    /// client that sent less is for the claims), then (bounded by `segmentWindow`) for `client`'s
    /// ACK of the whole echo, which may wait for the delayed-ACK timer.
    static func awaitEcho(of count: Int, server port: UInt16, client: String, in lab: LabRun, within seconds: Double) throws(LabError) {
        let echoEnd = try lab.awaitObservation("all \(count) echoed bytes in the capture", within: seconds) { observation -> UInt32? in
            let facts = NagleFacts(observation, serverPort: port)
            return facts.serverData.map(\.segment.ipPayloadLength).reduce(0, +) >= count ? facts.serverDataEnd : nil
        }
        if let echoEnd {
            lab.awaitSegment("\(client)'s ACK of the whole echo", within: segmentWindow) {
                $0.destinationPort == port && $0.flags.contains(.ack) && !SegmentAnalysis.isAfter(echoEnd, $0.acknowledgmentNumber)
            }
        }
    }

    public init(variant: Variant) { self.variant = variant }

    var noDelay: Bool { variant == .nodelay }

    public var story: String {
        "a client types \"\(Self.keystrokes)\" to an echo server, one send() per keystroke, "
            + (noDelay ? "with TCP_NODELAY" : "with Nagle's algorithm on (the default)")
    }

    /// Slow the link, start the echo pair, type the keystrokes in one burst, and wait for the
    /// echo to come back and (a bounded window) for the client's ACK of it (a delayed ACK, if the
    /// kernel delays it); then the client closes, and the lab watches for its FIN and the
    /// server's ACK of it.
    public func run(_ lab: LabRun) throws(LabError) {
        try Self.shaper.apply(isolation: lab.isolation)
        try NamespaceSysctl.set("ipv4/tcp_autocorking", "0", isolation: lab.isolation)
        let server = try lab.startServer(.instantEchoServer)
        let port = lab.server.port
        let client = try lab.spawn("client", .keystrokeClient(noDelay: noDelay))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("link: \(Self.shaper.description) (netem is not available on this kernel)")
        lab.say("      net.ipv4.tcp_autocorking = 0 in this namespace, so that only Nagle's algorithm holds small writes back")
        lab.say("")
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.waitForStep("server", "to accept the connection") { $0.call == "accept" }
        lab.flush()

        let text = Self.keystrokes
        lab.pause("the client types \"\(text)\": \(text.utf8.count) send() calls of one byte, back to back")
        client.send("type \(text)")
        try lab.waitForStep("client", "to get all \(text.utf8.count) bytes echoed") { $0.call == "echoed" }
        // The role may report before the capture thread has delivered the last echo segment; the
        // client's ACK of it may wait for the delayed-ACK timer. A bounded window for each.
        try Self.awaitEcho(of: text.utf8.count, server: port, client: "the client", in: lab, within: Self.segmentWindow)
        lab.flush()
        let done = NagleFacts(lab.log.snapshot, serverPort: port)
        lab.say("")
        lab.say("   \(done.writes.count) one-byte send()s -> \(done.clientDataLine(from: "the client"))")
        lab.say("")

        // The teardown is recorded too, so that the claims can be seen not to count the server's
        // ACK of the client's FIN among the keystroke ACKs.
        lab.pause("the client closes its socket; the echo server closes when it reads the EOF")
        let before = lab.log.snapshot.segments.count
        client.closeCommands()
        try lab.waitForEnd("client")
        if let fin = lab.awaitSegment("the client's FIN", within: Self.segmentWindow, after: before, {
            $0.destinationPort == port && $0.flags.contains(.fin)
        }) {
            lab.awaitSegment("the server's ACK of the client's FIN", within: Self.segmentWindow, after: fin.number) {
                $0.sourcePort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
        lab.flush()
    }
}

/// unread-close: an abortive close. The server closes with bytes it never read still in its
/// receive buffer, or with SO_LINGER {on, 0}; either way the kernel sends an RST, not a FIN.
///
/// RFC 2525 §2.17 and Linux's tcp_close(): closing with unread data would silently lose it, so
/// the kernel resets the connection to tell the peer; SO_LINGER 0 asks for that reset on purpose.
/// The peer's next recv() fails with ECONNRESET, and neither side keeps a TIME_WAIT.
public struct UnreadClose: Scenario {
    public static let name = "unread-close"
    public static let summary = "the server closes with unread bytes, or with SO_LINGER 0: RST instead of FIN, the client's recv() fails with ECONNRESET"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case unread = "unread"
        case lingerZero = "linger-zero"

        public var summary: String {
            switch self {
            case .unread: "the client's bytes sit unread in the server's receive buffer when it closes: RST, ECONNRESET"
            case .lingerZero: "the server reads everything, sets SO_LINGER {on, 0} and closes: abortive close, RST, no TIME_WAIT"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        variant == .lingerZero
            ? "an echo server answers, sets SO_LINGER {on, 0} and closes; the client reads again"
            : "a client sends bytes the server never reads; the server closes; the client reads again"
    }

    /// The moments at which the lab records the socket table, whatever it holds.
    enum Moment: String, ScenarioMoment {
        case beforeClose = "before-server-close"
        case afterClose = "after-server-close"

        var text: String {
            switch self {
            case .beforeClose: "before the server's close()"
            case .afterClose: "after the server's close()"
            }
        }
    }

    /// How long the lab watches the capture for a segment a claim is about (the client's data,
    /// the server kernel's RST) before it records the sockets anyway.
    static let segmentWindow = 1.0

    /// It waits only for calls to return and bounded windows of the capture (the client's bytes
    /// reaching the server, whatever the server's close() sends), then records the table: what
    /// the queues and states are is for the claims to judge.
    public func run(_ lab: LabRun) throws(LabError) {
        let pair = try lab.startEchoPair()
        let port = lab.server.port
        let labels = lab.sideLabels
        if variant == .lingerZero {
            lab.pause("the client sends \"hello\", the server echoes it, the client reads it")
            try lab.command(pair.client, "send hello", call: "send")
            try lab.command(pair.server, "echo", call: "send")
            // Returns with the echo: bounded, like every wait on what the peer sends.
            try lab.command(pair.client, "recv", call: "recv", within: Self.segmentWindow)
            lab.recordSockets(Moment.beforeClose, labels: labels)
            lab.flush()
            lab.pause("the server sets SO_LINGER {on, 0} and closes")
            try lab.command(pair.server, "linger-zero", call: "setsockopt")
        } else {
            lab.pause("the client sends \"hello\"; the server does not read it")
            let sent = lab.log.snapshot.segments.count
            try lab.command(pair.client, "send hello", call: "send")
            lab.awaitSegment("the client's 5 bytes", within: Self.segmentWindow, after: sent) {
                $0.destinationPort == port && !$0.payload.isEmpty
            }
            lab.recordSockets(Moment.beforeClose, labels: labels)
            lab.flush()
            lab.pause("the server closes without reading")
        }
        let before = lab.log.snapshot.segments.count
        try lab.command(pair.server, "close", call: "close")
        lab.awaitSegment("the server kernel's answer to close()", within: Self.segmentWindow, after: before) {
            $0.sourcePort == port && ($0.flags.contains(.rst) || $0.flags.contains(.fin))
        }
        lab.recordSockets(Moment.afterClose, labels: labels)
        lab.flush()
        lab.pause("the client reads again")
        // Returns with the RST or the EOF the claims judge: bounded; a client still blocked ends
        // when the server exits below.
        try lab.command(pair.client, "recv", call: "recv", within: Self.segmentWindow)
        lab.flush()
        pair.client.send("exit")
        pair.server.send("exit")
        try lab.waitForEnd("client")
        try lab.waitForEnd("server")
    }
}

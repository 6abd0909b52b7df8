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

    enum Moment {
        static let beforeClose = "before the server's close()"
        static let afterReset = "after the RST"
    }

    public func run(_ lab: LabRun) throws(LabError) {
        let pair = try lab.startEchoPair()
        let port = lab.server.port
        let labels = lab.sideLabels
        if variant == .lingerZero {
            lab.pause("the client sends \"hello\", the server echoes it, the client reads it")
            try lab.command(pair.client, "send hello", call: "send")
            try lab.command(pair.server, "echo", call: "send")
            try lab.command(pair.client, "recv", call: "recv")
            try lab.waitForSockets(Moment.beforeClose, until: "nothing unread on either side", labels: labels) { table in
                guard let server = table.serverSide(port: port, client: pair.clientEndpoint),
                      let client = table.clientSide(pair.clientEndpoint) else { return false }
                return server.receiveQueue == 0 && client.receiveQueue == 0 && server.sendQueue == 0 && client.sendQueue == 0
            }
            lab.flush()
            lab.pause("the server sets SO_LINGER {on, 0} and closes")
            try lab.command(pair.server, "linger-zero", call: "setsockopt")
        } else {
            lab.pause("the client sends \"hello\"; the server does not read it")
            try lab.command(pair.client, "send hello", call: "send")
            try lab.waitForSockets(Moment.beforeClose, until: "the 5 bytes unread in the server's receive buffer", labels: labels) { table in
                table.serverSide(port: port, client: pair.clientEndpoint)?.receiveQueue == 5
            }
            lab.flush()
            lab.pause("the server closes without reading")
        }
        let before = lab.log.snapshot.segments.count
        try lab.command(pair.server, "close", call: "close")
        try lab.waitForSegment("the server kernel's RST", after: before) { $0.sourcePort == port && $0.flags.contains(.rst) }
        try lab.waitForSockets(Moment.afterReset, until: "the connection gone from both sides", labels: labels) { table in
            table.serverSide(port: port, client: pair.clientEndpoint) == nil && table.clientSide(pair.clientEndpoint) == nil
        }
        lab.flush()
        lab.pause("the client reads again")
        try lab.command(pair.client, "recv", call: "recv")
        lab.flush()
        pair.client.send("exit")
        pair.server.send("exit")
        try lab.waitForEnd("client")
        try lab.waitForEnd("server")
    }
}

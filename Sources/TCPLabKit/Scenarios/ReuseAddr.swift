/// reuseaddr: a server closes a connection actively, exits, and is restarted on the same port at once.
///
/// The old server's side of the connection is in TIME_WAIT, which keeps the port taken after the
/// process is gone. Whether the new server's bind() succeeds depends on SO_REUSEADDR on both the
/// new socket and the socket the TIME_WAIT entry came from; the four variants try every
/// combination and the claims compare the kernel's answer with `ReuseAddrRule`.
public struct ReuseAddr: Scenario {
    public static let name = "reuseaddr"
    public static let summary = "a server closes actively, exits and restarts on the same port: does TIME_WAIT block the bind? SO_REUSEADDR on old × new"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case both = "both"
        case oldOnly = "old-only"
        case newOnly = "new-only"
        case neither = "neither"

        public var summary: String {
            switch self {
            case .both: "old and new server set SO_REUSEADDR"
            case .oldOnly: "only the old server set SO_REUSEADDR"
            case .newOnly: "only the new server sets SO_REUSEADDR"
            case .neither: "neither server sets SO_REUSEADDR"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    /// Whether the old server sets SO_REUSEADDR in this variant.
    var oldReuses: Bool { variant == .both || variant == .oldOnly }
    /// Whether the new server sets SO_REUSEADDR in this variant.
    var newReuses: Bool { variant == .both || variant == .newOnly }

    public var story: String {
        "a server closes a connection actively and exits; a new one binds the same port at once "
            + "(old \(Self.with(oldReuses)), new \(Self.with(newReuses)))"
    }

    static func with(_ reuse: Bool) -> String { reuse ? "with SO_REUSEADDR" : "without SO_REUSEADDR" }

    /// The moments at which the lab records the socket table, whatever it holds.
    enum Moment: String, ScenarioMoment {
        case bothClosed = "after-both-closed"
        case oldExited = "after-old-server-exit"
        case afterBind = "after-new-bind"

        var text: String {
            switch self {
            case .bothClosed: "after both closed"
            case .oldExited: "after the old server exited"
            case .afterBind: "after the new server's bind()"
            }
        }
    }

    /// Old server: accept, close first; client closes after; the table; old server exits; the
    /// table; new server binds at once; its bind() result and the table, whatever they are. It
    /// waits only for calls to return, roles to end and bounded windows of the capture.
    public func run(_ lab: LabRun) throws(LabError) {
        // With --step the old server is held before its close(), so that close gets a pause.
        let old = try lab.startServer(.reuseServer(reuseAddress: oldReuses, closeOneConnection: true), label: "old server", heldInSteps: true)
        let port = lab.server.port
        let client = try lab.spawn("client", .lineClient(behaviour: .plain))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure { throw LabError.role("client: connect \(lab.server.description) failed: \(error)") }
        let clientEndpoint = connected.local ?? "?"
        lab.say("old server \(lab.server.description) (pid \(old.pid))   client \(clientEndpoint) (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        try lab.waitForStep("old server", "to accept the client") { $0.call == "accept" }
        lab.flush()

        lab.release(old, "the old server closes the connection first (the active close)")
        try lab.waitForStep("old server", "to close the connection (the active close)") { $0.call == "close" }
        let oldFin = lab.awaitFinAndAck(fromServer: true, "the old server")
        lab.flush()

        lab.pause("the client closes its side too")
        let beforeClient = max(oldFin.lastNumber, lab.log.snapshot.segments.count)
        client.closeCommands()
        try lab.waitForEnd("client")
        lab.awaitFinAndAck(fromServer: false, "the client", after: beforeClient)
        let labels = Self.labels(port: port)
        lab.recordSockets(Moment.bothClosed, labels: labels)
        lab.flush()

        lab.pause("the old server exits (its listener closes); a new server starts at once on the same port")
        old.closeCommands()
        try lab.waitForEnd("old server")
        lab.recordSockets(Moment.oldExited, labels: labels)
        let new = try lab.spawn("new server", .reuseServer(reuseAddress: newReuses, closeOneConnection: false))
        let bind = try lab.waitForStep("new server", "to bind \(lab.server.description)") { $0.call == "bind" }
        if bind.failure == nil {
            try lab.waitForStep("new server", "to listen") { $0.call == "listening" }
        } else {
            try lab.waitForEnd("new server")
        }
        lab.recordSockets(Moment.afterBind, labels: labels)
        lab.log.note("lab     new server pid \(new.pid): " + ReuseAddrRule.outcome(of: bind))
        lab.flush()
        new.closeCommands()
        try lab.waitForEnd("new server")
        lab.flush()
    }

    /// Names the sockets on the port: the listeners, the server's TIME_WAIT side and the client.
    static func labels(port: UInt16) -> (SocketEntry) -> String {
        { entry in
            if entry.localPort != port { return "client" }
            return entry.state == .listen ? "listener" : "old server's side"
        }
    }
}

/// The kernel's rule for binding a port that a TIME_WAIT entry holds, as this lab checks it.
///
/// The TIME_WAIT entry keeps the SO_REUSEADDR flag (`sk_reuse`) of the socket it came from, which
/// for an accepted connection is the listener's. In `inet_bind_conflict` two sockets do not
/// conflict only when both have `sk_reuse` set (and the other is not listening), so the restart
/// succeeds only when both the old and the new server set SO_REUSEADDR. Verified on Linux 6.18;
/// the reuseaddr claims check it against the running kernel every time.
public enum ReuseAddrRule {
    /// The rule in one sentence, as the claims state it.
    public static let statement = "a bind next to a TIME_WAIT entry succeeds only when both the new socket and the socket "
        + "the entry came from set SO_REUSEADDR"

    /// What the rule predicts for the old and new servers' flags.
    public static func restartSucceeds(oldReuses: Bool, newReuses: Bool) -> Bool { oldReuses && newReuses }

    /// `bind succeeded` or `bind failed with EADDRINUSE`, from the new server's bind step.
    public static func outcome(of bind: RoleStep) -> String {
        guard let failure = bind.failure else { return "bind succeeded" }
        return "bind failed with \(failure.name)"
    }
}

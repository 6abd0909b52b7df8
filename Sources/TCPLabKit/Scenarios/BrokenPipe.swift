import CPcap
import Glibc

/// broken-pipe: a server that answers once and closes, and a client that keeps talking.
///
/// The client sends `haha`, `hehe`, `wawa`, reading after each. The server's close sends a FIN
/// (server FIN_WAIT2, client CLOSE_WAIT); `hehe` reaches a socket nobody holds, so the server's
/// kernel answers with an RST; recv() still reports the FIN as end of file; and the send of
/// `wawa` on the reset socket raises SIGPIPE, whose default action kills the client.
public struct BrokenPipe: Scenario {
    public static let name = "broken-pipe"
    public static let summary = "a server that answers once and closes; the client keeps talking: RST, EOF, then SIGPIPE"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case `default` = "default"
        case sigpipeIgnored = "sigpipe-ignored"
        case msgNosignal = "msg-nosignal"
        case fixedClient = "fixed-client"

        public var summary: String {
            switch self {
            case .default: "SIGPIPE at its default action: the third send kills the client"
            case .sigpipeIgnored: "the client ignores SIGPIPE (as Python does): send fails with EPIPE, \"Broken pipe\""
            case .msgNosignal: "the client sends with MSG_NOSIGNAL: send fails with EPIPE, no signal"
            case .fixedClient: "the client looks for the EOF before sending again: no RST, no SIGPIPE, clean close"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String { variant.story }

    var behaviour: LineClient.Behaviour { variant.behaviour }

    /// The moments at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case afterServerClose = "after-server-close"
        case afterHeheAnswered = "after-hehe-answered"
        case afterClientClose = "after-client-close"

        var text: String {
            switch self {
            case .afterServerClose: "after the server's close()"
            case .afterHeheAnswered: "after the server's answer to hehe"
            case .afterClientClose: "after the client's close()"
            }
        }
    }

    /// How long the lab watches the capture for a segment a claim is about (the server's FIN, the
    /// client's ACK of it, the answer to hehe) before it records the sockets anyway.
    static let segmentWindow = 1.0

    /// haha; the server's answer (with --step, held until Enter, as its close() and the client's
    /// reads are); once the server's close() returned, up to a second for its FIN and the client's ACK,
    /// then the sockets. hehe; once it returned, up to a second for the server's answer, then the
    /// sockets. wawa, then the client's end (fixed: the client's end, its FIN, the sockets).
    /// It waits only for calls to return, roles to end and bounded windows of the capture: what
    /// the kernel did in them is for the claims to judge.
    public func run(_ lab: LabRun) throws(LabError) {
        // With --step both are held before the calls they make on their own (the server's answer
        // and close(), the client's recv() after each send), so each gets a pause of its own.
        let server = try lab.startServer(.onceServer, heldInSteps: true)
        let client = try lab.spawn("client", .lineClient(behaviour: behaviour), heldInSteps: true)
        // With --step the client waits before its connect, so the handshake gets a pause of its
        // own: the cast is named before it, without the client's port (not bound yet).
        if lab.holdsRoles {
            lab.say("server \(lab.server.description) (pid \(server.pid))   client pid \(client.pid)   net: \(lab.isolation.description)")
            lab.say("")
            // The pause shows the server already waiting in accept(): its call begun, nothing more.
            try lab.log.wait(for: "the server to call accept()", timeout: lab.options.timeout) { observation in
                observation.steps(of: "server").first { $0.call == "accept" }
            }
        }
        lab.release(client, "the client connects: its SYN, the server's SYN-ACK, its ACK (the three-way handshake)")
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure {
            throw LabError.role("client: connect \(lab.server.description) failed: \(error)")
        }
        let port = lab.server.port
        if !lab.holdsRoles {
            lab.say("server \(lab.server.description) (pid \(server.pid))   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
            lab.say("")
        }
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.flush()

        lab.pause("the client sends \"haha\"")
        client.send("haha")
        try lab.waitForStep("server", "to receive \"haha\"") { $0.call == "recv" }
        lab.release(server, "the server answers \"HAHA\"")
        // Its send() returning (or its note that it skipped it, `--doctor server-never-answers`) is neutral.
        try lab.waitForStep("server", "to return from send()") { $0.standsFor("send") }
        lab.release(client, "the client reads the reply")
        // The reply (or an EOF) is what the claims judge: a bounded wait. The server's close()
        // returning (or its note that it skipped it, `--doctor server-never-closes`) is neutral.
        try lab.awaitStep("client", "to read the reply to haha", within: Self.segmentWindow) { $0.call == "recv" }
        lab.release(server, "the server closes its socket")
        try lab.waitForStep("server", "to return from close()") { $0.standsFor("close") }
        if let fin = lab.awaitSegment("the server's FIN", within: Self.segmentWindow, { $0.sourcePort == port && $0.flags.contains(.fin) }) {
            lab.awaitSegment("the client's ACK of the server's FIN", within: Self.segmentWindow, after: fin.number) {
                $0.destinationPort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
        let labels = Self.labels(port: port)
        lab.recordSockets(Moment.afterServerClose, labels: labels)
        lab.flush()

        let stepsBefore = lab.log.snapshot.steps(of: "client").count
        let segmentsBefore = lab.log.snapshot.segments.count
        lab.pause(behaviour == .readFirst
            ? "the client is given \"hehe\": it first looks for the server's FIN"
            : "the client sends \"hehe\" to a server that has closed")
        client.send("hehe")
        if behaviour == .readFirst {
            // The client ends once it reads the EOF: if none comes it stays blocked in recv()
            // (the teardown stops it) and the claims say what was seen.
            try lab.awaitEnd("client", within: Self.segmentWindow)
            if let clientFin = lab.awaitSegment("the client's FIN", within: Self.segmentWindow, after: segmentsBefore, {
                $0.destinationPort == port && $0.flags.contains(.fin)
            }) {
                lab.awaitSegment("the server's answer to the client's FIN", within: Self.segmentWindow, after: clientFin.number) {
                    $0.sourcePort == port
                }
            }
            lab.recordSockets(Moment.afterClientClose, labels: labels)
            lab.flush()
            lab.say("        note: the blog post's fix (break when recv() returns 0) still sends hehe first, and that send")
            lab.say("        draws the RST on this kernel (see --variant default); only reading before sending avoids it")
            return
        }
        try lab.waitForStep("client", "to return from send(\"hehe\")", after: stepsBefore) { $0.call == "send" }
        lab.awaitSegment("the server's answer to hehe", within: Self.segmentWindow, after: segmentsBefore) { $0.sourcePort == port }
        lab.recordSockets(Moment.afterHeheAnswered, labels: labels)
        lab.release(client, "the client reads again")
        // recv() returns with the EOF or the RST the claims judge: bounded; a client still blocked
        // never sends wawa, and the teardown stops it.
        try lab.awaitStep("client", "to read after hehe", within: Self.segmentWindow, after: stepsBefore) { $0.call == "recv" }
        lab.flush()

        lab.pause("the client sends \"wawa\" on a connection that was reset")
        client.send("wawa")
        // Its death by SIGPIPE (or its exit) is what the claims judge: bounded.
        try lab.awaitEnd("client", within: Self.segmentWindow)
        lab.flush()
    }

    static func labels(port: UInt16) -> (SocketEntry) -> String {
        { $0.localPort == port ? "server" : "client" }
    }
}

extension BrokenPipe.Variant {
    /// The line under the title that says what runs.
    var story: String {
        switch self {
        case .fixedClient:
            return "a server that answers once and closes; the client reads the EOF before it sends again"
        case .sigpipeIgnored:
            return "a server that answers once and closes; the client keeps talking, with SIGPIPE ignored"
        case .msgNosignal:
            return "a server that answers once and closes; the client keeps talking, sending with MSG_NOSIGNAL"
        default:
            return "a server that answers once and closes; the client keeps talking"
        }
    }
}

extension BrokenPipe.Variant {
    /// How the client role behaves in this variant.
    var behaviour: LineClient.Behaviour {
        switch self {
        case .sigpipeIgnored: return .ignoreSigpipe
        case .msgNosignal: return .noSignal
        case .fixedClient: return .readFirst
        default: return .plain
        }
    }
}

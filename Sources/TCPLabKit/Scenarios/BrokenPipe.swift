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

    public var story: String {
        switch variant {
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

    var behaviour: LineClient.Behaviour {
        switch variant {
        case .sigpipeIgnored: return .ignoreSigpipe
        case .msgNosignal: return .noSignal
        case .fixedClient: return .readFirst
        default: return .plain
        }
    }

    /// haha, then wait for the FIN and the half-closed states; hehe, then wait for the RST and the
    /// sockets to vanish; wawa, then wait for the client to end (or, fixed: for the clean close).
    public func run(_ lab: LabRun) throws(LabError) {
        let server = try lab.startServer(["once-server"])
        let client = try lab.spawn("client", [
            "line-client", "--address", lab.server.address.description, "--port", String(lab.server.port),
            "--behaviour", behaviour.rawValue,
        ])
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let error = connected.failure {
            throw LabError.role("client: connect \(lab.server.description) failed: \(error)")
        }
        let port = lab.server.port
        let clientEndpoint = connected.local ?? "?"
        lab.say("server \(lab.server.description) (pid \(server.pid))   client \(clientEndpoint) (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        lab.flush()

        lab.pause("the client sends \"haha\" and reads the reply")
        client.send("haha")
        try lab.waitForStep("client", "to read the reply to haha") { $0.call == "recv" }
        try lab.waitForStep("server", "to close the connection") { $0.call == "close" }
        let fin = try lab.waitForSegment("the server's FIN") { $0.sourcePort == port && $0.flags.contains(.fin) }
        try lab.waitForSegment("the client's ACK of the server's FIN", after: fin.number) {
            $0.destinationPort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
        }
        let labels = Self.labels(port: port)
        try lab.waitForSockets("after the server's close()", until: "server FIN_WAIT2 and client CLOSE_WAIT", labels: labels) {
            table in
            table.entries.contains { $0.localPort == port && $0.remote == clientEndpoint && $0.state == .finWait2 }
                && table.entries.contains { $0.local == clientEndpoint && $0.state == .closeWait }
        }
        lab.flush()

        let stepsBefore = lab.log.snapshot.steps(of: "client").count
        lab.pause("the client sends \"hehe\" to a server that has closed")
        client.send("hehe")
        if behaviour == .readFirst {
            try lab.waitForEnd("client")
            let clientFin = try lab.waitForSegment("the client's FIN") { $0.destinationPort == port && $0.flags.contains(.fin) }
            try lab.waitForSegment("the server's ACK of the client's FIN", after: clientFin.number) {
                $0.sourcePort == port && $0.acknowledgmentNumber == clientFin.segment.sequenceNumber &+ 1
            }
            try lab.waitForSockets("after the client's close()", until: "the server side in TIME_WAIT", labels: labels) { table in
                table.entries.contains { $0.localPort == port && $0.remote == clientEndpoint && $0.state == .timeWait }
            }
            lab.flush()
            lab.say("        note: the seed's fix (break when recv() returns 0) still sends hehe first, and that send")
            lab.say("        draws the RST on this kernel (see --variant default); only reading before sending avoids it")
            return
        }
        try lab.waitForStep("client", "to send hehe", after: stepsBefore) { $0.call == "send" }
        try lab.waitForSegment("the server kernel's answer to hehe", after: fin.number) {
            $0.sourcePort == port && $0.flags.contains(.rst)
        }
        try lab.waitForSockets("after the RST", until: "the connection to be gone from both sides", labels: labels) { table in
            !table.entries.contains { $0.local == clientEndpoint || $0.remote == clientEndpoint }
        }
        try lab.waitForStep("client", "to read after hehe", after: stepsBefore) { $0.call == "recv" }
        lab.flush()

        lab.pause("the client sends \"wawa\" on a connection that was reset")
        client.send("wawa")
        try lab.waitForEnd("client")
        lab.flush()
    }

    static func labels(port: UInt16) -> (SocketEntry) -> String {
        { $0.localPort == port ? "server" : "client" }
    }
}

/// iterative: a server that serves one connection at a time, and two clients.
///
/// Client A connects and stays; client B connects, sends a line and waits. The kernel completes
/// B's handshake and ACKs B's data although the server never called accept() for it: B waits
/// ESTABLISHED in the listener's accept queue with its bytes unread (Recv-Q), and is served only
/// when A leaves and the server comes back to accept().
public struct Iterative: Scenario {
    public static let name = "iterative"
    public static let summary = "a one-connection-at-a-time server and two clients: the second waits in the accept queue until the first leaves"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case `default` = "default"

        public var summary: String {
            switch self {
            case .default: "client A stays connected while client B connects and sends; then A leaves"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        "a server that serves one connection at a time; client A stays, client B connects, sends and waits"
    }

    /// What A and B send; B's byte count is what Recv-Q must show.
    static let lineA = "hello from a"
    static let lineB = "hello from b"

    /// The moment at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case bInAcceptQueue = "b-in-accept-queue"

        var text: String {
            switch self {
            case .bInAcceptQueue: "client B waits in the accept queue"
            }
        }
    }

    /// How long the lab watches the capture for a segment a claim is about (the SYN-ACK to B, B's
    /// data and its ACK, A's FIN, the answer to B) before it goes on anyway.
    static let segmentWindow = 1.0

    /// A connects and is served; B connects and sends; once B's data and its ACK are seen (each
    /// within a bounded window) the lab records the sockets, whatever they hold. Then A leaves; the
    /// lab waits for the server's next accept() to return, up to a second for the answer to B, and
    /// for B's recv(). It waits only for calls to return, roles to end and bounded windows of the
    /// capture: what the kernel did in them is for the claims to judge.
    public func run(_ lab: LabRun) throws(LabError) {
        let server = try lab.startServer(.iterativeServer)
        let port = lab.server.port
        let window = Self.segmentWindow

        let clientA = try lab.spawn("client A", .lineClient(behaviour: .plain))
        let connectedA = try lab.waitForStep("client A", "to connect") { $0.call == "connect" }
        if let error = connectedA.failure { throw LabError.role("client A: connect \(lab.server.description) failed: \(error)") }
        let endpointA = connectedA.local ?? "?"
        try lab.waitForStep("server", "to accept client A") { $0.call == "accept" }
        clientA.send(Self.lineA)
        // The answer is what the claims judge: a bounded wait.
        try lab.awaitStep("client A", "to read the server's answer", within: window) { $0.call == "recv" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   client A \(endpointA) (pid \(clientA.pid))   "
                + "net: \(lab.isolation.description)")
        lab.say("")
        lab.flush()

        lab.pause("client B connects while the server is busy with client A")
        let clientB = try lab.spawn("client B", .lineClient(behaviour: .plain))
        let connectedB = try lab.waitForStep("client B", "to connect") { $0.call == "connect" }
        if let error = connectedB.failure { throw LabError.role("client B: connect \(lab.server.description) failed: \(error)") }
        let endpointB = connectedB.local ?? "?"
        let portB = UInt16(endpointB.split(separator: ":").last ?? "") ?? 0
        // Said only if the server's own report shows it: its newest call is a recv() not yet returned.
        let serverBusy = lab.log.snapshot.steps(of: "server").last.map { $0.call == "recv" && $0.ended == nil } ?? false
        lab.log.note("lab     started client B (pid \(clientB.pid))" + (serverBusy ? "; the server is blocked in recv() on client A" : ""),
                     at: connectedB.began - 1)
        Self.awaitHandshake(of: portB, server: port, in: lab, within: window)
        lab.flush()

        lab.pause("client B sends a line; the server is still inside its loop with client A")
        clientB.send(Self.lineB)
        Self.awaitDataAcked(from: portB, in: lab, within: window)
        lab.recordSockets(Moment.bInAcceptQueue, labels: Self.labels(port: port, clientA: endpointA, clientB: endpointB))
        lab.flush()

        lab.pause("client A leaves (closes its socket)")
        let serverSteps = lab.log.snapshot.steps(of: "server").count
        let segmentsBefore = lab.log.snapshot.segments.count
        clientA.closeCommands()
        try lab.waitForEnd("client A")
        try lab.waitForStep("server", "to return from its next accept()", after: serverSteps) { $0.call == "accept" }
        lab.awaitSegment("the server's answer to client B", within: window, after: segmentsBefore) {
            $0.sourcePort == port && $0.destinationPort == portB && !$0.payload.isEmpty
        }
        try lab.awaitStep("client B", "to read the answer", within: window) { $0.call == "recv" }
        lab.flush()

        lab.pause("client B leaves too")
        clientB.closeCommands()
        try lab.waitForEnd("client B")
        let closes = { (observation: Observation) in observation.steps(of: "server").filter { $0.call == "close" && $0.isSettled }.count }
        try lab.log.wait(for: "the server to return from its second close()") { closes($0) >= 2 ? true : nil }
        lab.flush()
    }

    /// Names each socket on the port: the listener (with its accept queue length, which /proc
    /// shows as the listener's Recv-Q), each client, and the server's side of each connection.
    /// A connection still in the accept queue has no file yet: inode 0 in /proc/net/tcp.
    /// Waits (each bounded by `window` seconds) for client B's SYN-ACK from the server at `port`
    /// and B's ACK of it: B's handshake, which the kernel completes without an accept().
    static func awaitHandshake(of portB: UInt16, server port: UInt16, in lab: LabRun, within window: Double) {
        if let synAck = lab.awaitSegment("the SYN-ACK to client B", within: window, {
            $0.sourcePort == port && $0.destinationPort == portB && $0.flags == [.syn, .ack]
        }) {
            lab.awaitSegment("client B's handshake ACK", within: window, after: synAck.number) {
                $0.sourcePort == portB && $0.destinationPort == port && $0.flags == .ack && $0.payload.isEmpty
            }
        }
    }

    /// Waits (each bounded by `window` seconds) for client B's data and the server kernel's ACK of it.
    static func awaitDataAcked(from portB: UInt16, in lab: LabRun, within window: Double) {
        if let data = lab.awaitSegment("client B's data", within: window, { $0.sourcePort == portB && !$0.payload.isEmpty }) {
            let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
            lab.awaitSegment("the kernel's ACK of client B's data", within: window, after: data.number) {
                $0.destinationPort == portB && $0.flags.contains(.ack) && $0.acknowledgmentNumber == end
            }
        }
    }

    static func labels(port: UInt16, clientA: String, clientB: String) -> (SocketEntry) -> String {
        { entry in
            if entry.state == .listen { return "listener (accept queue \(entry.receiveQueue))" }
            if entry.local == clientA { return "client A" }
            if entry.local == clientB { return "client B" }
            let who = entry.remote == clientA ? "A" : entry.remote == clientB ? "B" : entry.remote
            return "server side of \(who)" + (entry.inode == 0 && entry.state == .established ? " (not accepted: no process holds it)" : "")
        }
    }
}

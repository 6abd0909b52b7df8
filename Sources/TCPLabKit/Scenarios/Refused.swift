import CPcap
import Glibc

/// refused: a client connects to a port nobody listens on.
///
/// No server is started. The client's SYN reaches a port with no socket, so the kernel answers
/// it with RST-ACK on the port's behalf, and connect() fails with ECONNREFUSED: the error a
/// student sees when the server was not started.
public struct Refused: Scenario {
    public static let name = "refused"
    public static let summary = "connect to a port nobody listens on: the SYN is answered by RST-ACK, connect() fails with ECONNREFUSED"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case `default` = "default"

        public var summary: String {
            switch self {
            case .default: "no server at all; one client connects"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String { "no server: a client connects to a port nobody listens on" }

    /// The moment at which the lab records the socket table.
    enum Moment: String, ScenarioMoment {
        case beforeConnect = "before-connect"

        var text: String {
            switch self {
            case .beforeConnect: "before the connect"
            }
        }
    }

    /// How long the lab watches the capture for the client's SYN and the answer to it, segments
    /// the claims judge, before it goes on anyway.
    static let segmentWindow = 1.0

    /// Captures the port, records its sockets (whatever they are), starts the client, waits for
    /// its connect() to return, up to a second each for the SYN and the answer, and for the
    /// client to end. The claims judge what the kernel answered.
    public func run(_ lab: LabRun) throws(LabError) {
        let port = lab.server.port != 0 ? lab.server.port : try SocketAddress.unusedPort(on: lab.server.address)
        let target = SocketAddress(address: lab.server.address, port: port)
        try lab.startCapture(port: port)
        let before: SocketTable
        do { before = try SocketTable.read(port: port) } catch {
            throw LabError.role("cannot read the socket table: \(error)")
        }
        let moment = Moment.beforeConnect
        lab.log.append(snapshot: SocketSnapshot(
            time: WallClock.nowMicroseconds(), id: moment.rawValue, moment: moment.text, table: before,
            labels: before.entries.map { $0.localPort == port ? "server" : "client" }))
        let client = try lab.spawn("client", .lineClient(behaviour: .plain), target: target)
        lab.say("target \(target.description) (nobody listens)   client pid \(client.pid)   net: \(lab.isolation.description)")
        lab.say("")
        let connect = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        if let syn = lab.awaitSegment("the client's SYN", within: Self.segmentWindow, { $0.destinationPort == port && $0.flags == .syn }) {
            lab.awaitSegment("the kernel's answer to the SYN", within: Self.segmentWindow, after: syn.number) { $0.sourcePort == port }
        }
        if connect.failure == nil {
            lab.say("        note: connect() succeeded: something listens on \(target.description)")
            client.closeCommands()  // the client leaves, so the run ends with the claims judging what was seen
        }
        try lab.waitForEnd("client")
        lab.flush()
    }
}

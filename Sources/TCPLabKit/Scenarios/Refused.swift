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

    /// Captures the port, shows it has no socket, starts the client and waits for its connect()
    /// to fail, for the RST and for the client to end.
    public func run(_ lab: LabRun) throws(LabError) {
        let port = lab.server.port != 0 ? lab.server.port : try SocketAddress.unusedPort(on: lab.server.address)
        let target = SocketAddress(address: lab.server.address, port: port)
        try lab.startCapture(port: port)
        let before: SocketTable
        do { before = try SocketTable.read(port: port) } catch {
            throw LabError.role("cannot read the socket table: \(error)")
        }
        lab.log.append(snapshot: SocketSnapshot(
            time: WallClock.nowMicroseconds(), moment: "before the connect", table: before,
            labels: before.entries.map { $0.localPort == port ? "server" : "client" }))
        let client = try lab.spawn("client", .lineClient(behaviour: .plain), target: target)
        lab.say("target \(target.description) (nobody listens)   client pid \(client.pid)   net: \(lab.isolation.description)")
        lab.say("")
        let connect = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        let syn = try lab.waitForSegment("the client's SYN") { $0.destinationPort == port && $0.flags == .syn }
        try lab.waitForSegment("the kernel's answer to the SYN", after: syn.number) { $0.sourcePort == port }
        if connect.failure == nil { lab.say("        note: connect() succeeded: something listens on \(target.description)") }
        try lab.waitForEnd("client")
        lab.flush()
    }
}

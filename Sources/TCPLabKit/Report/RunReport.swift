/// A whole run as data, for `--json`: what autograders and scripts read.
public struct RunReport: Codable, Sendable {
    /// One socket of a snapshot, with the role it belongs to.
    public struct SocketRow: Codable, Sendable {
        public var role: String
        public var local: String
        public var remote: String
        public var state: String
        public var receiveQueue: UInt32
        public var sendQueue: UInt32
        public var timer: String
    }

    /// The socket table at one moment of the run.
    public struct Snapshot: Codable, Sendable {
        public var time: Int64
        public var moment: String
        public var sockets: [SocketRow]
    }

    public var scenario: String
    public var variant: String
    public var network: String
    public var server: String
    public var pcap: String?
    public var segments: [SegmentRow]
    public var steps: [RoleStep]
    public var ends: [RoleEnd]
    public var snapshots: [Snapshot]
    public var notes: [LabNote]
    public var claims: [Claim]
    /// True when the run completed and every claim holds.
    public var passed: Bool
    /// Why the run stopped early, if it did.
    public var error: String?

    public init(lab: LabRun, observation: Observation, claims: [Claim], error: String?) {
        scenario = lab.scenario.name
        variant = lab.variant
        network = lab.isolation.description
        server = lab.server.description
        pcap = lab.pcapPath
        segments = lab.rows
        steps = observation.steps
        ends = observation.ends
        snapshots = observation.snapshots.map { snapshot in
            Snapshot(time: snapshot.time, moment: snapshot.moment, sockets: zip(snapshot.table.entries, snapshot.labels).map {
                SocketRow(role: $1, local: $0.local, remote: $0.remote, state: $0.state.name,
                          receiveQueue: $0.receiveQueue, sendQueue: $0.sendQueue, timer: $0.timer.ssText)
            })
        }
        notes = observation.notes
        self.claims = claims
        self.error = error
        passed = error == nil && !claims.isEmpty && claims.allSatisfy(\.holds)
    }
}

/// A whole run as data, for `--json`: what autograders and scripts read.
public struct RunReport: Codable, Sendable {
    /// One socket of a snapshot, with the role it belongs to.
    public struct SocketRow: Codable, Sendable {
        /// Which role the socket belongs to (`server`, `client`); absent in `tcplab states --json`.
        public var role: String?
        public var local: String
        public var remote: String
        public var state: String
        public var receiveQueue: UInt32
        public var sendQueue: UInt32
        public var timer: String
        /// The pending timer as the kernel reports it (ss's `timer:(…)` is `timer`).
        public var kernelTimer: SocketTimer?
        /// 0 when no file holds the socket (TIME_WAIT, SYN_RECV, orphans, not yet accepted).
        public var inode: UInt64?
        public var uid: UInt32?
        /// The processes holding the socket (`ss -p`).
        public var owners: [SocketOwner]?
        /// The device the socket is bound to (SO_BINDTODEVICE, a link-local address's scope), ss's `%v0`; absent when none.
        public var interface: String?
    }

    /// The socket table at one moment of the run.
    public struct Snapshot: Codable, Sendable {
        public var time: Int64
        /// The moment's id, as the scenario names it (`after-server-close`).
        public var at: String?
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
    /// Each role's process id, by label: what the zombie claims follow.
    public var pids: [String: Int32]?
    /// `--clients N` of the run; absent for the scenario's default.
    public var clients: Int?
    /// Set by `--replay`: the reference recording this report was rebuilt from.
    public var replayedFrom: String?
    /// The live capture's counts (pcap_stats); `dropped` should be 0, or the timeline misses segments.
    public var capture: CaptureStatistics?
    public var claims: [Claim]
    /// True when the run completed and every claim holds.
    public var passed: Bool
    /// Why the run stopped early, if it did.
    public var error: String?
    /// backlog: net.ipv4.tcp_syn_linear_timeouts read in the run's namespace (`{}` when the kernel has none).
    public var synBackoff: SynBackoffRule?
    /// The lab's own kill(2) and waitpid(2) calls on the run's processes (the zombie story); absent when none.
    public var labCalls: [LabProcessCall]?
    /// /proc censuses of the server at named moments (concurrency); absent when the scenario takes none.
    public var censuses: [ProcessCensus]?
    /// io-models: /proc readings (state, wchan, utime/stime) of the server while it waits; absent when none.
    public var waitReadings: [WaitReadings]?
    /// The nft drop rules the run loaded on input, and from when (loss, keepalive); absent when none.
    public var inputDrops: [InputDrops]?
    /// The numbers of the segments those rules dropped (`InputDrops.dropped`), for what is drawn
    /// from the report alone (the ladder's states); absent when none.
    public var droppedOnInput: [Int]?
    /// loss tail-loss: the client's tcp_info rtt, rttvar and min_rtt right after the probe's SACK; absent when not read.
    public var senderRoundTrip: RoundTripReading?

    public init(lab: LabRun, observation: Observation, claims: [Claim], error: String?) {
        capture = lab.captureStatistics
        scenario = lab.scenario.name
        variant = lab.variant
        network = lab.isolation.description
        server = lab.server.description
        pcap = lab.pcapPath
        segments = lab.rows
        steps = observation.steps
        ends = observation.ends
        snapshots = observation.snapshots.map { snapshot in
            Snapshot(time: snapshot.time, at: snapshot.id, moment: snapshot.moment, sockets: zip(snapshot.table.entries, snapshot.labels).map {
                SocketRow($0, role: $1, owners: snapshot.table.owners(of: $0))
            })
        }
        notes = observation.notes
        pids = observation.pids
        clients = lab.options.clients
        self.claims = claims
        self.error = error
        passed = RunReport.passes(error: error, claims: claims, capture: capture)
        synBackoff = observation.synBackoff
        labCalls = observation.labCalls.isEmpty ? nil : observation.labCalls
        censuses = observation.censuses.isEmpty ? nil : observation.censuses
        waitReadings = observation.waitReadings.isEmpty ? nil : observation.waitReadings
        inputDrops = observation.inputDrops.isEmpty ? nil : observation.inputDrops
        droppedOnInput = RunReport.dropped(observation)
        senderRoundTrip = observation.senderRoundTrip
    }

    /// The numbers of the segments of `observation` its nft rules dropped on input, in order; nil when none.
    static func dropped(_ observation: Observation) -> [Int]? {
        let dropped = InputDrops.dropped(observation.segments, by: observation.inputDrops)
        return dropped.isEmpty ? nil : dropped.sorted()
    }

    /// A pass: the run completed, every claim holds, and the capture missed nothing.
    public static func passes(error: String?, claims: [Claim], capture: CaptureStatistics?) -> Bool {
        error == nil && !claims.isEmpty && claims.allSatisfy(\.holds) && (capture?.dropped ?? 0) == 0
    }
}

extension RunReport.SocketRow {
    /// The row of one /proc/net/tcp entry, with its role (if any) and the processes holding it.
    public init(_ entry: SocketEntry, role: String?, owners: [SocketOwner]) {
        self.init(role: role, local: entry.local, remote: entry.remote, state: entry.state.name,
                  receiveQueue: entry.receiveQueue, sendQueue: entry.sendQueue, timer: entry.timer.ssText,
                  kernelTimer: entry.timer, inode: entry.inode, uid: entry.uid, owners: owners,
                  interface: entry.device?.name)
    }
}

/// A TCP segment as the capture saw it: its number in capture order (Wireshark's No.) and when.
public struct CapturedSegment: Sendable, Codable, Equatable {
    public var number: Int
    /// CLOCK_REALTIME microseconds from the packet's pcap timestamp.
    public var time: Int64
    public var segment: TCPSegment

    public init(number: Int, time: Int64, segment: TCPSegment) {
        self.number = number
        self.time = time
        self.segment = segment
    }
}

/// The socket table at a moment that matters, filtered to the scenario's port.
public struct SocketSnapshot: Sendable, Codable {
    public var time: Int64
    /// The moment's id (`ScenarioMoment.rawValue`, `after-server-close`); nil in older recordings.
    public var id: String?
    /// Why this moment: `after the server's close()`.
    public var moment: String
    public var table: SocketTable
    /// Which role each entry belongs to (`server`, `client`), in the order of `table.entries`.
    public var labels: [String]

    /// The entry of the connection from `local` to `remote`, if it is in the table.
    public func entry(local: String, remote: String) -> SocketEntry? {
        table.entries.first { $0.local == local && $0.remote == remote }
    }
}

/// How a role ended and when the lab reaped it.
public struct RoleEnd: Sendable, Codable, Equatable {
    public var role: String
    public var termination: Termination
    /// When the lab reaped the role (waitpid returned), CLOCK_REALTIME microseconds.
    public var time: Int64
    /// When the lab first read end of file on one of the role's pipes (reports or stderr), if that
    /// was before `time`: every process holding the pipe, the role's own included, was gone by
    /// then, so the role had died by then. Nil when the reap came first, and in older recordings.
    public var pipeClosed: Int64? = nil

    /// The earliest time by which the lab knew the role was dead: `pipeClosed`, else `time`.
    public var diedBy: Int64 { min(time, pipeClosed ?? time) }
}

/// A line the lab itself adds to the timeline (what it did, what it waited for).
public struct LabNote: Sendable, Codable, Equatable {
    public var time: Int64
    public var text: String
    /// A process table the note shows (the zombie scenario's snapshots), as data for the claims.
    public var processes: ProcessSnapshot?

    public init(time: Int64, text: String, processes: ProcessSnapshot? = nil) {
        self.time = time
        self.text = text
        self.processes = processes
    }
}

/// Everything a run observed, as values: what the claims are computed from.
public struct Observation: Sendable {
    public var segments: [CapturedSegment] = []
    public var steps: [RoleStep] = []
    public var ends: [RoleEnd] = []
    public var snapshots: [SocketSnapshot] = []
    public var notes: [LabNote] = []
    public var pids: [String: Int32] = [:]
    /// The live capture's counts (pcap_stats), once it has stopped; nil while it runs and in
    /// recordings made before the counts were kept.
    public var capture: CaptureStatistics?
    /// backlog: net.ipv4.tcp_syn_linear_timeouts as read in the run's namespace; nil when the
    /// run did not read it (other scenarios, older recordings).
    public var synBackoff: SynBackoffRule?
    /// The lab's own kill(2) and waitpid(2) calls on the run's processes (the zombie story), in order.
    public var labCalls: [LabProcessCall] = []
    /// /proc censuses of a server (threads, children) at named moments: the concurrency scenario's.
    public var censuses: [ProcessCensus] = []
    /// io-models: /proc readings (state, wchan, CPU time) of the server at named moments.
    public var waitReadings: [WaitReadings] = []
    /// The nft drop rules the run loaded on input (loss, keepalive's peer-vanished), with when each
    /// set was in force from. They tell which captured segments never reached their receiver.
    public var inputDrops: [InputDrops] = []
    /// loss tail-loss: the sender's tcp_info round-trip estimates (sock_diag) right after the
    /// probe's SACK; nil when not read (other scenarios, older recordings).
    public var senderRoundTrip: RoundTripReading?

    public init() {}

    /// Why a claim that something did NOT happen (no RST, no FIN) cannot be judged: the capture
    /// dropped packets, so the segment may have been sent and missed. Nil when the capture is complete.
    public var absenceUnprovable: Unseen? {
        guard let capture, capture.dropped > 0 else { return nil }
        return Unseen("the capture dropped \(capture.dropped) packets, so an absence proves nothing")
    }

    /// The steps of one role, in the order it made them.
    public func steps(of role: String) -> [RoleStep] { steps.filter { $0.role == role } }

    /// How a role ended, if it has.
    public func end(of role: String) -> RoleEnd? { ends.first { $0.role == role } }
}

/// io-models: the five I/O models of the posts side by side. A server accepts a connection and
/// waits for the client's message, which comes after a pause; each variant waits in its own way,
/// and what it does meanwhile is read from /proc (state, wchan, CPU time) and from its steps.
///
/// - blocking: recv() sleeps in the kernel until the data segment arrives.
/// - nonblocking: recv() on an O_NONBLOCK socket returns EAGAIN at once, again and again.
/// - multiplexing: poll() sleeps until the socket is readable; the recv() after it does not block.
/// - signal-driven: O_ASYNC + F_SETOWN; the kernel sends SIGIO when data arrives (fcntl(2)).
/// - async: an io_uring read submitted before the data comes; the completion follows it (io_uring(7)).
public struct IOModels: Scenario {
    public static let name = "io-models"
    public static let summary = "a server waits for a client that sends after a pause: blocking, non-blocking, poll, SIGIO and io_uring, seen in /proc and on the timeline"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case blocking = "blocking"
        case nonblocking = "nonblocking"
        case multiplexing = "multiplexing"
        case signalDriven = "signal-driven"
        case async = "async"

        public var summary: String {
            switch self {
            case .blocking: "recv() blocks: the server sleeps in the kernel (state S) until the data arrives"
            case .nonblocking: "O_NONBLOCK: recv() returns EAGAIN over and over; the server spins on the CPU until the data arrives"
            case .multiplexing: "poll() sleeps until the socket is readable; the recv() after it returns at once"
            case .signalDriven: "O_ASYNC + F_SETOWN: the server works on; SIGIO tells it the data is there and its handler calls recv()"
            case .async: "io_uring (liburing): the read is submitted before the data comes; the server works on until the completion"
            }
        }

        /// How the server waits, for the header line.
        var waysOfWaiting: String {
            switch self {
            case .blocking: "a blocking recv()"
            case .nonblocking: "recv() on a non-blocking socket, in a loop"
            case .multiplexing: "poll() for POLLIN, then recv()"
            case .signalDriven: "a SIGIO handler (O_ASYNC, F_SETOWN) while its main loop does other work"
            case .async: "an io_uring read submitted at once, while its main loop does other work"
            }
        }
    }

    /// The moments at which the lab records /proc readings.
    public enum Moment: String, ScenarioMoment {
        /// From the server's start of waiting until the client's data segment is captured.
        case whileServerWaits = "while-server-waits"

        public var text: String {
            switch self {
            case .whileServerWaits: "while the server waits for data"
            }
        }
    }

    public let variant: Variant
    /// What the client sends after its pause (4 bytes: `completion res=4`).
    static let message = "ping"
    /// The client's pause before sending: long enough for many /proc readings (every ~20 ms)
    /// and CPU ticks (10 ms each), short enough for a run under 3 s.
    static let pauseMilliseconds = 300
    /// How long the lab watches for the client's data segment, and for each role's end.
    static let window = 2.0

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        "a client connects, pauses \(Self.pauseMilliseconds) ms and sends \(quoted(Self.message)); the server waits with \(variant.waysOfWaiting)"
    }

    /// Starts the server and the client; once the server says it is waiting, reads its /proc
    /// activity every ~20 ms until the client's data segment is captured (a bounded window);
    /// then waits, bounded, for both roles to end. What the server did is left to the claims.
    public func run(_ lab: LabRun) throws(LabError) {
        if variant == .async, let refusal = IOUringSupport.refusal() { throw LabError.usage(refusal) }
        let server = try lab.startServer(.ioModelServer(variant))
        let port = lab.server.port
        let client = try lab.spawn("client", .pausingClient(pauseMilliseconds: Self.pauseMilliseconds, message: Self.message))
        let connected = try lab.waitForStep("client", "to connect") { $0.call == "connect" }
        lab.say("server \(lab.server.description) (pid \(server.pid))   client \(connected.local ?? "?") (pid \(client.pid))   net: \(lab.isolation.description)")
        lab.say("")
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.waitForStep("server", "to start waiting") { $0.call == IOModelCall.waiting }
        lab.flush()

        lab.recordActivity(Moment.whileServerWaits, role: "server", pid: server.pid, within: Self.window) {
            $0.destinationPort == port && $0.ipPayloadLength > 0
        }
        lab.flush()
        try lab.awaitEnd("server", within: Self.window)
        try lab.awaitEnd("client", within: Self.window)
        lab.flush()
    }
}

extension LabRun {
    /// Reads `pid`'s /proc activity (state, wchan, utime/stime) until a captured segment matches
    /// `until`, at most `seconds`: first once the readings settle (two reads 20 ms apart agree on
    /// state and wchan: the process has gone into its wait), then every ~20 ms, each slice a wait
    /// on the capture. Records every reading at `moment` (data, and a summary note at the last
    /// reading before the segment); never fails: the claims judge what was read.
    @discardableResult
    func recordActivity(
        _ moment: some ScenarioMoment, role: String, pid: Int32, within seconds: Double, until match: @escaping (TCPSegment) -> Bool
    ) -> WaitReadings {
        stepBefore(.wait, "the lab reads /proc/\(pid) every 20 ms until the data segment")
        var readings: [ProcessActivity] = []
        let first = settle(.quiet(milliseconds: 20), read: { ProcessActivity.read(pid: pid) }, key: { [$0?.state, $0?.wchan] })
        if let first { readings.append(first) }
        let deadline = WallClock.nowMicroseconds() + Int64(seconds * 1_000_000)
        var segment: CapturedSegment?
        while segment == nil, WallClock.nowMicroseconds() < deadline {
            segment = try? log.wait(for: "the data segment", timeout: 0.02) { $0.segments.first { match($0.segment) } }
            if segment == nil, let reading = ProcessActivity.read(pid: pid) { readings.append(reading) }
        }
        let recording = WaitReadings(id: moment.rawValue, moment: moment.text, role: role, pid: pid,
                                     ticksPerSecond: ProcessActivity.ticksPerSecond, readings: readings)
        log.record { $0.waitReadings.append(recording) }
        let shown = recording.before(segment?.time)
        log.note(recording.note(before: segment?.time), at: shown.last?.time ?? WallClock.nowMicroseconds())
        return recording
    }
}

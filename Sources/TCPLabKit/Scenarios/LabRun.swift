import Foundation
import Glibc

/// One live run of a scenario: its isolation, capture, roles and event log, and the waits a
/// scenario strings together.
///
/// The lab process must already be in its namespace (see `NetworkIsolation.enter`) when this is
/// made. Everything the run starts, it stops in `finish()` or `abort(_:)`: roles (SIGTERM, a
/// bounded wait, SIGKILL, reaped), the capture handle and the pcap file.
public final class LabRun: @unchecked Sendable {
    public let options: LabOptions
    public let isolation: NetworkIsolation
    public let scenario: ScenarioInfo
    public let variant: String
    public let log = EventLog()
    /// The address the server listens on (its port is known once it listens).
    public private(set) var server: SocketAddress
    public private(set) var pcapPath: String?
    private var capture: LiveCapture?
    private var roles: [RoleProcess] = []
    private var printer: TimelinePrinter
    private let lock = NSLock()
    /// The timeline printer's own lock: a write stuck on a full pipe never holds up a teardown.
    private let printing = NSLock()
    private var finished = false
    private var storedStatistics: CaptureStatistics?
    private let write: @Sendable (String) -> Void
    /// Where `--step` stands: its input, the last action, the ladder rows shown (LabRun+Stepping).
    var stepping = StepPauses()

    public init(scenario: ScenarioInfo, variant: String, options: LabOptions, isolation: NetworkIsolation,
                output: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.isolation = isolation
        self.scenario = scenario
        self.variant = variant
        let address: IPAddress = options.ipv6 ? .loopbackV6 : .loopbackV4
        // On the shared host loopback, a free port is chosen now, so the capture can open on it
        // before any role starts.
        let port = options.port ?? (isolation.isPrivate ? 7777 : ((try? SocketAddress.unusedPort(on: address)) ?? 0))
        server = SocketAddress(address: address, port: port)
        write = output
        var timelineOutput: (String) -> Void = output
        if options.json { timelineOutput = { _ in } }
        printer = TimelinePrinter(absolute: options.absolute, palette: options.palette, write: timelineOutput)
    }

    /// Prints one line of the run's text output (nothing in `--json` mode).
    public func say(_ line: String) {
        if !options.json { write(line) }
    }

    /// Applies `--sysctl` settings in the run's namespace and notes each on the timeline.
    public func applySysctls() throws(LabError) {
        for setting in options.sysctls {
            try setting.apply(isolation: isolation)
            log.note("lab     sysctl -w \(setting) (in the run's namespace only)")
        }
    }

    // MARK: Roles

    /// Starts `program` as the role called `label`, against `target` (default: the run's server
    /// address): `tcplab role --described JSON`, the typed description crossing as JSON. With
    /// `heldInSteps`, in a `--step` run the role waits before each call it makes on its own until
    /// the scenario's `release(_:_:)` (the programs that know `RoleGate`).
    @discardableResult
    public func spawn(
        _ label: String, _ program: RoleProgram, target: SocketAddress? = nil, misbehaviour: RoleMisbehaviour? = nil,
        heldInSteps: Bool = false
    ) throws(LabError) -> RoleProcess {
        var description = RoleDescription(program, server: target ?? server, misbehaviour: misbehaviour)
        description.held = heldInSteps && holdsRoles ? true : nil
        let role = try spawn(label, ["--described", description.json])
        role.held = description.held ?? false
        return role
    }

    /// Starts `tcplab role ARGS…` as the role called `label` (the benchmark's roles); or, with an
    /// `executable` (`tcplab check`: a student's program, maybe under strace), `executable ARGS…`
    /// with `environment` added, its standard output merged into its stderr pipe, and descriptor 3 read by `trace`.
    @discardableResult
    public func spawn(
        _ label: String, _ arguments: [String], executable: String? = nil, environment: [String] = [],
        trace: (any RoleTrace)? = nil
    ) throws(LabError) -> RoleProcess {
        // Under the lock, so a teardown running on the interrupt thread either sees this role or
        // has already begun, and then no role starts.
        lock.lock()
        defer { lock.unlock() }
        if finished { throw LabError.role("the \(label) was not started: the run is being torn down") }
        let role = try RoleProcess.spawn(
            executable: executable ?? options.roleExecutable, arguments: executable == nil ? ["role"] + arguments : arguments,
            label: label, log: log, environment: environment, trace: trace, mergeOutput: executable != nil)
        if options.step {
            role.beforeCommand = { [weak self] line in self?.stepBefore(.command, "the lab tells \(Self.phrase(label)) \"\(line)\"") }
        }
        roles.append(role)
        return role
    }

    /// Starts the server role (with `--doctor`'s fault, if any) and waits until it listens; then
    /// starts the capture on its port (once per run: a second server on the same port shares it).
    @discardableResult
    public func startServer(_ program: RoleProgram, label: String = "server", heldInSteps: Bool = false) throws(LabError) -> RoleProcess {
        // The capture opens before any role exists: nothing is missed, and no role inherits it.
        if server.port != 0 { try startCapture(port: server.port) }
        let role = try spawn(label, program, misbehaviour: options.misbehaviour, heldInSteps: heldInSteps)
        let listening = try log.wait(for: "the \(label) to listen on \(server.description)", timeout: options.timeout) {
            observation -> Result<String, LabError>? in
            if let note = observation.steps(of: label).first(where: { $0.call == "listening" }) {
                return .success(note.local ?? "")
            }
            if let error = observation.steps(of: label).first(where: { $0.call == "error" }) {
                return .failure(LabError.role(error.text))
            }
            if let end = observation.end(of: label) { return .failure(LabError.role("the \(label) \(end.termination) before listening")) }
            return nil
        }
        let local: String
        do { local = try listening.get() } catch { throw error }
        if let port = local.split(separator: ":").last.flatMap({ UInt16($0) }) { server.port = port }
        try startCapture(port: server.port)
        return role
    }

    /// Opens the capture on the run's loopback, filtered on `port`, saving a pcap; does nothing
    /// if the run already captures. Scenarios without a server (a refused connect) call it directly.
    public func startCapture(port: UInt16) throws(LabError) {
        // Under the lock, like spawn: a teardown on the interrupt thread waits for the file to be
        // open and then closes it, or has begun and no capture starts.
        lock.lock()
        defer { lock.unlock() }
        if self.capture != nil { return }
        if finished { throw LabError.capture("the capture was not started: the run is being torn down") }
        let path = try preparePcapPath()
        let capture = try LiveCapture(interface: "lo", filter: "tcp port \(port)", savingTo: path)
        let linkType = capture.linkType
        let log = self.log
        capture.start { frame in
            guard case .tcp(let segment)? = try? PacketDecoder.decode(frame.bytes, linkType: linkType),
                  segment.sourcePort == port || segment.destinationPort == port
            else { return }
            log.append(segment: segment, time: frame.time)
        }
        self.capture = capture
        self.pcapPath = path
    }

    /// Checks a `--pcap PATH` before anything runs or prints: its directory must exist, as
    /// `tcpdump -w` wants (the lab makes none). Throws the one-line usage error otherwise.
    public static func checkPcapPath(_ given: String) throws(LabError) {
        let directory = (given as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard directory.isEmpty || (FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
        else { throw LabError.usage("--pcap \(given): no directory \(directory) to write the capture in") }
    }

    /// The capture file's path. The default, `captures/runs/SCENARIO-VARIANT.pcap`, gets its
    /// directories made; a `--pcap PATH` must name a directory that exists, as `tcpdump -w` wants.
    private func preparePcapPath() throws(LabError) -> String {
        if let given = options.pcapPath {
            try Self.checkPcapPath(given)
            return given
        }
        let path = "captures/runs/\(scenario.name)-\(variant).pcap"
        do {
            try FileManager.default.createDirectory(atPath: "captures/runs", withIntermediateDirectories: true)
        } catch {
            throw LabError.capture("cannot create captures/runs here for the capture file; choose another place with --pcap PATH")
        }
        return path
    }

    // MARK: Waiting

    /// Waits for a step of `role` matching `match` that has finished (returned, or died in the call).
    @discardableResult
    public func waitForStep(
        _ role: String, _ what: String, after index: Int = 0, _ match: @escaping (RoleStep) -> Bool
    ) throws(LabError) -> RoleStep {
        stepBefore(.wait, "the lab waits for \(Self.phrase(role)) \(what)") {
            log.snapshot.steps(of: role).dropFirst(index).contains { match($0) && $0.isSettled }
        }
        return try log.wait(for: "\(role) \(what)", timeout: options.timeout) { observation in
            observation.steps(of: role).dropFirst(index).first { match($0) && $0.isSettled }
        }
    }

    /// Waits for a captured segment matching `match` (after segment number `after`).
    @discardableResult
    public func waitForSegment(
        _ what: String, after number: Int = 0, _ match: @escaping (TCPSegment) -> Bool
    ) throws(LabError) -> CapturedSegment {
        stepBefore(.wait, "the lab waits for \(what)") { log.snapshot.segments.dropFirst(number).contains { match($0.segment) } }
        return try log.wait(for: what, timeout: options.timeout) { observation in
            observation.segments.dropFirst(number).first { match($0.segment) }
        }
    }

    /// Waits for a role to end and returns how it did.
    @discardableResult
    public func waitForEnd(_ role: String) throws(LabError) -> Termination {
        // No pause of its own: a role's exit ends the step that made it exit (a command, its
        // input closed), and an Enter here would announce nothing the timeline shows.
        return try log.wait(for: "the \(role) to exit", timeout: options.timeout) { $0.end(of: role)?.termination }
    }

    /// Prints what has been observed so far, and returns what it printed from (the log as it
    /// stood at the cut `caughtUp()` makes), so that a view drawn at the same moment (the
    /// `--step` ladder) shows the same events.
    /// Before printing it brings the log up to now (see `caughtUp()`), so a line printed now never
    /// comes above one that happened before it. (Each wait is bounded; a stalled source only
    /// delays its lines, never the run.)
    @discardableResult
    public func flush() -> Observation {
        stepping.armed = true
        // A step a scenario's pause announced ends here (`pause(_:)`).
        stepping.covered = false
        let observation = caughtUp()
        printing.withLock { printer.flush(observation) }
        return observation
    }

    /// The log cut at one instant, with the capture caught up to it: every role's report and
    /// stderr line read so far (after a bounded wait for the pipes to be empty), and every
    /// segment captured up to the cut.
    ///
    /// The order matters. A role reports a call after it returned, and the segment that brought
    /// a recv()'s bytes (or carried a send()'s) was in libpcap's ring before the call returned:
    /// the packet socket gets a frame on `lo` before TCP does (dev_queue_xmit_nit, then
    /// __netif_receive_skb's taps before ip_rcv), and in immediate mode libpcap uses TPACKET_V2,
    /// whose frames are readable at once (no TPACKET_V3 block waiting to be retired). So the
    /// roles' reports are taken first, the cut made after them, and only then is the capture
    /// drained (`LiveCapture.sync`): every segment a reported call depends on is then in. Reports
    /// that arrive meanwhile (a server answering on its own at a `--step` pause) wait for the next
    /// flush, with their segments; segments after the cut too, so none is printed above a call
    /// that returned before it but was reported late.
    func caughtUp() -> Observation {
        let (capture, roles) = lock.withLock { (self.capture, self.roles) }
        let since = WallClock.nowMicroseconds()
        // A role under strace (a student's program) reports its calls as strace gets to them, a
        // while after they happen on a busy machine: wait for it as for the capture below.
        let traced = roles.contains { $0.trace != nil }
        _ = try? log.poll(for: "the roles' reports to be read", timeout: traced ? 5 : 0.5) { () -> Bool? in
            roles.allSatisfy { $0.caughtUp(since: since) } ? true : nil
        }
        for role in roles { role.trace?.settle() }
        var observation = log.snapshot
        let cut = WallClock.nowMicroseconds()
        // Bounded, but longer than a busy machine keeps a thread from running: a sync that gave
        // up would let a reported call print above the segment it depends on.
        capture?.sync(timeout: 5)
        observation.segments = Array(log.snapshot.segments.prefix { $0.time <= cut })
        return observation
    }

    /// The decoded rows of every segment printed so far.
    public var rows: [SegmentRow] { printing.withLock { printer.rows } }

    // MARK: Ending

    /// Stops every role still running and the capture; prints the rest of the timeline.
    public func finish() {
        let (alive, capture) = lock.withLock { () -> ([RoleProcess], LiveCapture?) in
            if finished { return ([], nil) }
            finished = true
            return (roles, self.capture)
        }
        adoptOrphansDuringTeardown()
        for role in alive { role.closeCommands() }
        stop(alive.filter { log.snapshot.end(of: $0.label) == nil })
        cleanUpAfterRoles()
        capture?.stop()
        if let counts = capture?.statistics {
            captureStatistics = counts
            log.recordCapture(counts)
            log.note("capture: \(counts.dropped) packets dropped by the kernel (\(counts.received) counted by libpcap; on lo it sees each one twice)"
                     + (counts.dropped > 0 ? " (the timeline misses \(counts.dropped) segments)" : ""))
        }
        flush()
    }

    /// The capture's counts, once the run has finished.
    public var captureStatistics: CaptureStatistics? {
        get { lock.withLock { storedStatistics } }
        set { lock.withLock { storedStatistics = newValue } }
    }

    /// For Ctrl-C, from the interrupt thread and whatever the scenario is doing: no role starts
    /// any more; every role's process group is killed at once (ended roles' too: their forked
    /// children may still run), the roles reaped, adopted orphans reaped, the capture closed.
    /// Safe while `finish()` runs: each step tolerates the other.
    public func abort() {
        let (alive, capture) = lock.withLock { () -> ([RoleProcess], LiveCapture?) in
            finished = true
            return (roles, self.capture)
        }
        adoptOrphansDuringTeardown()
        ToolProcess.waitForRunningTool()
        ProcessGroups.signal(Set(alive.map(\.pid)), SIGKILL)
        for role in alive { _ = try? log.wait(for: "\(role.label) to die", timeout: 1) { $0.end(of: role.label) } }
        cleanUpAfterRoles(interrupted: true)
        capture?.stop()
    }

    /// SIGTERM to each role's group, a bounded wait for it to be reaped, then SIGKILL.
    private func stop(_ roles: [RoleProcess]) {
        for role in roles {
            log.note("lab     stops the \(role.label) (SIGTERM to its process group)")
            role.signalGroup(SIGTERM)
        }
        for role in roles {
            if (try? log.wait(for: "\(role.label) to exit", timeout: 1) { $0.end(of: role.label) }) == nil {
                role.signalGroup(SIGKILL)
                _ = try? log.wait(for: "\(role.label) to be killed", timeout: 1) { $0.end(of: role.label) }
            }
        }
    }
}

import Foundation
import Glibc

/// Watches a port on the host loopback for `tcplab watch`: prints each TCP segment as the
/// capture delivers it, and a line whenever the port's socket states or the watched program's
/// process tree change, and the program's own calls (from strace, `add(_:)`), until `stop()`.
///
/// Everything is printed in the order of `Timeline` (a call's result where it returned), a
/// moment behind the live events (`lag`), and never past the instant strace has reported the
/// calls until (`callsKnownUntil`), so that a call whose strace line comes after the segment it
/// caused still sits before it. The program's output and the tables are placed when read.
///
/// /proc has no change events, so states and processes are re-read on a short tick, and at once
/// when something changed them: a SYN, FIN or RST captured, a fork, execve or exit strace
/// reported, a process the lab reaped; this is a monitor refreshing a display, not a scenario
/// waiting for an event. The calls are named by role (`WatchRoles`: `server`, `client 2`); a
/// launcher's calls and processes before the program's first socket call are left out
/// (`WatchCalls`). What the program prints is put on the timeline where its write returned (`printed`).
public final class PortWatch: @unchecked Sendable {
    public let port: UInt16?
    private let capture: LiveCapture
    private let lock = NSLock()
    private let ticker = NSCondition()
    private var tracker: ConversationTracker
    private var number = 0
    private var running = true
    private var tickerDone = false
    private var lastSockets = ""
    private var lastProcesses = ""
    /// The state each process was last shown in.
    private var lastStates: [Int32: String] = [:]
    private var segmentTimes: [Int64] = []
    private var segmentLines: [String] = []
    /// Lines noted at their time; the program's output also with its end in the output (`printed`).
    private var notes: [(time: Int64, text: String, outputEnd: Int?)] = []
    private var calls = WatchCalls()
    private var written = WrittenOutput()
    private var printed = WatchPrinted()
    /// How far behind the live events the view is printed, in microseconds.
    public var lag: Int64 = 1_000_000
    /// The instant up to which the traced programs' calls are all in (`StraceTrace.Reader.caughtUp()`,
    /// CLOCK_REALTIME microseconds; nil without strace): the view is held there, so that a call
    /// strace reports late (a loaded machine) still sits above the segment it caused. Set before `start`.
    public var callsKnownUntil: (@Sendable () -> Int64?)?
    /// The longest the view is held behind the live events for a strace that falls behind, in
    /// microseconds (then it is printed as it stands: a watch never stalls).
    public var longestHold: Int64 = 10_000_000
    private var program: WatchedProgram?
    private let write: @Sendable (String) -> Void
    /// Everything shown, for `--json`: the segments, and each change of the port's sockets and
    /// of the program's process tree, in the shapes docs/json.md gives.
    public private(set) var rows: [SegmentRow] = []
    public private(set) var socketSnapshots: [RunReport.Snapshot] = []
    public private(set) var processSnapshots: [ProcessSnapshot] = []
    /// The stories the evidence told that differ from the textbook (`WatchExplanation`), each
    /// printed once as a `why` line after its last evidence.
    public private(set) var explanations: [WatchExplanation] = []

    private let palette: Palette

    /// Opens the capture on `lo` (filter `tcp port P`, or all TCP); throws when capture is not
    /// allowed. `palette` colours the segment lines (RST, FIN, SYN; `Palette.forOutput`).
    public init(
        port: UInt16?, pcap: String?, absolute: Bool, snapshotLength: Int32, palette: Palette = .plain,
        write: @escaping @Sendable (String) -> Void
    ) throws(LabError) {
        self.port = port
        self.palette = palette
        self.write = write
        tracker = ConversationTracker(absolute: absolute)
        capture = try LiveCapture(
            interface: "lo", filter: port.map { "tcp port \($0)" } ?? "tcp", savingTo: pcap,
            snapshotLength: snapshotLength, bufferMegabytes: 64)
    }

    /// Starts printing; `program` is the watched program, whose process tree is shown.
    public func start(program: WatchedProgram?) {
        self.program = program
        program?.onChange { [self] in wake() }
        let linkType = capture.linkType
        capture.start { [self] frame in
            guard case .tcp(let segment)? = try? PacketDecoder.decode(frame.bytes, linkType: linkType) else { return }
            lock.withLock {
                number += 1
                let row = tracker.describe(CapturedSegment(number: number, time: frame.time, segment: segment))
                rows.append(row)
                segmentTimes.append(frame.time)
                segmentLines.append(palette.segment(TimelinePrinter.line(row), flags: row.flags))
            }
            // A SYN, FIN or RST changes socket states: read the table now, not at the next tick,
            // so short states (FIN_WAIT2, LAST_ACK) are seen. Data segments don't wake it, so a
            // bulk transfer costs no table reads.
            if !segment.flags.isDisjoint(with: [.syn, .fin, .rst]) { wake() }
        }
        Thread.detachNewThread { [self] in
            ticker.lock()
            while running {
                ticker.unlock()
                refresh()
                // Every frame the kernel captured up to the cut is handed over before printing
                // (bounded: a capture thread that cannot run is not waited for long).
                let cut = cutoff()
                capture.sync(timeout: 5)
                flush(upTo: cut)
                ticker.lock()
                _ = ticker.wait(until: Date(timeIntervalSinceNow: 0.1))
            }
            tickerDone = true
            ticker.broadcast()
            ticker.unlock()
        }
    }

    /// How far the view is printed now: `lag` behind the live events, and not past the instant
    /// the calls are known until (at most `longestHold` behind).
    private func cutoff() -> Int64 {
        let now = WallClock.nowMicroseconds()
        guard let known = callsKnownUntil?() else { return now - lag }
        return max(min(now - lag, known), now - longestHold)
    }

    /// Has the ticker read the tables now.
    private func wake() {
        ticker.lock()
        ticker.broadcast()
        ticker.unlock()
    }

    /// Stops the capture (after delivering what it has) and the refresh; prints a last state.
    public func stop() -> CaptureStatistics? {
        ticker.lock()
        running = false
        ticker.broadcast()
        while !tickerDone { ticker.wait() }
        ticker.unlock()
        capture.stop()
        refresh(final: true)
        flush(upTo: nil)
        return capture.statistics
    }

    /// The programs' calls so far, named by role, for `--json`.
    public var steps: [RoleStep] { lock.withLock { labelledSteps } }

    /// The calls shown with the timeline's names (call with `lock` held).
    private var labelledSteps: [RoleStep] { calls.steps }

    /// Adds one strace line of a traced program (any thread), read from the FIFO named `source`
    /// (`trace`: the watched program's; `trace-PID`: a joined one's). Its calls are shown from the
    /// program's first socket call on (a launcher's before it left out: `LauncherFilter`); a
    /// program that never makes one still has its end shown.
    public func add(_ line: StraceLine, from source: String) {
        let changesProcesses = lock.withLock {
            let launching = !calls.started(source)
            calls.feed(line, from: source)
            // The program's first socket call: its processes are shown from now on.
            if launching, calls.started(source) { return true }
            switch line.event {
            case .exited, .killed: return true
            case .call(let name, _, _, _), .resumed(let name, _, _, _):
                return ["clone", "clone3", "fork", "vfork", "execve"].contains(name)
            case .unfinished, .signal: return false
            }
        }
        if changesProcesses { wake() }
    }

    /// Puts a line the watched program printed (`ProgramOutput`) on the timeline where the
    /// write(2) that printed it returned (`end`: the output's length through the line), or
    /// where it was read (`time`, wall-clock microseconds) when strace does not report it.
    public func printed(_ text: String, at time: Int64, through end: Int) {
        lock.withLock {
            written.received(text, through: end)
            notes.append((time, "   output    " + text, end))
        }
    }

    /// Where each note sits (call with `lock` held): its time, or for the program's output where
    /// its write returned, once strace reported it (never later than it was read).
    private func placeNotes() -> [Int64] {
        written.match(calls.programWrites)
        return notes.map { note in
            note.outputEnd.flatMap(written.returned(through:)).map { min($0, note.time) } ?? note.time
        }
    }

    /// Prints what happened up to `cutoff` (everything, with nil) and is not printed yet.
    private func flush(upTo cutoff: Int64?) {
        lock.withLock {
            let steps = labelledSteps
            explain(steps)
            let timeline = Timeline(steps: steps, segments: segmentTimes, notes: placeNotes())
            var lines: [String] = []
            for entry in timeline.entries where cutoff.map({ entry.time <= $0 }) ?? true {
                switch entry.event {
                case .segment(let index):
                    guard !printed.segments.contains(index) else { continue }
                    printed.segments.insert(index)
                    if !printed.header {
                        printed.header = true
                        lines.append(TimelinePrinter.header)
                    }
                    lines.append(segmentLines[index])
                case .note(let index):
                    guard !printed.notes.contains(index) else { continue }
                    printed.notes.insert(index)
                    lines.append(notes[index].text)
                case .step(let index, let part):
                    let step = steps[index]
                    if !printed.header {
                        printed.header = true
                        lines.append(TimelinePrinter.header)
                    }
                    switch (printed.steps[index], part) {
                    case (nil, .begin):
                        printed.steps[index] = .begin
                        lines.append(TimelinePrinter.line(step, .begin))
                    case (nil, _):
                        printed.steps[index] = .whole
                        lines.append(TimelinePrinter.line(step, .whole))
                    case (.begin?, .whole), (.begin?, .result):
                        printed.steps[index] = .result
                        lines.append(TimelinePrinter.line(step, .result))
                    default: continue
                    }
                case .snapshot, .end: continue
                }
            }
            lines.forEach(write)
        }
    }

    /// Notes each story the evidence so far tells that was not noted yet (call with `lock` held).
    private func explain(_ steps: [RoleStep]) {
        for explanation in WatchExplanation.find(steps: steps, segments: rows)
        where !explanations.contains(where: { $0.story == explanation.story }) {
            explanations.append(explanation)
            notes.append((explanation.time, "   why       " + explanation.story.line, nil))
        }
    }

    /// The sockets of `port` (every TCP socket when nil; owners not looked up) and when the kernel
    /// gathered them: over netlink; from /proc when netlink cannot be used, as of just after the read.
    static func sockets(port: UInt16?) -> (table: SocketTable?, gathered: Int64) {
        if let reading = try? SockDiag.readStampedTable() {
            let entries = port.map { port in reading.entries.filter { $0.localPort == port || $0.remotePort == port } } ?? reading.entries
            return (SocketTable(entries: entries), reading.gathered)
        }
        let table = try? SocketTable.read(port: port, source: .proc, owners: false)
        return (table, WallClock.nowMicroseconds())
    }

    /// Reads the port's sockets and the program's processes and notes what changed. The `final`
    /// reading always ends with the processes' last state, even for a program that lived and died
    /// between two readings. "has exited" is said only once the lab has reaped the last process
    /// of the tree (`WatchedProgram.termination`); a reading that finds none of the program's
    /// processes before that (strace not yet past its fork and execve) changes nothing.
    private func refresh(final: Bool = false) {
        // Each reading is placed where the kernel gathered it: a reading placed later would show
        // states from before events printed above it. Over netlink that is when the dumps were
        // requested, not when their replies were read (`SockDiag.readStampedTable`); the owners'
        // scan of every process's /proc fds comes after (slow on a busy machine; an owner of a
        // socket closed since may be missing).
        let reading = Self.sockets(port: port)
        var table = reading.table
        let tableTime = reading.gathered
        if let entries = table?.entries {
            table?.owners = SocketOwners.scan(inodes: Set(entries.map(\.inode).filter { $0 != 0 }))
        }
        let entries = (table?.entries ?? []).sorted { ($0.local, $0.remote) < ($1.local, $1.remote) }
        let sockets = entries.map { "\($0.local) \($0.remote) \($0.state.name)" }.joined(separator: " | ")
        let ended = program?.termination != nil
        let (root, found) = ended ? (nil, []) : program?.processes() ?? (nil, [])
        // After the end was checked too: "has exited" is never placed above the last calls
        // strace reported before the program's end.
        let processTime = WallClock.nowMicroseconds()
        let unsure = program != nil && !ended && found.isEmpty
        lock.withLock {
            if sockets != lastSockets {
                lastSockets = sockets
                socketSnapshots.append(RunReport.Snapshot(
                    time: tableTime, at: WatchMoment.socketsChanged.rawValue, moment: WatchMoment.socketsChanged.text,
                    sockets: entries.map { RunReport.SocketRow($0, role: nil, owners: table?.owners(of: $0) ?? []) }))
                notes.append((tableTime, "   sockets   " + (sockets.isEmpty ? "none on the port" : sockets), nil))
            }
            // `t`: strace holds the process at a call's entry or return for a moment; that is the
            // watch's own doing, not the program's, so it keeps the state it was last shown in
            // (R, running, when it was never shown: it was making a call).
            let family = found.map { process in
                var shown = process
                if shown.state == "t" { shown.state = lastStates[process.pid] ?? "R" }
                return shown
            }
            let processes = family.map { "\($0.pid) (\($0.displayCommand)) \($0.state)" }.joined(separator: " | ")
            // A launcher's processes (a pyenv shim's bash helpers) are not shown either: under
            // strace, the tree is shown from the program's first socket call (and at the end).
            let launching = program?.traced == true && !calls.started("trace") && !final
            if program != nil, !unsure, !launching, processes != lastProcesses || (final && processSnapshots.isEmpty) {
                lastProcesses = processes
                for process in family { lastStates[process.pid] = process.state }
                processSnapshots.append(ProcessSnapshot(
                    time: processTime, id: WatchMoment.processesChanged.rawValue, moment: WatchMoment.processesChanged.text,
                    rows: family.map { ProcessRow(process: $0, role: $0.pid == root ? "your program" : "its child") }))
                notes.append((processTime, "   processes " + (processes.isEmpty ? "the program has exited" : processes), nil))
            }
        }
    }
}

/// What of the watch's timeline is printed already.
struct WatchPrinted {
    var header = false
    var segments: Set<Int> = []
    var notes: Set<Int> = []
    var steps: [Int: Timeline.CallPart] = [:]
}

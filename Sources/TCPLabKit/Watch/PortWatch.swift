import Foundation
import Glibc

/// Watches a port on the host loopback for `tcplab watch`: prints each TCP segment as the
/// capture delivers it, and a line whenever the port's socket states or the watched program's
/// process tree change, until `stop()`.
///
/// /proc has no change events, so states and processes are re-read on a short tick; this is a
/// monitor refreshing a display, not a scenario waiting for an event.
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
    private var program: WatchedProgram?
    private let write: @Sendable (String) -> Void
    /// Everything shown, for `--json`: the segments, and each change of the port's sockets and
    /// of the program's process tree, in the shapes docs/json.md gives.
    public private(set) var rows: [SegmentRow] = []
    public private(set) var socketSnapshots: [RunReport.Snapshot] = []
    public private(set) var processSnapshots: [ProcessSnapshot] = []

    /// Opens the capture on `lo` (filter `tcp port P`, or all TCP); throws when capture is not allowed.
    public init(
        port: UInt16?, pcap: String?, absolute: Bool, snapshotLength: Int32,
        write: @escaping @Sendable (String) -> Void
    ) throws(LabError) {
        self.port = port
        self.write = write
        tracker = ConversationTracker(absolute: absolute)
        capture = try LiveCapture(
            interface: "lo", filter: port.map { "tcp port \($0)" } ?? "tcp", savingTo: pcap,
            snapshotLength: snapshotLength, bufferMegabytes: 64)
    }

    /// Starts printing; `program` is the watched program, whose process tree is shown.
    public func start(program: WatchedProgram?) {
        self.program = program
        let linkType = capture.linkType
        capture.start { [self] frame in
            guard case .tcp(let segment)? = try? PacketDecoder.decode(frame.bytes, linkType: linkType) else { return }
            lock.withLock {
                number += 1
                let row = tracker.describe(CapturedSegment(number: number, time: frame.time, segment: segment))
                if number == 1 { write(TimelinePrinter.header) }
                rows.append(row)
                write(TimelinePrinter.line(row))
            }
        }
        Thread.detachNewThread { [self] in
            ticker.lock()
            while running {
                ticker.unlock()
                refresh()
                ticker.lock()
                _ = ticker.wait(until: Date(timeIntervalSinceNow: 0.1))
            }
            tickerDone = true
            ticker.broadcast()
            ticker.unlock()
        }
    }

    /// Stops the capture (after delivering what it has) and the refresh; prints a last state.
    public func stop() -> CaptureStatistics? {
        ticker.lock()
        running = false
        ticker.broadcast()
        while !tickerDone { ticker.wait() }
        ticker.unlock()
        capture.stop()
        refresh()
        return capture.statistics
    }

    private func refresh() {
        let now = WallClock.nowMicroseconds()
        let table = try? SocketTable.read(port: port, source: .netlink)
        let entries = (table?.entries ?? []).sorted { ($0.local, $0.remote) < ($1.local, $1.remote) }
        let sockets = entries.map { "\($0.local) \($0.remote) \($0.state.name)" }.joined(separator: " | ")
        let (root, family) = program?.processes() ?? (nil, [])
        let processes = family.map { "\($0.pid) (\($0.displayCommand)) \($0.state)" }.joined(separator: " | ")
        lock.withLock {
            if sockets != lastSockets {
                lastSockets = sockets
                socketSnapshots.append(RunReport.Snapshot(
                    time: now, moment: "sockets changed",
                    sockets: entries.map { RunReport.SocketRow($0, role: nil, owners: table?.owners(of: $0) ?? []) }))
                write("   sockets   " + (sockets.isEmpty ? "none on the port" : sockets))
            }
            if program != nil, processes != lastProcesses {
                lastProcesses = processes
                processSnapshots.append(ProcessSnapshot(
                    time: now, moment: "processes changed",
                    rows: family.map { ProcessRow(process: $0, role: $0.pid == root ? "your program" : "its child") }))
                write("   processes " + (processes.isEmpty ? "the program has exited" : processes))
            }
        }
    }
}

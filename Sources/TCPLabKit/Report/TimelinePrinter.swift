/// Prints a run as one timeline: decoded segments, the roles' steps, the lab's notes and socket
/// snapshots, in time order, as they become known.
///
/// The scenario calls `flush` at each point it has waited for; everything observed up to then
/// is printed in timestamp order, so the output reads the same on every run.
public struct TimelinePrinter {
    private var tracker: ConversationTracker
    private var printedSegments = 0
    private var printedSteps = Set<Int>()
    private var printedNotes = 0
    private var printedSnapshots = 0
    private var headerPrinted = false
    private let write: (String) -> Void
    public private(set) var rows: [SegmentRow] = []

    public init(absolute: Bool, write: @escaping (String) -> Void) {
        tracker = ConversationTracker(absolute: absolute)
        self.write = write
    }

    public static let header = "   #   t ms      who     flags  seq        ack     len  win     what"

    /// Formats one segment line.
    public static func line(_ row: SegmentRow) -> String {
        var line = LineBuilder()
        append(row, to: &line)
        return line.string
    }

    /// Appends one segment line and a newline to `buffer`: the fast path `tcplab decode` uses.
    public static func appendLine(_ row: SegmentRow, to buffer: inout [UInt8]) {
        var line = LineBuilder()
        append(row, to: &line)
        buffer.append(contentsOf: line.bytes)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends one segment line's bytes (no newline).
    static func append(_ row: SegmentRow, to line: inout LineBuilder) {
        line.number(UInt64(row.number), rightAlignedIn: 4)
        line.spaces(2)
        line.milliseconds(row.milliseconds, 9)
        line.spaces(1)
        line.column(row.who, 8)
        line.column(row.flags, 7)
        line.column(row.sequenceText, 11)
        if let ack = row.acknowledgment { line.numberColumn(UInt64(ack), 8) } else { line.spaces(8) }
        line.number(UInt64(row.length), rightAlignedIn: 3)
        line.spaces(2)
        line.numberColumn(UInt64(row.window), 8)
        var needsSpace = false
        if let preview = row.payloadPreview {
            line.append(preview)
            needsSpace = true
        }
        if !row.annotation.isEmpty {
            if needsSpace { line.spaces(2) }
            line.append(row.annotation)
            needsSpace = true
        }
        if !row.options.isEmpty {
            if needsSpace { line.spaces(2) }
            line.append(row.options.joined(separator: ", "))
        }
    }

    /// Prints everything in `observation` not printed yet, in time order.
    public mutating func flush(_ observation: Observation) {
        enum Item { case segment(CapturedSegment), step(Int, RoleStep), note(LabNote), snapshot(SocketSnapshot) }
        var items: [(time: Int64, order: Int, item: Item)] = []
        for segment in observation.segments.dropFirst(printedSegments) {
            items.append((segment.time, segment.number, .segment(segment)))
        }
        printedSegments = observation.segments.count
        for (index, step) in observation.steps.enumerated() where !printedSteps.contains(index) && step.isSettled {
            items.append((step.time, 0, .step(index, step)))
        }
        for note in observation.notes.dropFirst(printedNotes) { items.append((note.time, 0, .note(note))) }
        printedNotes = observation.notes.count
        for snapshot in observation.snapshots.dropFirst(printedSnapshots) {
            items.append((snapshot.time, 0, .snapshot(snapshot)))
        }
        printedSnapshots = observation.snapshots.count
        items.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        if !headerPrinted, !items.isEmpty {
            write(TimelinePrinter.header)
            headerPrinted = true
        }
        for entry in items {
            switch entry.item {
            case .segment(let segment):
                let row = tracker.describe(segment)
                rows.append(row)
                write(TimelinePrinter.line(row))
            case .step(let index, let step):
                printedSteps.insert(index)
                var line = LineBuilder()
                line.spaces(8)
                line.column(step.role, 8)
                line.append(step.display)
                write(line.string)
            case .note(let note):
                write("        " + note.text)
            case .snapshot(let snapshot):
                write("   sockets  " + snapshot.summary)
            }
        }
    }
}

extension RoleStep {
    /// A call is printed once it has returned or its process has died in it, notes at once.
    var isSettled: Bool { isNote || ended != nil || killedBy != nil }
}

extension SocketSnapshot {
    /// `after the server's close(): server 127.0.0.1:7777 FIN_WAIT2 | client 127.0.0.1:41484 CLOSE_WAIT`.
    public var summary: String {
        let entries = zip(table.entries, labels).map { entry, label -> String in
            var text = "\(label) \(entry.local) \(entry.state.name)"
            if entry.state == .listen, entry.receiveQueue > 0 { text += " Recv-Q \(entry.receiveQueue) (accept queue)" }
            if entry.state != .listen {
                if entry.receiveQueue > 0 { text += " Recv-Q \(entry.receiveQueue)" }
                if entry.sendQueue > 0 { text += " Send-Q \(entry.sendQueue)" }
            }
            let timer = entry.timer.ssText
            if !timer.isEmpty { text += " \(timer)" }
            return text
        }
        return "\(moment): " + (entries.isEmpty ? "no sockets on the port" : entries.joined(separator: " | "))
    }
}

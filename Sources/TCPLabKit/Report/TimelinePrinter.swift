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
        var what = row.annotation
        if let preview = row.payloadPreview { what = what.isEmpty ? preview : "\(preview)  \(what)" }
        if !row.options.isEmpty { what += (what.isEmpty ? "" : "  ") + row.options.joined(separator: ", ") }
        return Column.padLeft(String(row.number), 4) + "  "
            + Column.pad(Column.milliseconds(row.milliseconds), 9) + " "
            + Column.pad(row.who, 8) + Column.pad(row.flags, 7)
            + Column.pad(row.sequenceText, 11) + Column.pad(row.acknowledgment.map(String.init) ?? "", 8)
            + Column.padLeft(String(row.length), 3) + "  " + Column.pad(String(row.window), 8) + what
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
                write("        " + Column.pad(step.role, 8) + step.display)
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

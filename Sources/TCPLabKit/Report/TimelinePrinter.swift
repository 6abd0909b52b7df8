/// Prints a run as one timeline: decoded segments, the roles' steps, the lab's notes and socket
/// snapshots, in time order, as they become known.
///
/// The scenario calls `flush` at each point it has waited for; everything observed up to then
/// is printed in the order `Timeline` gives (a call's result where it returned), so the output
/// reads the same on every run.
public struct TimelinePrinter {
    private var tracker: ConversationTracker
    private var printedSegments = 0
    /// The last part of each step printed so far, by index in `Observation.steps`.
    private var stepsPrinted: [Int: Timeline.CallPart] = [:]
    private var printedNotes = 0
    private var printedSnapshots = 0
    private var printedDeaths = 0
    private var headerPrinted = false
    private let write: (String) -> Void
    private let palette: Palette
    public private(set) var rows: [SegmentRow] = []

    /// `palette` colours the segment lines (RST, FIN, SYN); `.plain` (the default) writes none.
    public init(absolute: Bool, palette: Palette = .plain, write: @escaping (String) -> Void) {
        tracker = ConversationTracker(absolute: absolute, origin: .labRun)
        self.palette = palette
        self.write = write
    }

    public static let header = "   #   t ms      who     flags  seq        ack     len  win     what"

    /// Formats one segment line in the timeline's widths.
    public static func line(_ row: SegmentRow) -> String { line(row, columns: .timeline) }

    /// Formats one segment line in `columns`' widths.
    public static func line(_ row: SegmentRow, columns: SegmentColumns) -> String {
        var line = LineBuilder()
        append(row, to: &line, columns: columns)
        return line.string
    }

    /// Appends one segment line and a newline to `buffer`: the fast path `tcplab decode` uses.
    public static func appendLine(_ row: SegmentRow, to buffer: inout [UInt8], columns: SegmentColumns = .timeline) {
        appendLine(source: row, to: &buffer, columns: columns)
    }

    /// The same for a row still in parts (`DescribedSegment`): no option Strings are made.
    static func appendLine<Source: SegmentLineSource>(source: Source, to buffer: inout [UInt8], columns: SegmentColumns) {
        // The line is written straight after the buffer's bytes: moved in, not copied.
        var line = LineBuilder(continuing: buffer)
        buffer = []
        append(source, to: &line, columns: columns)
        line.bytes.append(UInt8(ascii: "\n"))
        buffer = line.bytes
    }

    /// Appends one segment line's bytes (no newline).
    static func append<Source: SegmentLineSource>(_ source: Source, to line: inout LineBuilder, columns: SegmentColumns = .timeline) {
        // `source.row.…` each time, not a copy of the row: a copy retains each of its Strings.
        line.number(UInt64(source.row.number), rightAlignedIn: 4)
        line.spaces(2)
        // One space more than the value needs when it fills the width: the timeline's habit.
        line.milliseconds(source.row.milliseconds, columns.time - 1)
        line.spaces(1)
        line.who(connection: source.row.connection, source.row.direction, width: columns.who)
        line.column(source.row.flags, columns.flags)
        let sequenceStart = line.count
        source.appendSequenceText(to: &line.bytes)
        let used = line.count - sequenceStart
        line.spaces(used >= columns.sequence ? 1 : columns.sequence - used)
        if let ack = source.row.acknowledgment {
            line.numberColumn(UInt64(ack), columns.acknowledgment)
        } else {
            line.spaces(columns.acknowledgment)
        }
        if source.row.headerBytesCaptured != nil {
            // The capture cut the header before these fields: blank, as tcpdump prints none.
            line.spaces(columns.length + 2 + columns.window)
        } else {
            line.number(UInt64(source.row.length), rightAlignedIn: columns.length)
            line.spaces(2)
            // The window in bytes (raw field × 2^wscale), the raw field only when the scale is unknown.
            line.numberColumn(UInt64(source.row.windowBytes ?? UInt32(source.row.window)), columns.window)
        }
        var needsSpace = false
        if let urgent = source.row.urgentPointer {
            // Where tcpdump prints it, after the window (`win 512, urg 1`), and only with URG set.
            line.append("urg " as StaticString)
            line.number(UInt64(urgent))
            needsSpace = true
        }
        if source.hasPreview {
            if needsSpace { line.spaces(2) }
            source.appendPreview(to: &line.bytes)
            needsSpace = true
        }
        if let truncated = source.row.truncated {
            if needsSpace { line.spaces(2) }
            line.append(truncated)
            needsSpace = true
        }
        if !source.row.annotation.isEmpty {
            if needsSpace { line.spaces(2) }
            line.append(source.row.annotation)
            needsSpace = true
        }
        let options = source.optionCount
        if options > 0 {
            // Each option appended in place: every segment has some (timestamps), so no joined copy.
            var first = true
            for index in 0..<options where columns.showsPadding || !source.optionIsPadding(index) {
                if first {
                    if needsSpace { line.spaces(2) }
                    first = false
                } else {
                    line.append(", " as StaticString)
                }
                source.appendOption(index, to: &line.bytes)
            }
        }
    }

    /// Prints everything in `observation` not printed yet, in the order of `Timeline`.
    ///
    /// A call is printed once it has returned (or its role died in it), except for its start:
    /// a call still running whose start comes before something printed now gets its
    /// `connect(127.0.0.1:7777) ...` line now, above that, and its `... connect = 0` line later.
    /// A call whose start line is out is always finished by a result line, even if what came
    /// between turns out to have been after its return (a report still in its pipe at a flush).
    public mutating func flush(_ observation: Observation) {
        var lines: [String] = []
        for entry in Timeline(observation).entries {
            switch entry.event {
            case .segment(let index):
                guard index >= printedSegments else { continue }
                let row = tracker.describe(observation.segments[index])
                rows.append(row)
                lines.append(palette.segment(TimelinePrinter.line(row), flags: row.flags))
            case .step(let index, let part):
                let step = observation.steps[index]
                switch (stepsPrinted[index], part) {
                case (nil, .begin):
                    stepsPrinted[index] = .begin
                    lines.append(TimelinePrinter.line(step, .begin))
                case (nil, _):
                    stepsPrinted[index] = .whole
                    lines.append(TimelinePrinter.line(step, .whole))
                case (.begin?, .whole), (.begin?, .result):
                    stepsPrinted[index] = .result
                    lines.append(TimelinePrinter.line(step, .result))
                default:
                    continue
                }
            case .note(let index):
                guard index >= printedNotes else { continue }
                lines.append("        " + observation.notes[index].text)
            case .snapshot(let index):
                guard index >= printedSnapshots else { continue }
                lines.append("   sockets  " + observation.snapshots[index].summary)
            case .end(let index):
                guard index >= printedDeaths else { continue }
                let death = observation.deathsOutsideCalls[index]
                var line = LineBuilder()
                line.spaces(8)
                line.column(death.role, 8)
                let seen = death.pipeClosed == nil ? "when the lab reaped it" : "when its pipes to the lab closed"
                line.append("\(death.termination), seen \(seen) (it died after its last call above)")
                lines.append(line.string)
            }
        }
        printedSegments = observation.segments.count
        printedNotes = observation.notes.count
        printedSnapshots = observation.snapshots.count
        printedDeaths = observation.deathsOutsideCalls.count
        if !headerPrinted, !lines.isEmpty {
            write(TimelinePrinter.header)
            headerPrinted = true
        }
        lines.forEach(write)
    }

    /// `        client  connect(127.0.0.1:7777) ...`: a step, indented under the segments.
    static func line(_ step: RoleStep, _ part: Timeline.CallPart) -> String {
        var line = LineBuilder()
        line.spaces(8)
        line.column(step.role, 8)
        line.append(step.display(part))
        return line.string
    }
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

/// A time-sequence graph as inline SVG, the way Wireshark's "Stevens" and "tcptrace" stream
/// graphs draw one direction of a connection: time to the right, relative sequence number up;
/// each data segment a vertical bar from its first to its last byte (retransmissions in red),
/// the receiver's cumulative ACK as a step line, and the edge of its advertised window (ACK +
/// window in bytes, RFC 7323 scaling applied when both SYNs carried `wscale`) as a second step
/// line. Where the window line meets the ACK line the window is zero and the sender must wait.
///
/// The axes fit the data, as Wireshark's do: time from the first to the last data segment or
/// ACK of the stream (a little margin either side; the FIN and its ACK are left out, so a burst
/// of a few milliseconds fills the width), sequence numbers from the lowest to the highest data
/// end or ACK. A window edge above that is clipped at the top and labelled with its value
/// (`window 65536 ↑`), so 26 bytes under a 64 KiB window are still 26 bytes tall. Ticks are 1,
/// 2 or 5 × 10^n ms and bytes (`GraphAxis`). The SVG is 680 px wide: it fits an 800 px window.
/// A SYN that was sent again is drawn too (one sequence number, from 0): the lost SYN of syn-loss.
///
/// Drawn only for runs whose capture shows a retransmission or a zero window
/// (`HTMLTimeSequence.wanted`): elsewhere the ladder says it all.
public struct HTMLTimeSequence: Sendable {
    /// One direction of one connection: the sender's data, the receiver's ACKs and windows.
    public struct Stream: Sendable, Equatable {
        public var connection: Int
        public var direction: SegmentRow.Direction
    }

    public let rows: [SegmentRow]
    public let stream: Stream
    /// The receiver's window scale shift, when known.
    let scale: Int?

    static let width = 680, height = 340
    static let left = 62, right = 18, top = 26, bottom = 44
    /// Pixels between the plot's edge and the lowest or highest sequence number.
    static let inset = 4

    /// Whether a run's capture calls for a graph: a retransmission or a zero window somewhere.
    public static func wanted(_ rows: [SegmentRow]) -> Bool {
        rows.contains { $0.analysis.contains { $0.isRetransmission || $0 == .zeroWindow } }
    }

    /// One graph per direction that carried data, busiest connection first.
    public static func graphs(_ rows: [SegmentRow]) -> [HTMLTimeSequence] {
        guard wanted(rows) else { return [] }
        var bytes: [Stream: Int] = [:]
        for row in rows where row.length > 0 { bytes[Stream(connection: row.connection, direction: row.direction), default: 0] += row.length }
        let scales = LadderChanges(rows, snapshots: []).scales
        return bytes.sorted { ($0.value, $1.key.connection) > ($1.value, $0.key.connection) }.map { stream, _ in
            let receiver: Ladder.Side = stream.direction == .clientToServer ? .server : .client
            return HTMLTimeSequence(rows: rows.filter { $0.connection == stream.connection }, stream: stream,
                                    scale: scales[stream.connection]?[receiver])
        }
    }

    /// The sender's segments that carry data, in capture order.
    public var data: [SegmentRow] { rows.filter { $0.direction == stream.direction && $0.length > 0 } }

    /// The sender's SYNs (each takes sequence number 0, RFC 9293 §3.4), only when one was sent
    /// again: then the lost SYN is the lesson (syn-loss); otherwise the handshake is left out so
    /// that the data fills the graph.
    public var syns: [SegmentRow] {
        let syns = rows.filter { $0.direction == stream.direction && $0.flags.contains("S") }
        return syns.contains { $0.analysis.contains { $0.isRetransmission } } ? syns : []
    }

    /// What is drawn as bars: the SYNs (one sequence number each) and the data, in capture order,
    /// with the first and one past the last relative sequence number each covers.
    var bars: [(row: SegmentRow, start: Int, end: Int)] {
        (syns + data).sorted { $0.number < $1.number }.map { row in
            row.flags.contains("S") ? (row, Int(row.sequence), Int(row.sequence) + 1 + row.length)
                                    : (row, Int(row.sequence), Int(row.sequence) + row.length)
        }
    }

    /// The receiver's ACKs of this stream's data: not its SYN, and none past the last data byte
    /// (the ACK of the FIN, and anything after it, would stretch the axes for no data).
    public var acks: [SegmentRow] {
        let end = data.map { Int($0.sequence) + $0.length }.max() ?? 0
        return rows.filter {
            $0.direction != stream.direction && !$0.flags.contains("S")
                && $0.acknowledgment.map { Int($0) <= end } == true
        }
    }

    /// Milliseconds since the first segment of the capture: the first data segment or ACK of the
    /// stream to the last, widened by 4 % of that span on each side (so no bar sits on an axis).
    public var timeAxis: GraphAxis {
        let times = (bars.map(\.row) + acks).map(\.milliseconds)
        let first = times.min() ?? 0, last = times.max() ?? 0
        let margin = max((last - first) * 0.04, 0.001)
        return GraphAxis(lower: first - margin, upper: last + margin, maxTicks: 8, minimumStep: 0.001)
    }

    /// Relative sequence numbers (bytes): the lowest data (or SYN) start or ACK to the highest
    /// data end or ACK.
    public var sequenceAxis: GraphAxis {
        let acknowledged = acks.compactMap { $0.acknowledgment.map(Double.init) }
        let starts = bars.map { Double($0.start) } + acknowledged
        let ends = bars.map { Double($0.end) } + acknowledged
        return GraphAxis(lower: starts.min() ?? 0, upper: ends.max() ?? 1, maxTicks: 8, minimumStep: 1)
    }

    /// The `<figure>` with the SVG, a legend and a caption naming the stream.
    public var figure: String {
        let bars = self.bars, acks = self.acks, time = timeAxis, sequence = sequenceAxis
        let plotLeft = Self.left, plotRight = Self.width - Self.right, plotTop = Self.top, plotBottom = Self.height - Self.bottom
        let plotWidth = Double(plotRight - plotLeft), plotHeight = Double(plotBottom - plotTop - 2 * Self.inset)
        func x(_ ms: Double) -> Int { plotLeft + Int(((ms - time.lower) / (time.upper - time.lower) * plotWidth).rounded()) }
        func y(_ value: Double) -> Int {
            plotBottom - Self.inset - Int(((value - sequence.lower) / (sequence.upper - sequence.lower) * plotHeight).rounded())
        }
        func y(_ value: Int) -> Int { y(Double(value)) }

        let who = stream.direction == .clientToServer ? "client → server" : "server → client"
        let tag = stream.connection > 1 ? " (C\(stream.connection))" : ""
        let clip = "tsg-plot-\(stream.connection)-\(stream.direction == .clientToServer ? "cs" : "sc")"
        var svg = "<svg class=\"tsg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(Self.height)\" width=\"\(Self.width)\" height=\"\(Self.height)\" role=\"img\" aria-label=\"time-sequence graph, \(who)\">"
        svg += "<defs><clipPath id=\"\(clip)\"><rect x=\"\(plotLeft)\" y=\"\(plotTop)\" width=\"\(plotRight - plotLeft)\" height=\"\(plotBottom - plotTop)\"/></clipPath></defs>"
        // Axes, grid and nice ticks.
        for tick in time.ticks {
            svg += "<line class=\"grid\" x1=\"\(x(tick))\" y1=\"\(plotTop)\" x2=\"\(x(tick))\" y2=\"\(plotBottom)\"/>"
            svg += "<text class=\"tick\" data-axis=\"time\" x=\"\(x(tick))\" y=\"\(plotBottom + 16)\" text-anchor=\"middle\">\(time.label(tick))</text>"
        }
        for tick in sequence.ticks {
            svg += "<line class=\"grid\" x1=\"\(plotLeft)\" y1=\"\(y(tick))\" x2=\"\(plotRight)\" y2=\"\(y(tick))\"/>"
            svg += "<text class=\"tick\" data-axis=\"sequence\" x=\"\(plotLeft - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(sequence.label(tick))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(plotLeft)\" y1=\"\(plotBottom)\" x2=\"\(plotRight)\" y2=\"\(plotBottom)\"/>"
        svg += "<line class=\"axis\" x1=\"\(plotLeft)\" y1=\"\(plotTop)\" x2=\"\(plotLeft)\" y2=\"\(plotBottom)\"/>"
        svg += "<text class=\"axis-title\" x=\"\((plotLeft + plotRight) / 2)\" y=\"\(Self.height - 8)\" text-anchor=\"middle\">time (ms since the first segment)</text>"
        let middle = (plotTop + plotBottom) / 2
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(middle))\">relative sequence number (bytes)</text>"
        // The ACK and window lines: steps, each value held until the next ACK; the window line
        // clipped at the top of the plot, its value written there instead.
        if !acks.isEmpty {
            var ack = "", edge = "", labels = ""
            var lastLabel: (x: Int, window: Int)? = nil
            for (index, row) in acks.enumerated() {
                let next = index + 1 < acks.count ? acks[index + 1].milliseconds : time.upper
                let acknowledged = Int(row.acknowledgment!), bytes = window(row)
                let a = y(acknowledged), w = y(acknowledged + bytes)
                ack += "\(index == 0 ? "M" : "L")\(x(row.milliseconds)),\(a) L\(x(next)),\(a) "
                edge += "\(index == 0 ? "M" : "L")\(x(row.milliseconds)),\(w) L\(x(next)),\(w) "
                let at = x(row.milliseconds)
                if Double(acknowledged + bytes) > sequence.upper, lastLabel.map({ $0.window != bytes && at - $0.x >= 130 }) ?? true {
                    let anchor = at > plotRight - 110 ? "end" : "start"
                    labels += "<text class=\"window-label\" x=\"\(anchor == "end" ? min(at, plotRight) : at + 3)\" y=\"\(plotTop - 6)\" text-anchor=\"\(anchor)\">window \(bytes) ↑</text>"
                    lastLabel = (at, bytes)
                }
            }
            svg += "<path class=\"window-line\" clip-path=\"url(#\(clip))\" d=\"\(edge)\"><title>advertised window edge (ACK + window)</title></path>"
            svg += labels
            svg += "<path class=\"ack-line\" d=\"\(ack)\"><title>cumulative ACK</title></path>"
        }
        for (row, start, end) in bars {
            let retransmitted = row.analysis.contains { $0.isRetransmission }
            let low = y(start), high = y(end)
            let barHeight = max(low - high, 2)
            let kind = row.flags.contains("S") ? "syn" : "data"
            svg += "<g class=\"\(kind)\(retransmitted ? " retransmission" : "")\" data-number=\"\(row.number)\"><title>\(HTMLEscape.text("#\(row.number) at \(HTMLReport.milliseconds(row.milliseconds)) ms: \(row.sequenceText) len \(row.length)\(row.analysis.map { " [\($0)]" }.joined())"))</title>"
            svg += "<rect x=\"\(x(row.milliseconds) - 2)\" y=\"\(low - barHeight)\" width=\"4\" height=\"\(barHeight)\"/></g>"
        }
        for row in acks where row.window == 0 {
            svg += "<circle class=\"zero-window\" cx=\"\(x(row.milliseconds))\" cy=\"\(y(Int(row.acknowledgment!)))\" r=\"4\"><title>#\(row.number) [TCP ZeroWindow]</title></circle>"
        }
        svg += "</svg>"
        var legend = (bars.contains { $0.row.flags.contains("S") } ? "<span class=\"swatch syn\"></span>SYN " : "")
            + "<span class=\"swatch data\"></span>data segment <span class=\"swatch retransmission\"></span>retransmission "
            + "<span class=\"swatch ack\"></span>ACK <span class=\"swatch window\"></span>window edge (ACK + window)"
        if acks.contains(where: { $0.window == 0 }) { legend += " <span class=\"swatch zero-window\"></span>zero window" }
        let caption = "\(who)\(tag): each bar one segment, from its first byte to its last"
            + (scale == nil ? "; window scale unknown, raw window field" : "")
        return "<figure class=\"tsg\" data-connection=\"\(stream.connection)\">\(svg)<figcaption><span class=\"tsg-legend\">\(legend)</span><br>\(HTMLEscape.text(caption))</figcaption></figure>"
    }

    /// The window `row` advertises, in bytes: the recorded `windowBytes`, else the raw field
    /// shifted by the scale when known.
    private func window(_ row: SegmentRow) -> Int { row.windowBytes.map(Int.init) ?? Int(row.window) << (scale ?? 0) }
}

extension HTMLTimeSequence.Stream: Hashable {}

/// A time-sequence graph as inline SVG, the way Wireshark's "Stevens" and "tcptrace" stream
/// graphs draw one direction of a connection: time to the right, relative sequence number up;
/// each data segment an I-beam from its first to its last byte (retransmissions in red), the
/// receiver's cumulative ACK as a step line, and the edge of its advertised window (ACK + window
/// in bytes, RFC 7323 scaling applied when both SYNs carried `wscale`) as a second step line.
/// Where the window line meets the ACK line the window is zero and the sender must wait.
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

    static let width = 760, height = 360
    static let left = 74, right = 20, top = 16, bottom = 44

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

    /// The `<figure>` with the SVG and a caption naming the stream.
    public var figure: String {
        let data = rows.filter { $0.direction == stream.direction && $0.length > 0 }
        let acks = rows.filter { $0.direction != stream.direction && !$0.flags.contains("S") && $0.acknowledgment != nil }
        let start = rows.first?.milliseconds ?? 0
        let end = max(rows.last?.milliseconds ?? 1, start + 1)
        var highest = data.map { Int($0.sequence) + $0.length }.max() ?? 1
        let edges = acks.map { Int($0.acknowledgment!) + window($0) }
        highest = max(highest, edges.max() ?? 0, 1)
        let plotWidth = Double(Self.width - Self.left - Self.right), plotHeight = Double(Self.height - Self.top - Self.bottom)
        func x(_ ms: Double) -> Int { Self.left + Int(((ms - start) / (end - start) * plotWidth).rounded()) }
        func y(_ sequence: Int) -> Int { Self.top + Int((plotHeight - Double(sequence) / Double(highest) * plotHeight).rounded()) }

        let who = stream.direction == .clientToServer ? "client → server" : "server → client"
        let tag = stream.connection > 1 ? " (C\(stream.connection))" : ""
        var svg = "<svg class=\"tsg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(Self.height)\" width=\"\(Self.width)\" height=\"\(Self.height)\" role=\"img\" aria-label=\"time-sequence graph, \(who)\">"
        // Axes with a few ticks.
        svg += "<line class=\"axis\" x1=\"\(Self.left)\" y1=\"\(Self.height - Self.bottom)\" x2=\"\(Self.width - Self.right)\" y2=\"\(Self.height - Self.bottom)\"/>"
        svg += "<line class=\"axis\" x1=\"\(Self.left)\" y1=\"\(Self.top)\" x2=\"\(Self.left)\" y2=\"\(Self.height - Self.bottom)\"/>"
        for step in 0...4 {
            let ms = start + (end - start) * Double(step) / 4
            svg += "<text class=\"tick\" x=\"\(x(ms))\" y=\"\(Self.height - Self.bottom + 16)\" text-anchor=\"middle\">\(HTMLReport.milliseconds(ms))</text>"
            let sequence = highest * step / 4
            svg += "<text class=\"tick\" x=\"\(Self.left - 6)\" y=\"\(y(sequence) + 4)\" text-anchor=\"end\">\(sequence)</text>"
        }
        svg += "<text class=\"axis-title\" x=\"\((Self.left + Self.width - Self.right) / 2)\" y=\"\(Self.height - 8)\" text-anchor=\"middle\">time (ms since the first segment)</text>"
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(Self.top + Int(plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Self.top + Int(plotHeight / 2)))\">relative sequence number (bytes)</text>"
        // The ACK and window lines: steps, each value held until the next ACK.
        if !acks.isEmpty {
            var ack = "", edge = ""
            for (index, row) in acks.enumerated() {
                let next = index + 1 < acks.count ? acks[index + 1].milliseconds : end
                let a = y(Int(row.acknowledgment!)), w = y(Int(row.acknowledgment!) + window(row))
                ack += "\(index == 0 ? "M" : "L")\(x(row.milliseconds)),\(a) L\(x(next)),\(a) "
                edge += "\(index == 0 ? "M" : "L")\(x(row.milliseconds)),\(w) L\(x(next)),\(w) "
            }
            svg += "<path class=\"window-line\" d=\"\(edge)\"><title>advertised window edge (ACK + window)</title></path>"
            svg += "<path class=\"ack-line\" d=\"\(ack)\"><title>cumulative ACK</title></path>"
        }
        for row in data {
            let retransmitted = row.analysis.contains { $0.isRetransmission }
            let cx = x(row.milliseconds), y1 = y(Int(row.sequence)), y2 = y(Int(row.sequence) + row.length)
            svg += "<g class=\"data\(retransmitted ? " retransmission" : "")\" data-number=\"\(row.number)\"><title>\(HTMLEscape.text("#\(row.number) at \(HTMLReport.milliseconds(row.milliseconds)) ms: \(row.sequenceText) len \(row.length)\(row.analysis.map { " [\($0)]" }.joined())"))</title>"
            svg += "<line x1=\"\(cx)\" y1=\"\(y1)\" x2=\"\(cx)\" y2=\"\(y2)\"/><line x1=\"\(cx - 3)\" y1=\"\(y1)\" x2=\"\(cx + 3)\" y2=\"\(y1)\"/><line x1=\"\(cx - 3)\" y1=\"\(y2)\" x2=\"\(cx + 3)\" y2=\"\(y2)\"/></g>"
        }
        for row in acks where row.window == 0 {
            svg += "<circle class=\"zero-window\" cx=\"\(x(row.milliseconds))\" cy=\"\(y(Int(row.acknowledgment!)))\" r=\"4\"><title>#\(row.number) [TCP ZeroWindow]</title></circle>"
        }
        svg += "</svg>"
        let caption = "\(who)\(tag): data segments (I-beams, retransmissions red), the receiver's ACK (green) and its advertised window edge (orange)"
            + (scale == nil ? "; window scale unknown, raw window field" : "")
        return "<figure class=\"tsg\" data-connection=\"\(stream.connection)\">\(svg)<figcaption>\(HTMLEscape.text(caption))</figcaption></figure>"
    }

    /// The window `row` advertises, in bytes when the scale is known.
    private func window(_ row: SegmentRow) -> Int { Int(row.window) << (scale ?? 0) }
}

extension HTMLTimeSequence.Stream: Hashable {}

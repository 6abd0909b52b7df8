/// The ladder diagram as inline SVG for `tcplab report --html`: the same rows as the terminal
/// drawing (`Ladder`), with one lifeline per client role and one for the server, one sloping
/// arrow per segment (a `<g class="segment">` each, so a test can count them) with its capture
/// time and window, the steps beside their lifeline, the state changes the capture implies as
/// markers on the lifelines (`<g class="transition">`) and the /proc snapshots as boxes.
///
/// The picture is drawn at its natural size (monospace text at 12–13 px) and as wide as its
/// longest texts need: the page scrolls it sideways on a narrow screen instead of shrinking it,
/// so nothing is cut short with "…" for want of room.
public struct HTMLLadder: Sendable {
    /// Pixels per character of the 13 px monospace labels and of the 12 px step texts.
    static let labelCharWidth = 8.0, stepCharWidth = 7.4
    /// The left column: segment number, time and the gap since the previous segment.
    static let gutter = 132
    static let stepGap = 12
    /// Text longer than this is clipped even so (a 4 KB payload preview is not a label).
    static let maxChars = 160

    public let ladder: Ladder
    /// The x of each client lifeline, then the server's.
    let clientX: [Int]
    let serverX: Int
    public let width: Int

    public init(_ ladder: Ladder) {
        self.ladder = ladder
        func px(_ chars: Int, _ perChar: Double) -> Int { Int((Double(min(chars, Self.maxChars)) * perChar).rounded(.up)) }
        let lanes = ladder.clientLanes.count
        var stepWidth = Array(repeating: 0, count: lanes)
        var serverStep = 0, span = 0
        for row in ladder.rows {
            switch row {
            case .step(.client, let text, let lane):
                let lane = min(lane, lanes - 1)
                stepWidth[lane] = max(stepWidth[lane], px(Self.unprefixed(text, ladder, lane).count, Self.stepCharWidth))
            case .step(.server, let text, _): serverStep = max(serverStep, px(text.count, Self.stepCharWidth))
            case .arrow(let arrow):
                let label = Self.labelText(arrow, tag: ladder.tag(arrow.connection))
                span = max(span, px(label.count, Self.labelCharWidth), px(arrow.detail.count, Self.stepCharWidth + 0.2))
            case .transitions(let changes):
                let client = changes.filter { $0.side == .client }.map { $0.text().count + 4 }.reduce(0, +)
                let server = changes.filter { $0.side == .server }.map { $0.text().count + 4 }.reduce(0, +)
                span = max(span, px(client + server + 4, Self.stepCharWidth))
            case .states(let states):
                span = max(span, px(states.moment.count, Self.stepCharWidth) + 2 * 150)
            }
        }
        var x = Self.gutter
        var lines: [Int] = []
        for lane in 0..<lanes {
            x += max(lane == 0 ? 120 : 150, stepWidth[lane] + Self.stepGap + 8)
            lines.append(x)
        }
        clientX = lines
        serverX = x + max(440, span + 70)
        width = serverX + max(180, serverStep + Self.stepGap + 16)
    }

    /// `C2  P. 1:6 ack 1 len 5 "hello"  win 65536`.
    static func labelText(_ arrow: Ladder.Arrow, tag: String) -> String {
        (tag.isEmpty ? "" : tag + "  ") + arrow.label + (arrow.window.isEmpty ? "" : "  " + arrow.window)
    }

    /// A client step without its `client 2: ` prefix when the step sits on that client's own lifeline.
    static func unprefixed(_ text: String, _ ladder: Ladder, _ lane: Int) -> String {
        guard ladder.clientLanes.count > 1, lane < ladder.clientLanes.count else { return text }
        let prefix = ladder.clientLanes[lane] + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    func lane(of connection: Int) -> Int { min(ladder.laneOfConnection[connection] ?? 0, clientX.count - 1) }

    /// The `<svg>` element, with its own styles and arrow-head markers.
    public var svg: String {
        var body: [String] = []
        var y = 64
        var previous: Double?
        for row in ladder.rows {
            switch row {
            case .arrow(let arrow):
                body.append(draw(arrow, y: y + 8, gap: previous.map { arrow.milliseconds - $0 }))
                previous = arrow.milliseconds
                y += 52
            case .step(let side, let text, let lane):
                body.append(draw(step: text, side: side, lane: lane, y: y))
                y += 22
            case .transitions(let changes):
                body.append(draw(changes, y: y))
                y += 26
            case .states(let states):
                let (svg, height) = draw(states, y: y)
                body.append(svg)
                y += height
            }
        }
        let height = y + 16
        var out = """
        <svg class="ladder" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="ladder diagram">
        <defs>
        """
        for kind in ["syn", "fin", "rst", "data", "ack"] {
            out += "<marker id=\"head-\(kind)\" class=\"head \(kind)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"13\" markerHeight=\"13\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        }
        out += "</defs>\n"
        let titles = clientX.count > 1 ? ladder.clientLanes : [ladder.clientTitle]
        for (index, x) in clientX.enumerated() {
            out += "<text class=\"title\" x=\"\(x)\" y=\"22\" text-anchor=\"middle\">\(e(titles[min(index, titles.count - 1)]))</text>\n"
            out += "<line class=\"lifeline\" x1=\"\(x)\" y1=\"32\" x2=\"\(x)\" y2=\"\(height - 8)\"/>\n"
        }
        out += "<text class=\"title\" x=\"\(serverX)\" y=\"22\" text-anchor=\"middle\">\(e(ladder.serverTitle))</text>\n"
        out += "<line class=\"lifeline\" x1=\"\(serverX)\" y1=\"32\" x2=\"\(serverX)\" y2=\"\(height - 8)\"/>\n"
        out += "<text class=\"gutter-title\" x=\"8\" y=\"22\">#  t ms</text>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>"
        return out
    }

    private func draw(_ arrow: Ladder.Arrow, y: Int, gap: Double?) -> String {
        let client = clientX[lane(of: arrow.connection)]
        let (from, to) = arrow.from == .client ? (client, serverX) : (serverX, client)
        // The arrow slopes down: the segment arrives after it left.
        let y1 = y, y2 = y + 12
        let mid = (client + serverX) / 2
        let label = LadderText.clipped(Self.labelText(arrow, tag: ladder.tag(arrow.connection)), to: Self.maxChars, ellipsis: "…")
        let detail = LadderText.clipped(arrow.detail, to: Self.maxChars, ellipsis: "…")
        let time = HTMLReport.milliseconds(arrow.milliseconds)
        var out = "<g class=\"segment \(arrow.kind.rawValue)\" data-number=\"\(arrow.number)\" data-connection=\"\(arrow.connection)\" data-ms=\"\(time)\">"
        out += "<title>\(e("#\(arrow.number) at \(time) ms: \(arrow.label)  \(arrow.window)  \(arrow.detail)"))</title>"
        out += "<text class=\"number\" x=\"8\" y=\"\(y + 4)\">#\(arrow.number)</text>"
        out += "<text class=\"time\" x=\"44\" y=\"\(y + 4)\">\(time)</text>"
        if let gap, gap >= 1 {
            out += "<text class=\"gap\" x=\"44\" y=\"\(y + 19)\">+\(e(Self.gapText(gap))) ms</text>"
        }
        out += "<line class=\"arrow\" x1=\"\(from)\" y1=\"\(y1)\" x2=\"\(to)\" y2=\"\(y2)\" marker-end=\"url(#head-\(arrow.kind.rawValue))\"/>"
        out += "<text class=\"label\" x=\"\(mid)\" y=\"\(y - 4)\" text-anchor=\"middle\">\(e(label))</text>"
        if !detail.isEmpty {
            out += "<text class=\"detail\" x=\"\(mid)\" y=\"\(y + 27)\" text-anchor=\"middle\">\(e(detail))</text>"
        }
        return out + "</g>"
    }

    /// `40.1`, `1.23`: the gap since the previous segment, three significant digits or so.
    static func gapText(_ milliseconds: Double) -> String {
        let tenths = Int((milliseconds * 10).rounded())
        return milliseconds >= 10 ? "\(tenths / 10).\(tenths % 10)" : HTMLReport.milliseconds(milliseconds)
    }

    private func draw(step text: String, side: Ladder.Side, lane: Int, y: Int) -> String {
        let text = side == .client ? Self.unprefixed(text, ladder, lane) : text
        let clipped = LadderText.clipped(text, to: Self.maxChars, ellipsis: "…")
        let line = side == .client ? clientX[min(lane, clientX.count - 1)] : serverX
        let (x, anchor) = side == .client ? (line - Self.stepGap, "end") : (serverX + Self.stepGap, "start")
        return "<g class=\"step \(side.rawValue)\"><title>\(e(text))</title>"
            + "<circle class=\"tick\" cx=\"\(line)\" cy=\"\(y + 6)\" r=\"3\"/>"
            + "<text class=\"call\" x=\"\(x)\" y=\"\(y + 10)\" text-anchor=\"\(anchor)\">\(e(clipped))</text></g>"
    }

    /// A marker on each lifeline that changed state, its text inside the lifelines:
    /// `◆ ESTABLISHED → FIN_WAIT1`.
    private func draw(_ changes: [Ladder.StateChange], y: Int) -> String {
        var out = ""
        var offset: [Ladder.Side: Int] = [:]
        for change in changes {
            let tag = ladder.tag(change.connection)
            let words = tag.isEmpty ? change.text() : "\(tag) \(change.text())"
            let line = change.side == .client ? clientX[lane(of: change.connection)] : serverX
            let shift = offset[change.side, default: 0]
            let textWidth = Int(Double(words.count) * Self.stepCharWidth) + 8
            offset[change.side] = shift + textWidth + 16
            let (x, anchor) = change.side == .client ? (line + 10 + shift, "start") : (line - 10 - shift, "end")
            out += "<g class=\"transition \(change.side.rawValue)\" data-connection=\"\(change.connection)\" data-from=\"\(change.from.ladderName)\" data-to=\"\(change.to.ladderName)\">"
            out += "<title>\(e(words))</title>"
            out += "<rect class=\"transition-mark\" x=\"\(line - 5)\" y=\"\(y + 6)\" width=\"10\" height=\"10\" transform=\"rotate(45 \(line) \(y + 11))\"/>"
            out += "<text class=\"transition\" x=\"\(x)\" y=\"\(y + 15)\" text-anchor=\"\(anchor)\">\(e(words))</text></g>"
        }
        return out
    }

    /// A box per socket on its lifeline, the moment between them; one line per connection.
    private func draw(_ states: Ladder.States, y: Int) -> (String, Int) {
        let first = states.pairs.first.map { clientX[lane(of: $0.connection)] } ?? clientX[0]
        let mid = (first + serverX) / 2
        var out = "<g class=\"states\"><text class=\"moment\" x=\"\(mid)\" y=\"\(y + 15)\" text-anchor=\"middle\">\(e(states.moment))</text>"
        var line = y
        for pair in states.pairs {
            let tag = ladder.tag(pair.connection)
            out += box(tag.isEmpty ? pair.client : "\(tag) \(pair.client)", x: clientX[lane(of: pair.connection)], y: line)
            out += box(tag.isEmpty ? pair.server : "\(pair.server) \(tag)", x: serverX, y: line)
            line += 26
        }
        out += "</g>"
        return (out, max(line - y, 26) + 6)
    }

    private func box(_ state: String, x: Int, y: Int) -> String {
        let width = state.count * 8 + 16
        return "<rect class=\"state\" x=\"\(x - width / 2)\" y=\"\(y + 2)\" width=\"\(width)\" height=\"20\" rx=\"6\"/>"
            + "<text class=\"state\" x=\"\(x)\" y=\"\(y + 16)\" text-anchor=\"middle\">\(e(state))</text>"
    }

    private func e(_ text: String) -> String { HTMLEscape.text(text) }
}

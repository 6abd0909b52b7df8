/// The ladder diagram as inline SVG for `tcplab report --html`: the same rows as the terminal
/// drawing (`Ladder`), with the client's and the server's lifelines, one sloping arrow per segment
/// (a `<g class="segment">` each, so a test can count them), the steps beside their lifeline and
/// the socket states as boxes on the lifelines.
public struct HTMLLadder: Sendable {
    // Geometry in SVG user units; the page scales the whole picture to its width.
    static let width = 1200
    static let clientX = 360, serverX = 840
    static let stepGap = 12
    /// Characters of monospace text that fit beside a lifeline.
    static let stepChars = 46
    /// Characters of arrow label that fit between the lifelines.
    static let labelChars = 62

    public let ladder: Ladder

    public init(_ ladder: Ladder) { self.ladder = ladder }

    /// The `<svg>` element, with its own styles and arrow-head markers.
    public var svg: String {
        var body: [String] = []
        var y = 64
        for row in ladder.rows {
            switch row {
            case .arrow(let arrow):
                body.append(draw(arrow, y: y + 8))
                y += 50
            case .step(let side, let text):
                body.append(draw(step: text, side: side, y: y))
                y += 22
            case .states(let states):
                let (svg, height) = draw(states, y: y)
                body.append(svg)
                y += height
            }
        }
        let height = y + 16
        let x1 = Self.clientX, x2 = Self.serverX
        var out = """
        <svg class="ladder" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Self.width) \(height)" width="\(Self.width)" height="\(height)" role="img" aria-label="ladder diagram">
        <defs>
        """
        for kind in ["syn", "fin", "rst", "data", "ack"] {
            out += "<marker id=\"head-\(kind)\" class=\"head \(kind)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"13\" markerHeight=\"13\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        }
        out += "</defs>\n"
        out += "<text class=\"title\" x=\"\(x1)\" y=\"22\" text-anchor=\"middle\">\(e(ladder.clientTitle))</text>\n"
        out += "<text class=\"title\" x=\"\(x2)\" y=\"22\" text-anchor=\"middle\">\(e(ladder.serverTitle))</text>\n"
        out += "<line class=\"lifeline\" x1=\"\(x1)\" y1=\"32\" x2=\"\(x1)\" y2=\"\(height - 8)\"/>\n"
        out += "<line class=\"lifeline\" x1=\"\(x2)\" y1=\"32\" x2=\"\(x2)\" y2=\"\(height - 8)\"/>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>"
        return out
    }

    private func draw(_ arrow: Ladder.Arrow, y: Int) -> String {
        let (from, to) = arrow.from == .client ? (Self.clientX, Self.serverX) : (Self.serverX, Self.clientX)
        // The arrow slopes down: the segment arrives after it left.
        let y1 = y, y2 = y + 12
        let mid = (Self.clientX + Self.serverX) / 2
        let tag = ladder.tag(arrow.connection)
        let label = LadderText.clipped((tag.isEmpty ? "" : tag + "  ") + arrow.label, to: Self.labelChars, ellipsis: "…")
        let detail = LadderText.clipped(arrow.detail, to: Self.labelChars + 8, ellipsis: "…")
        var out = "<g class=\"segment \(arrow.kind.rawValue)\" data-number=\"\(arrow.number)\" data-connection=\"\(arrow.connection)\">"
        out += "<title>\(e("#\(arrow.number) \(arrow.label)  \(arrow.detail)"))</title>"
        out += "<text class=\"number\" x=\"\(Self.clientX - Self.stepGap)\" y=\"\(y + 10)\" text-anchor=\"end\">#\(arrow.number)</text>"
        out += "<line class=\"arrow\" x1=\"\(from)\" y1=\"\(y1)\" x2=\"\(to)\" y2=\"\(y2)\" marker-end=\"url(#head-\(arrow.kind.rawValue))\"/>"
        out += "<text class=\"label\" x=\"\(mid)\" y=\"\(y - 4)\" text-anchor=\"middle\">\(e(label))</text>"
        if !detail.isEmpty {
            out += "<text class=\"detail\" x=\"\(mid)\" y=\"\(y + 27)\" text-anchor=\"middle\">\(e(detail))</text>"
        }
        return out + "</g>"
    }

    private func draw(step text: String, side: Ladder.Side, y: Int) -> String {
        let clipped = LadderText.clipped(text, to: Self.stepChars, ellipsis: "…")
        let (x, anchor, tick) = side == .client
            ? (Self.clientX - Self.stepGap, "end", Self.clientX) : (Self.serverX + Self.stepGap, "start", Self.serverX)
        return "<g class=\"step \(side.rawValue)\"><title>\(e(text))</title>"
            + "<circle class=\"tick\" cx=\"\(tick)\" cy=\"\(y + 6)\" r=\"3\"/>"
            + "<text class=\"call\" x=\"\(x)\" y=\"\(y + 10)\" text-anchor=\"\(anchor)\">\(e(clipped))</text></g>"
    }

    /// A box per socket on its lifeline, the moment between them; one line per connection.
    private func draw(_ states: Ladder.States, y: Int) -> (String, Int) {
        let mid = (Self.clientX + Self.serverX) / 2
        var out = "<g class=\"states\"><text class=\"moment\" x=\"\(mid)\" y=\"\(y + 15)\" text-anchor=\"middle\">\(e(states.moment))</text>"
        var line = y
        for pair in states.pairs {
            let tag = ladder.tag(pair.connection)
            out += box(tag.isEmpty ? pair.client : "\(tag) \(pair.client)", x: Self.clientX, y: line)
            out += box(tag.isEmpty ? pair.server : "\(pair.server) \(tag)", x: Self.serverX, y: line)
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

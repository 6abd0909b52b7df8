/// How a ladder is drawn in the terminal: box-drawing characters, or plain ASCII (`--ascii`).
public enum LadderStyle: Sendable, Equatable { case unicode, ascii }

/// Draws a `Ladder` for the terminal at a fixed width: the segment number in a left gutter (and
/// the connection, `C2`, when there are several), the client's lifeline, the arrows, the server's
/// lifeline at the right edge. Box-drawing characters by default; `ascii` for terminals and
/// printers without them.
public struct LadderText: Sendable {
    /// The characters a ladder is drawn with.
    struct Pen: Sendable {
        var line: Character, shaft: Character, right: Character, left: Character, dot: Character
        var ellipsis: String
        /// Between two state names (`ESTABLISHED → FIN_WAIT1`), and what marks a state change.
        var to: String, mark: Character

        static let unicode = Pen(line: "│", shaft: "─", right: "▶", left: "◀", dot: "·", ellipsis: "…", to: "→", mark: "◆")
        static let ascii = Pen(line: "|", shaft: "-", right: ">", left: "<", dot: ".", ellipsis: "~", to: "->", mark: "*")
    }

    public var width: Int
    let pen: Pen
    /// Columns before the client's lifeline: `  12 ` or `  12 C2  `.
    let gutter: Int

    /// A drawer for `ladder`, `width` columns wide (at least 60).
    public init(_ ladder: Ladder, width: Int = 100, style: LadderStyle = .unicode) {
        self.width = max(width, 60)
        pen = style == .ascii ? .ascii : .unicode
        gutter = ladder.connectionCount > 1 ? 9 : 5
    }

    /// Columns between the two lifelines.
    var inside: Int { width - gutter - 2 }

    /// The whole diagram, one string per line, none longer than `width`.
    public func lines(_ ladder: Ladder) -> [String] {
        var lines = ladder.legend.map { "  " + $0 }
        let titles = LadderText.clipped(ladder.clientTitle, to: inside / 2, ellipsis: pen.ellipsis)
        let serverTitle = LadderText.clipped(ladder.serverTitle, to: inside / 2, ellipsis: pen.ellipsis)
        lines.append(pad("", gutter) + titles + pad("", width - gutter - titles.count - serverTitle.count) + serverTitle)
        lines.append(lifelines(""))
        for row in ladder.rows {
            switch row {
            case .arrow(let arrow): lines.append(draw(arrow, tag: ladder.tag(arrow.connection)))
            case .step(.client, let text, _): lines.append(lifelines(" " + clip(text, inside - 2)))
            case .step(.server, let text, _):
                let text = clip(text, inside - 2)
                lines.append(lifelines(pad("", inside - text.count - 1) + text + " "))
            case .states(let states): lines += draw(states, tag: ladder.tag)
            case .transitions(let changes): lines.append(draw(changes, tag: ladder.tag))
            }
        }
        lines.append(lifelines(""))
        return lines
    }

    /// The diagram as one text, each line ended by a newline.
    public func render(_ ladder: Ladder) -> String { lines(ladder).map { $0 + "\n" }.joined() }

    private func draw(_ arrow: Ladder.Arrow, tag: String) -> String {
        let number = String(arrow.number)
        var head = pad("", max(0, 4 - number.count)) + number + " "
        if gutter > 5 { head += pad(tag, 4) }
        let shaft = String(pen.shaft)
        // The label sits at the tail, the meaning near the head, at least 3 shaft characters apart.
        let label = clip(arrow.label, inside - 9)
        let room = inside - label.count - 11
        let detail = room >= 4 ? clip(arrow.detail, room) : ""
        let fixed = label.count + (detail.isEmpty ? 0 : detail.count + 2) + 6
        let fill = String(repeating: shaft, count: max(3, inside - fixed))
        let body: String
        if arrow.from == .client {
            body = shaft + " " + label + " " + fill + (detail.isEmpty ? "" : " " + detail + " ") + shaft + shaft + String(pen.right)
        } else {
            body = String(pen.left) + shaft + shaft + (detail.isEmpty ? "" : " " + detail + " ") + fill + " " + label + " " + shaft
        }
        return head + String(pen.line) + body + String(pen.line)
    }

    /// The state changes one segment caused, on one line: the client's at the left lifeline, the
    /// server's at the right one, each `ESTABLISHED → FIN_WAIT1`.
    private func draw(_ changes: [Ladder.StateChange], tag: (Int) -> String) -> String {
        func text(_ side: Ladder.Side) -> String {
            changes.filter { $0.side == side }.map { change in
                let name = tag(change.connection)
                let words = change.text(arrow: pen.to)
                return name.isEmpty ? words : side == .client ? "\(name) \(words)" : "\(words) \(name)"
            }.joined(separator: ", ")
        }
        let client = text(.client), server = text(.server)
        let mark = String(pen.mark)
        let left = client.isEmpty ? "" : "\(mark) " + client
        let right = server.isEmpty ? "" : server + " \(mark)"
        let room = inside - 2
        if left.count + right.count + 2 <= room {
            return lifelines(" " + left + pad("", room - left.count - right.count) + right + " ")
        }
        // Too long for one line: the shorter side keeps its text, the longer one gets the rest.
        let half = room / 2 - 1
        let r = clip(right, left.count <= half ? room - left.count - 2 : max(half, room - left.count - 2))
        let l = clip(left, room - r.count - 2)
        return lifelines(" " + l + pad("", room - l.count - r.count) + r + " ")
    }

    /// One line per connection, the moment in the middle of the first; a snapshot taken before
    /// any connection began shows the moment alone.
    private func draw(_ states: Ladder.States, tag: (Int) -> String) -> [String] {
        guard !states.pairs.isEmpty else { return [draw(client: "", states.moment, server: "")] }
        return states.pairs.enumerated().map { index, pair in
            let name = tag(pair.connection)
            return draw(client: name.isEmpty ? pair.client : "\(name) \(pair.client)",
                        index == 0 ? states.moment : "",
                        server: name.isEmpty ? pair.server : "\(pair.server) \(name)")
        }
    }

    private func draw(client: String, _ moment: String, server: String) -> String {
        let dot = String(pen.dot)
        let client = clip(client, inside / 3), server = clip(server, inside / 3)
        let room = inside - client.count - server.count - 4
        let moment = room >= 8 ? clip(moment, room - 4) : ""
        let dots = max(0, room - (moment.isEmpty ? 0 : moment.count + 2))
        let before = dots / 2, after = dots - dots / 2
        let middle = String(repeating: dot, count: before) + (moment.isEmpty ? "" : " \(moment) ") + String(repeating: dot, count: after)
        return lifelines(" " + client + " " + middle + " " + server + " ")
    }

    /// Both lifelines with `inner` between them (padded to fit).
    private func lifelines(_ inner: String) -> String {
        pad("", gutter) + String(pen.line) + pad(inner, inside) + String(pen.line)
    }

    private func clip(_ text: String, _ limit: Int) -> String { LadderText.clipped(text, to: limit, ellipsis: pen.ellipsis) }

    private func pad(_ text: String, _ count: Int) -> String {
        text.count >= count ? text : text + String(repeating: " ", count: count - text.count)
    }

    /// `text` cut to at most `limit` characters, ending in `ellipsis` when it was cut.
    static func clipped(_ text: String, to limit: Int, ellipsis: String) -> String {
        guard text.count > limit else { return text }
        guard limit > ellipsis.count else { return String(text.prefix(max(0, limit))) }
        return String(text.prefix(limit - ellipsis.count)) + ellipsis
    }
}

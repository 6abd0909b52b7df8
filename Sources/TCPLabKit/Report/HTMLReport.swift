/// A saved run as one self-contained HTML page (`tcplab report RUN.json --html OUT.html`): the
/// run's facts, the ladder diagram as inline SVG, the segment table and the claims with their
/// verdicts. Styles are inline and nothing is loaded from elsewhere, so the page opens offline,
/// from a mail attachment or a learning platform, exactly as it was written.
public struct HTMLReport: Sendable {
    public let report: RunReport

    public init(_ report: RunReport) { self.report = report }

    /// The whole page.
    public var page: String {
        let title = "tcplab: \(report.scenario) (\(report.variant))"
        let held = report.claims.filter(\.holds).count
        let verdict = report.passed
            ? "all \(report.claims.count) claims hold"
            : "\(report.claims.count - held) of \(report.claims.count) claims do not hold"
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))</title>
        <style>\(HTMLReport.style)</style>
        </head>
        <body>
        <header>
        <h1>\(e(report.scenario)) <span class="variant">\(e(report.variant))</span></h1>
        <p class="verdict \(report.passed ? "pass" : "fail")">\(e(verdict))</p>
        <dl class="facts">
        <dt>server</dt><dd>\(e(report.server))</dd>
        <dt>network</dt><dd>\(e(report.network))</dd>
        <dt>segments</dt><dd>\(report.segments.count)</dd>

        """
        if let pcap = report.pcap { html += "<dt>capture</dt><dd><code>\(e(pcap))</code></dd>\n" }
        html += "</dl>\n"
        if let error = report.error { html += "<p class=\"error\">run stopped: \(e(error))</p>\n" }
        html += "</header>\n"
        html += "<section id=\"ladder\"><h2>Ladder diagram</h2>\n"
        html += "<p class=\"legend\"><span class=\"key syn\">SYN</span><span class=\"key data\">data</span><span class=\"key ack\">ACK</span><span class=\"key fin\">FIN</span><span class=\"key rst\">RST</span> client steps on the left, server steps on the right, each result where its call returned (a call that segments fell into shows its start, <code>connect(…) ...</code>, and its result, <code>... connect = 0</code>, as strace does); diamonds mark the TCP state changes the capture implies (RFC 9293), boxes are socket states as /proc/net/tcp listed them (<code>gone</code>: no longer listed; Linux never lists a CLOSED socket); each arrow has its capture time (ms since the first segment, and the gap since the one before) and the window it advertises</p>\n"
        let ladder = Ladder(report: report)
        if !ladder.legend.isEmpty {
            html += "<ul class=\"connections\">" + ladder.legend.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        }
        html += "<div class=\"diagram\">" + HTMLLadder(ladder).svg + "</div></section>\n"
        let graphs = HTMLTimeSequence.graphs(report.segments)
        if !graphs.isEmpty {
            html += "<section id=\"time-sequence\"><h2>Time-sequence graph</h2>\n<div class=\"diagram\">"
                + graphs.map(\.figure).joined(separator: "\n") + "</div></section>\n"
        }
        html += HTMLSnapshots(report).section
        html += claims
        html += segments
        html += "<footer>written by tcplab report from a saved run (tcplab scenario \(e(report.scenario)) --variant \(e(report.variant)) --json)</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    private var claims: String {
        var html = "<section id=\"claims\"><h2>Claims</h2>\n<ul class=\"claims\">\n"
        for claim in report.claims {
            html += "<li class=\"claim \(claim.holds ? "holds" : "fails")\" data-id=\"\(e(claim.id))\">"
            html += "<span class=\"badge\">\(claim.holds ? "ok" : "FAIL")</span> "
            html += "<span class=\"statement\">\(e(claim.statement))</span>"
            html += "<div class=\"evidence\">\(e(claim.evidence))</div></li>\n"
        }
        return html + "</ul></section>\n"
    }

    private var segments: String {
        var html = "<section id=\"segments\"><h2>Segments</h2>\n<table class=\"segments\">\n"
        html += "<thead><tr><th>#</th><th>t ms</th><th>who</th><th>flags</th><th>seq</th><th>ack</th><th>len</th><th>win</th><th>what</th></tr></thead>\n<tbody>\n"
        let scales = LadderChanges(report.segments, snapshots: []).scales
        for row in report.segments {
            var what: [String] = []
            if let preview = row.payloadPreview { what.append(preview) }
            if !row.annotation.isEmpty { what.append(row.annotation) }
            // The padding left out, as in the timeline.
            let options = row.options.filter { !TCPOption.isPaddingText($0) }
            if !options.isEmpty { what.append(options.joined(separator: ", ")) }
            // The annotation already carries the analysis flags (`[TCP Dup ACK 7#1] ACK = …`).
            let cells = [String(row.number), Self.milliseconds(row.milliseconds), row.who, row.flags, row.sequenceText,
                         row.acknowledgment.map(String.init) ?? "", String(row.length), Self.window(row, scales: scales),
                         what.joined(separator: "  ")]
            html += "<tr class=\"\(Ladder.Arrow(row).kind.rawValue)\">" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// `65536 (64 × 1024)` when the connection's window scale is known (RFC 7323; a SYN's window
    /// is never scaled), else the raw field.
    static func window(_ row: SegmentRow, scales: [Int: [Ladder.Side: Int]]) -> String {
        let side: Ladder.Side = row.direction == .clientToServer ? .client : .server
        guard let shift = scales[row.connection]?[side], shift > 0, !row.flags.contains("S") else { return String(row.window) }
        return "\(Int(row.window) << shift) (\(row.window) × \(1 << shift))"
    }

    /// `1.271`: three decimals, as the timeline prints them.
    static func milliseconds(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    private func e(_ text: String) -> String { HTMLEscape.text(text) }
}

import Foundation
import Testing
@testable import TCPLabKit

/// The HTML page and its SVG, from a recorded run: self-contained, escaped, one arrow per segment.
@Suite struct HTMLReportTests {
    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func oneArrowGroupPerSegmentAndEveryClaimListed() throws {
        let report = try recordedRun("broken-pipe")
        let page = HTMLReport(report).page
        #expect(count("<g class=\"segment ", in: page) == report.segments.count)
        #expect(count("<li class=\"claim ", in: page) == report.claims.count)
        for claim in report.claims { #expect(page.contains("data-id=\"\(claim.id)\"")) }
        let table = try #require(page.components(separatedBy: "<section id=\"segments\">").last)
        #expect(count("<tr class=", in: table) == report.segments.count)
        #expect(page.contains("<g class=\"segment rst\" data-number=\"11\""))
    }

    @Test func nothingIsLoadedFromElsewhere() throws {
        let page = HTMLReport(try recordedRun("iterative")).page
        for external in ["<link", "<script", "src=", "@import", "url(http", "href=\"http"] {
            #expect(!page.contains(external), "page refers to something outside itself: \(external)")
        }
    }

    @Test func textFromTheProgramsIsEscaped() throws {
        var report = try recordedRun("broken-pipe")
        report.steps[0].text = "send(\"<script>alert('x')</script> & more\")"
        report.claims[0].evidence = "<b>bold</b>"
        report.segments[3].payloadPreview = "\"</text><svg>\""
        let page = HTMLReport(report).page
        #expect(!page.contains("<script>") && !page.contains("<b>bold") && !page.contains("</text><svg>"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
        #expect(HTMLEscape.text("a\u{1}b") == "a\u{FFFD}b")
    }

    @Test func verdictSaysWhatFailed() throws {
        var report = try recordedRun("broken-pipe")
        report.claims[1].holds = false
        report.passed = false
        let page = HTMLReport(report).page
        #expect(page.contains("1 of 6 claims do not hold"))
        #expect(count("claim fails", in: page) == 1)
    }

    @Test func milliseconds() {
        #expect(HTMLReport.milliseconds(0) == "0.000")
        #expect(HTMLReport.milliseconds(1.2705) == "1.271" || HTMLReport.milliseconds(1.2705) == "1.270")
        #expect(HTMLReport.milliseconds(58.04) == "58.040")
    }

    @Test func savedRunErrorsAreOneLine() throws {
        func message(_ text: String) -> String {
            do { _ = try RunReport.decode(Data(text.utf8), name: "RUN.json"); return "" } catch { return error.description }
        }
        #expect(message("{").hasSuffix("it is not valid JSON"))
        #expect(message("[]").contains("it holds a list"))
        #expect(message("{\"scenario\": \"x\"}").contains("is missing"))
        #expect(!message("{").contains("\n"))
        do { _ = try RunReport.load(path: "/nonexistent/run.json"); Issue.record("loaded a missing file") } catch {
            #expect(error.description.contains("no such file"))
        }
    }
}

/// What the HTML report adds to the terminal's ladder: every table the terminal printed, the
/// state changes, times and windows on the arrows, a natural-size SVG, the time-sequence graph.
@Suite struct HTMLReportStoryTests {
    static func reference(_ name: String) throws -> RunReport {
        try RecordedRun(jsonPath: capturesDirectory.appendingPathComponent("reference/\(name).json").path).report
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func zombieReportHasTheProcessTablesAndTheKillLines() throws {
        let report = try Self.reference("zombie-no-reap")
        let page = HTMLReport(report).page
        let tables = report.notes.compactMap(\.processes)
        #expect(count("<div class=\"snapshot processes\"", in: page) == tables.count)
        #expect(count("<tr class=\"process zombie\"", in: page) == tables.flatMap(\.rows).filter(\.process.isZombie).count)
        #expect(count("<tr class=\"process zombie\"", in: page) > 0)
        #expect(page.contains("kill(10318, SIGKILL) = 0"))
        #expect(count("<div class=\"snapshot sockets\"", in: page) == report.snapshots.count)
    }

    @Test func stateChangesTimesAndWindowsAreOnTheLadder() throws {
        let page = HTMLReport(try Self.reference("close-states-client-first")).page
        for state in ["SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE_WAIT", "LAST_ACK"] {
            #expect(page.contains("data-to=\"\(state)\""), "no change to \(state)")
        }
        // Boxes are /proc: a socket no longer listed is gone, never CLOSED (Labs/02-close-states.md).
        #expect(!page.contains(">CLOSED</text>") && page.contains(">gone</text>"))
        #expect(page.contains("data-ms=\"0.000\"") && page.contains("win 65536"))
    }

    /// Each arrow carries the gap since the segment before when it is 1 ms or more: a delayed
    /// ACK's 40 ms, or here the 5 ms each segment waits on nagle's rate-limited lo.
    @Test func gapsBetweenSegmentsAreShown() throws {
        let report = try Self.reference("nagle-nagle")
        let svg = HTMLLadder(Ladder(report: report)).svg
        let times = report.segments.map(\.milliseconds)
        let expected = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 >= 1 }.map { "+\(HTMLLadder.gapText($0)) ms" }
        let shown = svg.components(separatedBy: "<text class=\"gap\"").dropFirst().compactMap { part in
            part.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init)
        }
        #expect(!expected.isEmpty && shown == expected)
    }

    @Test func ladderIsDrawnAtNaturalSizeWithoutClipping() throws {
        let report = try Self.reference("close-states-client-first")
        let ladder = HTMLLadder(Ladder(report: report))
        #expect(ladder.svg.contains("viewBox=\"0 0 \(ladder.width) ") && ladder.svg.contains("width=\"\(ladder.width)\""))
        #expect(!ladder.svg.contains("…"))
        #expect(HTMLReport.style.contains("max-width: none"))
    }

    @Test func severalClientsGetTheirOwnLifelines() throws {
        let ladder = Ladder(report: try Self.reference("zombie-no-reap"))
        #expect(ladder.clientLanes == ["client 1", "client 2", "client 3"])
        #expect(Set(ladder.laneOfConnection.values) == [0, 1, 2])
        #expect(count("<line class=\"lifeline\"", in: HTMLLadder(ladder).svg) == 4)
    }

    @Test func timeSequenceGraphOnlyForRetransmissionsOrZeroWindows() throws {
        var report = try Self.reference("broken-pipe-default")
        #expect(HTMLTimeSequence.graphs(report.segments).isEmpty)
        #expect(!HTMLReport(report).page.contains("id=\"time-sequence\""))
        // The capture as it would be had haha been lost and sent again 200 ms later.
        var resent = report.segments[3]
        resent.number = 99
        resent.time += 200_000
        resent.milliseconds += 200
        resent.analysis = [.retransmission]
        report.segments.insert(resent, at: 4)
        let graphs = HTMLTimeSequence.graphs(report.segments)
        #expect(graphs.count == 2 && graphs[0].stream.direction == .clientToServer)
        let figure = graphs[0].figure
        #expect(count("<g class=\"data retransmission\"", in: figure) == 1)
        #expect(figure.contains("class=\"ack-line\"") && figure.contains("class=\"window-line\""))
        #expect(HTMLReport(report).page.contains("id=\"time-sequence\""))
    }
}

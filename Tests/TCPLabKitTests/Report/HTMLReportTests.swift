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

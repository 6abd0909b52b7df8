import Foundation
import TCPLabKit
import Testing

/// Every registered scenario (`ScenarioCatalog`, so scenarios added later are covered too): a live
/// run of its default variant turned into `tcplab report --html` and opened in headless Chromium
/// at 800 px wide. The DOM Chromium built must hold everything the terminal showed (an arrow per
/// segment, every claim, every socket table, every process table with its zombie rows, every line
/// the lab added such as its kill() calls), the state changes on the ladder, no box saying CLOSED
/// (Linux never lists one), the ladder at its natural size; and the screenshot must not be blank.
extension Live {
    @Suite(.timeLimit(.minutes(3)),
           .enabled(if: Browser.installed, "chromium is not installed (apt-get install chromium, or scripts/setup.sh)"))
    struct HTMLReportEveryScenarioBrowserTests {
        static let scenarios = ScenarioCatalog.infos.map(\.name)

        @Test(arguments: scenarios)
        func reportShowsWhatTheTerminalShowed(scenario: String) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-html-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let runFile = directory.appendingPathComponent("run.json"), page = directory.appendingPathComponent("report.html")

            let live = try TCPLabProcess.run(["scenario", scenario, "--json", "--pcap", directory.appendingPathComponent("run.pcap").path])
            #expect(live.status == 0, "\(scenario): exit \(live.status), stderr: \(live.stderr)")
            try Data(live.stdout.utf8).write(to: runFile)
            let report = try RunReport.decode(Data(live.stdout.utf8), name: "run.json")
            // states-match-capture is made where the run recorded a socket table, and must hold.
            let agreement = report.claims.first { $0.id == StateAgreement.id }
            #expect((agreement != nil) == !report.snapshots.isEmpty, "\(scenario): states-match-capture made without a table, or missing")
            #expect(agreement?.holds != false, "\(scenario): \(agreement?.evidence ?? "")")
            let written = try TCPLabProcess.run(["report", runFile.path, "--html", page.path])
            #expect(written.status == 0, "stderr: \(written.stderr)")

            let dom = try Browser.run(["--window-size=800,1600", "--dump-dom", page.absoluteString], in: directory).stdout
            func count(_ needle: String) -> Int { Browser.count(needle, in: dom) }
            #expect(count("<g class=\"segment ") == report.segments.count, "\(scenario): arrows in the DOM")
            #expect(count("<li class=\"claim ") == report.claims.count, "\(scenario): claims in the DOM")
            #expect(count("<div class=\"snapshot sockets\"") == report.snapshots.count, "\(scenario): socket tables in the DOM")
            let tables = report.notes.compactMap(\.processes)
            #expect(count("<div class=\"snapshot processes\"") == tables.count, "\(scenario): process tables in the DOM")
            let zombies = tables.flatMap(\.rows).filter(\.process.isZombie).count
            #expect(count("<tr class=\"process zombie\"") == zombies, "\(scenario): zombie rows in the DOM")
            for note in report.notes where note.processes == nil {
                // As Chromium serializes a text node: only &, < and > escaped.
                let text = note.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                #expect(dom.contains(text), "\(scenario): the lab's line is missing: \(note.text)")
            }
            if scenario == "zombie" {
                #expect(zombies > 0 && dom.contains("kill("), "the zombie report must show the zombie rows and the kill lines")
            }
            if report.segments.contains(where: { $0.flags.hasPrefix("S") }) {
                #expect(count("<g class=\"transition ") > 0, "\(scenario): no state change drawn")
            }
            #expect(!dom.contains(">CLOSED</text>"), "\(scenario): a state box says CLOSED")
            // Natural size: the SVG is as wide as its viewBox, the page scrolls it, and the text stays 12–13 px.
            let svgTag = try #require(dom.components(separatedBy: "<svg class=\"ladder\"").dropFirst().first?.prefix { $0 != ">" })
            let width = try #require(svgTag.components(separatedBy: "width=\"").dropFirst().first?.prefix { $0 != "\"" })
            #expect(svgTag.contains("viewBox=\"0 0 \(width) "), "\(scenario): the ladder is scaled: \(svgTag)")

            let screenshot = directory.appendingPathComponent("report.png"), blank = directory.appendingPathComponent("blank.png")
            let blankPage = directory.appendingPathComponent("blank.html")
            try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blankPage)
            _ = try Browser.run(["--screenshot=\(screenshot.path)", "--window-size=800,1600", page.absoluteString], in: directory)
            _ = try Browser.run(["--screenshot=\(blank.path)", "--window-size=800,1600", blankPage.absoluteString], in: directory)
            let shot = try PNGSummary(Data(contentsOf: screenshot)), empty = try PNGSummary(Data(contentsOf: blank))
            #expect(shot.width == 800 && shot.height == 1600)
            #expect(shot.imageDataBytes > 5 * empty.imageDataBytes,
                    "\(scenario): screenshot looks blank: \(shot.imageDataBytes) bytes of image data, an empty page has \(empty.imageDataBytes)")
        }
    }
}

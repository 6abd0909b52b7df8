import ArgumentParser
import Foundation
import TCPLabKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn a saved run (tcplab scenario NAME --json > RUN.json) into a web page, or draw its ladder here.",
        discussion: "With --html, writes one self-contained HTML page (inline CSS and SVG, nothing loaded from elsewhere) with the ladder diagram, the segment table and the claims with their verdicts. Without it, prints the ladder diagram and the claims in the terminal.")

    @Argument(help: "The saved run: the output of `tcplab scenario NAME --json`.")
    var file: String

    @Option(help: "Where to write the HTML page.")
    var html: String?

    @Flag(help: "Draw the terminal ladder with plain ASCII characters instead of box-drawing ones.")
    var ascii = false

    func run() throws {
        let report: RunReport
        do { report = try RunReport.load(path: file) } catch { throw fail(error.description) }
        guard let html else {
            emit("\(report.scenario) (\(report.variant)): saved run, \(report.segments.count) segments")
            LadderPrinter.print(Ladder(report: report), style: ascii ? .ascii : .unicode)
            ClaimPrinter.print(report.claims, stopped: report.error.map(LabError.role), pcap: nil,
                               palette: Palette.forOutput(noColor: false, environment: ProcessInfo.processInfo.environment))
            return
        }
        let directory = (html as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw fail("cannot write \(html): there is no directory \(directory)")
        }
        do {
            try Data(HTMLReport(report).page.utf8).write(to: URL(fileURLWithPath: html))
        } catch {
            throw fail("cannot write \(html): \(String(cString: strerror(errno)))")
        }
        emit("wrote \(html): \(report.segments.count) segments, \(report.claims.count) claims (open it in a browser)")
    }
}

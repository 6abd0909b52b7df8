import Foundation
import Testing
@testable import TCPLabKit

/// Every shipped recording (`captures/reference/*.json` with its pcap), drawn by every view a
/// run has (the text timeline as live runs and `--replay` print it, the terminal ladder, the
/// HTML report's SVG) and read back line by line: no call's result above a segment captured
/// before the call returned, no start line below one captured after it began.
@Suite struct RecordedTimelineOrderTests {
    static let directory = capturesDirectory.appendingPathComponent("reference")

    /// `broken-pipe-default`, … : every recording in the directory, whatever the catalog says.
    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The recording with each call's text tagged for `TimelineOrderCheck`.
    static func tagged(_ name: String) throws -> (RecordedRun, TimelineOrderCheck) {
        var recording = try RecordedRun(jsonPath: directory.appendingPathComponent("\(name).json").path)
        recording.observation.steps = TimelineOrderCheck.tagged(recording.observation.steps)
        recording.report.steps = TimelineOrderCheck.tagged(recording.report.steps)
        let times = Dictionary(uniqueKeysWithValues: recording.observation.segments.map { ($0.number, $0.time) })
        return (recording, TimelineOrderCheck(steps: recording.observation.steps, segmentTimes: times))
    }

    @Test func everyRecordingIsChecked() {
        #expect(Self.names.count >= 30, "found \(Self.names.count) recordings in \(Self.directory.path)")
    }

    @Test(arguments: names) func textTimeline(name: String) throws {
        let (recording, check) = try Self.tagged(name)
        var printed: [String] = []
        var printer = TimelinePrinter(absolute: false) { printed.append($0) }
        printer.flush(recording.observation)
        #expect(printer.rows.count == recording.observation.segments.count)
        let problems = check.problems(TimelineOrderCheck.lines(printed: printed))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: names) func terminalLadder(name: String) throws {
        let (recording, check) = try Self.tagged(name)
        let ladder = Ladder(report: recording.report)
        let lines = TimelineOrderCheck.lines(printed: LadderText(ladder, width: 400).lines(ladder))
        #expect(lines.filter { if case .segment = $0 { true } else { false } }.count == recording.report.segments.count)
        let problems = check.problems(lines)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: names) func htmlReport(name: String) throws {
        let (recording, check) = try Self.tagged(name)
        let lines = TimelineOrderCheck.lines(html: HTMLReport(recording.report).page)
        #expect(lines.filter { if case .segment = $0 { true } else { false } }.count == recording.report.segments.count)
        let problems = check.problems(lines)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The check itself can fail: the old order (the result of connect() above the SYN and the
    /// RST that caused it) and a start line below what followed it are both caught.
    @Test func theCheckCatchesAResultAboveItsCause() throws {
        let (recording, check) = try Self.tagged("refused-default")
        let connect = try #require(recording.observation.steps.firstIndex { $0.call == "connect" })
        let whole = "client  " + recording.observation.steps[connect].display(.whole)
        let begin = "client  " + recording.observation.steps[connect].display(.begin)
        let result = "client  " + recording.observation.steps[connect].display(.result)

        let old = check.problems([.text(whole), .segment(1), .segment(2)])
        #expect(old.contains { $0.contains("is above #1") }, "\(old)")
        #expect(old.contains { $0.contains("shown once though #1 was captured while it ran") }, "\(old)")
        let late = check.problems([.segment(1), .text(begin), .segment(2), .text(result)])
        #expect(late.contains { $0.contains("the start of step \(connect)") && $0.contains("below #1") }, "\(late)")
        let missing = check.problems([.text(begin), .segment(1), .segment(2)])
        #expect(missing.contains { $0.contains("1 start, 0 result and 0 whole") }, "\(missing)")
        #expect(check.problems([.text(begin), .segment(1), .segment(2), .text(result)]).isEmpty)
    }
}

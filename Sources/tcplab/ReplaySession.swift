import ArgumentParser
import Foundation
import TCPLabKit

/// `tcplab scenario NAME --replay`: a reference recording shown as a live run would show it,
/// with no namespace, no roles and no capture rights. The segments are re-decoded from the
/// recording's pcap, the claims are judged again by the scenario's own code.
struct ReplaySession {
    let scenario: any Scenario
    let info: ScenarioInfo
    let variant: String
    /// `--from DIR` or `--from FILE.json`: a recording other than the shipped one.
    let from: String?
    /// How the timeline and the claims are coloured (`RunOptions.palette`).
    let palette: Palette

    /// Looks the scenario and variant up, or fails with the one-line usage error.
    init(name: String, variant: String?, from: String? = nil, palette: Palette = .plain) throws {
        self.from = from
        self.palette = palette
        do { scenario = try ScenarioCatalog.make(name: name, variant: variant) } catch { throw fail(error.description) }
        info = type(of: scenario).info
        self.variant = variant ?? info.variants[0].name
    }

    /// Prints the recording's timeline (and its ladder, given a `ladder` style) and the claims
    /// judged again, or with `json` the whole run as JSON; exit status 1 when a claim fails.
    func run(json: Bool, absolute: Bool, ladder: LadderStyle? = nil) throws {
        let replayed = try replay(quiet: json, absolute: absolute)
        if json {
            emitJSON(replayed.report)
        } else {
            printEnd(replayed, ladder: ladder)
        }
        if !replayed.report.passed { throw ExitCode(1) }
    }

    /// A recording read back and judged again: the report a live run would have made.
    struct Replayed {
        var recording: RecordedRun
        var report: RunReport
        /// The recording's path as shown (relative to the current directory when inside it).
        var shown: String
    }

    /// Reads the recording, prints its header and timeline unless `quiet`, and judges the claims
    /// again with the scenario's own code. Fails with the one-line error when the recording is
    /// missing, unreadable or of another scenario or variant.
    func replay(quiet: Bool, absolute: Bool) throws -> Replayed {
        let recording: RecordedRun
        do {
            recording = try RecordedRun(jsonPath: try recordingPath())
        } catch { throw fail(error.description) }
        let shown = Self.display(recording.jsonPath)
        guard recording.report.scenario == info.name, recording.report.variant == variant else {
            throw fail("\(shown) records \(recording.report.scenario) --variant \(recording.report.variant), not \(info.name) --variant \(variant)")
        }

        let write: (String) -> Void = quiet ? { _ in } : { emit($0) }
        var printer = TimelinePrinter(absolute: absolute, palette: palette, write: write)
        if !quiet {
            emit("\(info.name) (\(variant)): \(scenario.story)")
            emit("replayed from \(shown) and its pcap: recorded in a \(recording.report.network), server \(recording.report.server)")
            emit("")
        }
        printer.flush(recording.observation)
        let claims = scenario.judge(recording.observation, recording.context)
        let report = RunReport(replaying: recording, rows: printer.rows, claims: claims, path: shown)
        return Replayed(recording: recording, report: report, shown: shown)
    }

    /// The ladder (given a style), the claims, and a note for each claim whose verdict differs
    /// from the one recorded.
    func printEnd(_ replayed: Replayed, ladder: LadderStyle?) {
        if let ladder { LadderPrinter.print(Ladder(report: replayed.report), style: ladder) }
        ClaimPrinter.print(replayed.report.claims, stopped: nil, pcap: nil, replayedFrom: replayed.shown, palette: palette)
        for claim in replayed.report.claims {
            if let recorded = replayed.recording.report.claims.first(where: { $0.id == claim.id }), recorded.holds != claim.holds {
                emit("note: \(claim.id) \(recorded.holds ? "held" : "did not hold") when recorded")
            }
        }
    }

    /// The JSON of the recording to replay: `--from` (a file, or a directory holding NAME-VARIANT.json),
    /// else the shipped reference.
    private func recordingPath() throws(LabError) -> String {
        var isDirectory: ObjCBool = false
        if let from {
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory) else {
                throw LabError.usage("--from \(from): no such file or directory")
            }
            if !isDirectory.boolValue { return from }
            let name = ReferenceRecordings.baseName(scenario: info.name, variant: variant)
            let path = (from as NSString).appendingPathComponent(name + ".json")
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw LabError.usage("--from \(from) holds no \(name).json: put the run's JSON (`tcplab scenario \(info.name) --variant \(variant) --json`) "
                                     + "and its \(name).pcap there, or name the JSON file itself")
            }
            return path
        }
        let search = ReferenceRecordings.searchPath(executable: LiveSession.ownExecutable())
        return try ReferenceRecordings.locate(scenario: info.name, variant: variant, searchPath: search)
    }

    /// The path relative to the current directory when it is inside it.
    static func display(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }
}

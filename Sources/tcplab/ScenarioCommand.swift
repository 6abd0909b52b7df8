import ArgumentParser
import TCPLabKit

struct ScenarioCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run a scenario live: real server and client, captured segments, socket states, checked claims.",
        discussion: "Exit status: 0 when every claim holds, 1 when one does not, 2 when the lab could not run, 130 when interrupted by Ctrl-C (143 by SIGTERM).")

    @Argument(help: "The scenario to run; `tcplab list` shows them.", completion: .list(CompletionNames.scenarios))
    var name: String

    @Flag(help: "Print the whole run as JSON instead of the timeline.")
    var json = false

    @Flag(help: "Show the shipped reference recording of this scenario and variant instead of running it: the same timeline, rebuilt from its pcap, and the claims checked again. Needs no privilege.")
    var replay = false

    @Option(name: .customLong("from"), help: ArgumentHelp(
        "With --replay: judge the recording in this directory (NAME-VARIANT.json and .pcap, e.g. a copy you edited) or this JSON file instead of the shipped one.",
        valueName: "DIR"))
    var from: String?

    @OptionGroup var options: RunOptions

    var takesInterrupts: Bool { !replay }

    func validate() throws {
        try options.refuseLiveOnly(replay: replay, from: from)
    }

    func run() throws {
        if replay {
            try ReplaySession(name: name, variant: options.variant, from: from, palette: options.palette)
                .run(json: json, absolute: options.absolute, ladder: options.ladderStyle)
            return
        }
        let session = try LiveSession(name: name, variant: options.variant, clients: options.clients, pcap: options.pcap)
        let isolation = session.enter(options)
        let (report, lab, stopped) = try session.run(options, isolation: isolation, quiet: json)
        Interruption.shared.beginEnding()
        if json {
            emitJSON(report)
        } else {
            if let style = lab.options.ladder { LadderPrinter.print(Ladder(report: report), style: style) }
            ClaimPrinter.print(report.claims, stopped: stopped, pcap: lab.pcapPath, dropped: report.capture?.dropped ?? 0,
                               palette: lab.options.palette)
        }
        if !report.passed { throw ExitCode(1) }
    }
}

/// The end of a text run: the verdicts, and where the capture is.
enum ClaimPrinter {
    /// `palette` colours each verdict (`ok` green, `FAIL` red); plain unless the caller decided on colour.
    static func print(_ claims: [Claim], stopped: LabError?, pcap: String?, replayedFrom: String? = nil, dropped: UInt64 = 0,
                      palette: Palette = .plain) {
        emit("")
        if let stopped { emit("run stopped: \(stopped)") }
        emit(replayedFrom.map { "claims (replayed from \($0))" } ?? "claims")
        for claim in claims {
            emit("  \(palette.verdict(holds: claim.holds)) \(claim.statement)  (\(claim.evidence))")
        }
        let failed = claims.filter { !$0.holds }.count
        emit("")
        emit(failed == 0 && stopped == nil
             ? "\(claims.count) claims hold"
             : "\(failed) of \(claims.count) claims \(failed == 1 ? "does" : "do") not hold")
        if dropped > 0 {
            emit("not a pass: the capture dropped \(dropped) packets, so the timeline may miss segments; run it again")
        }
        if let pcap { emit("capture saved to \(pcap) (open it with tcpdump -r or Wireshark, or `tcplab decode \(pcap)`)") }
    }
}

import Foundation
import Testing

/// One scenario variant run live several times in a row with `--json`, every run checked the same
/// way: exit status 0, the expected claim ids in their order, every claim holding, the network the
/// run reports (when one is expected), and under `secondsPerRun` by the wall clock; then all runs
/// must give the same verdicts and, when asked, no `tcplab role` process of theirs may be left.
struct RepeatedRuns {
    /// Runs `tcplab` with these arguments and returns its outcome: as root by default, or e.g. a
    /// sandbox's `runAsNobody`.
    typealias Runner = ([String]) throws -> TCPLabProcess.Outcome

    var scenario: String
    var variant: String
    var times: Int
    /// The claim ids every run must judge, in order (nil fails: an unknown variant has none).
    var expectedClaims: [String]?
    /// `network` of the Run JSON (e.g. "private network namespace"); nil checks nothing.
    var network: String? = nil
    var secondsPerRun: Double
    /// Whether to check, after the last run, that none of the runs left a role process running
    /// (only for runs `TCPLabProcess.run` started: it knows their sessions).
    var checksNothingLeft = true
    var tcplab: Runner = { try TCPLabProcess.run($0) }

    /// Runs the variant `times` times and checks each run; with `capturesIn`, run N saves its
    /// capture to `runN.pcap` in a fresh temporary directory (removed afterwards) and
    /// `eachCapture` is called with that path after the run's checks. Returns every run's
    /// verdicts (`id=true` per claim), in run order.
    @discardableResult
    func check(capturesIn prefix: String? = nil, eachCapture: (String) throws -> Void = { _ in }) throws -> [[String]] {
        let directory = prefix.map { FileManager.default.temporaryDirectory.appendingPathComponent("\($0)-\(UUID().uuidString)") }
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        defer { if let directory { try? FileManager.default.removeItem(at: directory) } }
        var verdicts: [[String]] = []
        for attempt in 0..<times {
            let pcap = directory?.appendingPathComponent("run\(attempt).pcap").path
            let started = Date()
            let outcome = try tcplab(["scenario", scenario, "--variant", variant, "--json"] + (pcap.map { ["--pcap", $0] } ?? []))
            let seconds = Date().timeIntervalSince(started)
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr) error: \(run.error ?? "")")
            if let network { #expect(run.network == network) }
            #expect(run.claims.map(\.id) == expectedClaims)
            for claim in run.claims { #expect(claim.holds, "\(scenario) \(variant) \(claim.id): \(claim.evidence)") }
            #expect(seconds < secondsPerRun, "\(scenario) \(variant) took \(seconds) s")
            verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" })
            if let pcap { try eachCapture(pcap) }
        }
        #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
        if checksNothingLeft {
            #expect(TCPLabProcess.runningRoles().isEmpty, "role processes still running: \(TCPLabProcess.runningRoles().map(\.command))")
        }
        return verdicts
    }
}

import Foundation
import Glibc
import TCPLabKit
import Testing

extension Live {
    /// Ctrl-C at any moment of every scenario: `timeout -s INT T tcplab scenario S` for T of
    /// 0.05, 0.3, 0.6 and 1 s, and at points that move with what the run has printed. Whatever the
    /// moment, the run stops within half a second with exit status 130 and the one line saying
    /// so, and nothing of it is left: no process of its session (not even a zombie), no file but
    /// its capture, which is a valid pcap.
    @Suite(.timeLimit(.minutes(3)))
    struct InterruptEveryScenarioTests {
        static let scenarios = ScenarioCatalog.infos.map(\.name)
        static let moments = [0.05, 0.3, 0.6, 1.0]

        /// The moments of one scenario: 0.05 s alone (its startup must not compete with three
        /// others on two cores), then 0.3, 0.6 and 1 s side by side (a run mostly waits): each
        /// run gets SIGINT at its own moment after it started.
        @Test(arguments: scenarios)
        func sigintAtFixedMoments(scenario: String) throws {
            let first = try Self.interrupt(scenario, at: [Self.moments[0]])
            // At 50 ms every scenario is still starting or running: that one must be an interruption.
            #expect([.exited(130), .signaled(SIGINT)].contains(first[0].outcome),
                    "\(scenario) at 0.05 s: \(first[0].outcome.map(\.description) ?? "?"), stderr: \(first[0].stderr)")
            try Self.interrupt(scenario, at: Array(Self.moments.dropFirst()))
        }

        /// Starts one run of `scenario` per moment, sends each SIGINT at its moment after it
        /// started, and checks each with `InterruptCheck.expectStopped`.
        @discardableResult
        static func interrupt(_ scenario: String, at moments: [Double]) throws -> [SessionRun] {
            var runs: [(run: SessionRun, started: ContinuousClock.Instant)] = []
            for _ in moments {
                let run = try SessionRun(["scenario", scenario])
                runs.append((run, .now))
            }
            var sent: [ContinuousClock.Instant?] = []
            for (moment, entry) in zip(moments, runs) {
                SessionRun.pause(until: entry.started + .milliseconds(Int(moment * 1000)))
                sent.append(entry.run.send(SIGINT))
            }
            for (index, entry) in runs.enumerated() {
                try InterruptCheck.expectStopped(entry.run, signal: SIGINT, sentAt: sent[index], "\(scenario) at \(moments[index]) s")
            }
            return runs.map(\.run)
        }

        /// SIGINT or SIGTERM once the run has printed 1, 6 or 14 lines: points that move with what
        /// the run has done (after the banner, in the setup, in the story), not with the clock.
        @Test(arguments: scenarios)
        func interruptAfterLines(scenario: String) throws {
            var interrupted = 0
            for (lines, signal) in [(1, SIGINT), (6, SIGTERM), (14, SIGINT)] {
                let run = try SessionRun(["scenario", scenario])
                run.waitForOutput(lines: lines)
                let sent = run.send(signal)
                try InterruptCheck.expectStopped(run, signal: signal, sentAt: sent, "\(scenario) after \(lines) lines")
                if run.outcome == .exited(128 + signal) { interrupted += 1 }
            }
            #expect(interrupted > 0, "\(scenario) finished before every interrupt: no point was mid-run")
            #expect(Self.namedNamespaces().isEmpty)
        }

        /// SIGINT while the run prints its verdict (its labs torn down): the run is over, so it
        /// ends with the verdict's own status and no "interrupted" line, never a verdict under
        /// exit 130. The JSON verdict (16 KB) is held in write(2) on a full one-page pipe until the signal
        /// has been taken by the run, then let out.
        @Test func sigintWhileTheVerdictIsPrinted() throws {
            let run = try SessionRun(["scenario", "broken-pipe", "--json"], holdingOutput: true)
            defer { run.releaseOutput() }
            let blocked = SessionRun.poll(timeout: 20) { run.sleepingIn?.hasSuffix("pipe_write") == true || run.outcome != nil }
            try #require(blocked && run.outcome == nil, "the run never blocked writing its JSON: \(run.stderr)")
            #expect(run.send(SIGINT) != nil, "the run ended before SIGINT was sent")
            let taken = SessionRun.poll(timeout: 5) { !run.hasPending(SIGINT) }
            #expect(taken, "SIGINT was never taken by the run")
            run.releaseOutput()
            let ending = run.wait()
            #expect(ending == .exited(0), "\(ending.map(\.description) ?? "no end") after SIGINT during the verdict; stderr: \(run.stderr)")
            #expect(!run.stderr.contains("interrupted"), "\(run.stderr)")
            #expect(run.stdout.contains("\"passed\" : true"), "the verdict was not printed whole: \(run.stdout.suffix(200))")
            run.expectNothingLeft("broken-pipe, SIGINT during its verdict")
        }

        /// Many moments across the whole of a short run, 10 ms apart: the startup, the roles
        /// starting, the waits, the teardown (finish) and the exit.
        @Test(arguments: ["refused", "iterative"])
        func sigintSweptAcrossARun(scenario: String) throws {
            for pair in stride(from: 0, to: 24, by: 2) {
                var runs: [(run: SessionRun, started: ContinuousClock.Instant, delay: Int)] = []
                for delay in [pair * 10, pair * 10 + 10] {
                    let run = try SessionRun(["scenario", scenario])
                    runs.append((run, .now, delay))
                }
                var sent: [ContinuousClock.Instant?] = []
                for entry in runs {
                    SessionRun.pause(until: entry.started + .milliseconds(entry.delay))
                    sent.append(entry.run.send(SIGINT))
                }
                for (index, entry) in runs.enumerated() {
                    try InterruptCheck.expectStopped(entry.run, signal: SIGINT, sentAt: sent[index], "\(scenario) at \(entry.delay) ms",
                                                     decodeCapture: false)
                }
            }
        }

        /// `ip netns list`: tcplab never names its namespaces, so this must stay empty.
        static func namedNamespaces() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
        }
    }
}

/// What every interrupted run must show.
enum InterruptCheck {
    /// The half second a run may take from the signal to its end.
    static let limit = 0.5

    /// The run, sent `signal` at `sentAt` (nil: it had ended before), either stopped within
    /// `limit` with 128 + signal and only `tcplab: interrupted by SIG…` on stderr, or had already
    /// finished on its own (exit 0 or 1, its verdict printed, no interrupted line). Either way
    /// nothing of it is left, no file but its capture is in its directory, and the capture is
    /// a pcap `tcplab decode` reads.
    static func expectStopped(
        _ run: SessionRun, signal: Int32, sentAt: ContinuousClock.Instant?, _ context: String,
        decodeCapture: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let ending = run.wait()
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        if let sentAt {
            let seconds = run.seconds(since: sentAt) ?? .infinity
            #expect(seconds < limit, "\(context): ended \(Int(seconds * 1000)) ms after \(name)", sourceLocation: sourceLocation)
        }
        if ending == .signaled(signal) {
            // Only before `main` blocked the signal (its first line): the default action, with
            // nothing started, printed or written.
            #expect(run.signalWasBlocked == false, "\(context): killed by \(name) although main had blocked it", sourceLocation: sourceLocation)
            #expect(run.stdout.isEmpty && run.stderr.isEmpty, "\(context): killed by \(name) after printing: \(run.stdout) \(run.stderr)",
                    sourceLocation: sourceLocation)
        } else if ending == .exited(128 + signal) {
            #expect(sentAt != nil, "\(context): \(ending!) without a signal", sourceLocation: sourceLocation)
            let errors = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(errors == ["tcplab: interrupted by \(name); roles stopped and cleaned up"],
                    "\(context): stderr should be the one interrupted line: \(run.stderr)", sourceLocation: sourceLocation)
            #expect(!run.stdout.contains("claims hold") && !run.stdout.contains("claims do not hold"),
                    "\(context): an interrupted run printed a verdict", sourceLocation: sourceLocation)
        } else {
            // The signal came as the run ended on its own (or after): it must have ended whole.
            #expect(ending == .exited(0) || ending == .exited(1),
                    "\(context): \(ending.map(\.description) ?? "no end"); stderr: \(run.stderr)", sourceLocation: sourceLocation)
            #expect(run.stdout.contains("claims hold") || run.stdout.contains("claims do not hold") || run.stdout.contains("score:"),
                    "\(context): ended with \(ending.map(\.description) ?? "?") without its verdict: \(run.stdout.suffix(300))",
                    sourceLocation: sourceLocation)
            #expect(!run.stderr.contains("interrupted"), "\(context): \(run.stderr)", sourceLocation: sourceLocation)
        }
        run.expectNothingLeft(context, sourceLocation: sourceLocation)
        let files = run.files()
        #expect(files.allSatisfy { $0.hasPrefix("captures/runs/") && $0.hasSuffix(".pcap") },
                "\(context): files left in the run's directory: \(files)", sourceLocation: sourceLocation)
        if decodeCapture {
            for file in files {
                let decoded = try TCPLabProcess.run(["decode", run.directory.appendingPathComponent(file).path])
                #expect(decoded.status == 0, "\(context): \(file) is not a valid capture: \(decoded.stderr)", sourceLocation: sourceLocation)
            }
        }
    }
}

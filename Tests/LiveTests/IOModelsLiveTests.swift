import Foundation
import Glibc
import Testing

/// The io-models scenario runs for real: every variant's claims hold on this kernel, as root and
/// as `nobody` in a user namespace of its own, twice in a row with the same verdicts, each run
/// under 3 s, and nothing is left running.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct IOModelsLiveTests {
        static let expectedClaims: [String: [String]] = [
            "blocking": ["asleep", "returns-after-data", "delivered"],
            "nonblocking": ["eagain", "burning-cpu", "delivered"],
            "multiplexing": ["asleep", "returns-after-data", "recv-no-block", "delivered"],
            "signal-driven": ["async-setup", "sigio-after-data", "other-work", "delivered"],
            "async": ["submitted-before-data", "completion-after-data", "other-work", "delivered"],
        ]

        static let variants = ["blocking", "nonblocking", "multiplexing", "signal-driven", "async"]

        @Test(arguments: variants)
        func everyVariantHoldsTwiceWithIdenticalVerdicts(_ variant: String) throws {
            try RepeatedRuns(scenario: "io-models", variant: variant, times: 2, expectedClaims: Self.expectedClaims[variant],
                             network: "private network namespace", secondsPerRun: 3).check()
        }

        /// The timeline shows each model's own steps and the /proc line.
        @Test(arguments: [
            ("blocking", ["waits in recv() until data is there", "while the server waits for data", "wchan"]),
            ("nonblocking", ["fcntl(F_SETFL, O_NONBLOCK) = 0", "EAGAIN ×", "more, back to back"]),
            ("multiplexing", ["poll([fd", "... poll = 1"]),
            ("signal-driven", ["fcntl(F_SETOWN", "O_ASYNC", "SIGIO received", "handler: recv() = 4 \"ping\"", "units of other work"]),
            ("async", ["io_uring_queue_init(4 entries) = 0", "io_uring_submit(read fd", "completion res=4 \"ping\""]),
        ])
        func theTimelineShowsTheModel(_ variant: String, _ expected: [String]) throws {
            let outcome = try TCPLabProcess.run(["scenario", "io-models", "--variant", variant])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            for text in expected { #expect(outcome.stdout.contains(text), "missing \(text) in:\n\(outcome.stdout)") }
        }

        /// As nobody, in a user + network namespace: /proc readings of its own children, SIGIO and
        /// io_uring all work without root.
        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"), arguments: variants)
        func nobodyRunsEveryVariantInAUserNamespace(_ variant: String) throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            let pcap = sandbox.out.appendingPathComponent("run.pcap").path
            let started = Date()
            let outcome = try sandbox.runAsNobody(["scenario", "io-models", "--variant", variant, "--pcap", pcap])
            let seconds = Date().timeIntervalSince(started)
            #expect(outcome.status == 0, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("net: private user + network namespace"), "stdout: \(outcome.stdout)")
            #expect(outcome.stdout.contains("\(Self.expectedClaims[variant]!.count) claims hold"), "stdout: \(outcome.stdout)")
            #expect(seconds < 3, "io-models \(variant) as nobody took \(seconds) s")
        }
    }
}

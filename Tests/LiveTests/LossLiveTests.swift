import Foundation
import Glibc
import Testing

/// The loss scenario runs for real, every variant: nft drops the chosen segments in the run's
/// namespace, the claims hold ten runs in a row as root and as nobody in a user namespace, each
/// run under 6 s, and tcpdump's own reading of the capture shows the resent ranges and SACK blocks.
extension Live {
    @Suite(.timeLimit(.minutes(6)))
    struct LossLiveTests {
        static let variants = ["rto", "fast-retransmit", "syn-loss", "tail-loss"]
        static let expectedClaims: [String: [String]] = [
            "rto": ["resent", "rto-wait", "backoff", "delivered-late", "labels"],
            "fast-retransmit": ["resent", "dup-acks", "sack-hole", "fast", "labels", "delivered"],
            "syn-loss": ["syn-resent", "syn-timeout", "connect-waited", "labels", "delivered"],
            "tail-loss": ["silent-tail", "probe", "sack-hole", "recovered", "labels", "delivered"],
        ]
        static let runs = 10
        static let secondsPerRun = 6.0

        private func repeatedRuns(_ variant: String, network: String) -> RepeatedRuns {
            RepeatedRuns(scenario: "loss", variant: variant, times: Self.runs, expectedClaims: Self.expectedClaims[variant],
                         network: network, secondsPerRun: Self.secondsPerRun)
        }

        @Test(arguments: variants)
        func tenRunsAsRootHoldWithIdenticalVerdicts(_ variant: String) throws {
            try repeatedRuns(variant, network: "private network namespace").check()
        }

        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"), arguments: variants)
        func tenRunsAsNobodyInAUserNamespaceHold(_ variant: String) throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            var runs = repeatedRuns(variant, network: "private user + network namespace")
            runs.checksNothingLeft = false
            runs.tcplab = { try sandbox.runAsNobody($0) }
            try runs.check()
        }

        /// tcpdump, not tcplab, reads the saved capture: the range tcplab calls resent appears twice
        /// (`seq A:B`), and where the lesson is SACK, a duplicate ACK carries `sack 1 {B:…}`.
        @Test(arguments: ["rto", "fast-retransmit", "tail-loss"])
        func tcpdumpSeesTheResentRangesAndSACKBlocks(_ variant: String) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-loss-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let pcap = directory.appendingPathComponent("run.pcap").path
            let outcome = try TCPLabProcess.run(["scenario", "loss", "--variant", variant, "--json", "--pcap", pcap])
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let resent = try #require(run.segments.first { $0.annotation.contains("Retransmission]") }, "no retransmission in \(run.segments)")

            let tcpdump = Process()
            tcpdump.executableURL = URL(fileURLWithPath: "/usr/bin/tcpdump")
            tcpdump.arguments = ["-n", "-r", pcap]
            let output = Pipe()
            tcpdump.standardOutput = output
            tcpdump.standardError = FileHandle.nullDevice
            try tcpdump.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            tcpdump.waitUntilExit()
            #expect(tcpdump.terminationStatus == 0)
            let lines = text.split(separator: "\n")
            let copies = lines.filter { $0.contains("seq \(resent.sequenceText),") }
            #expect(copies.count >= 2, "tcpdump shows seq \(resent.sequenceText) \(copies.count) time(s):\n\(text)")
            if variant != "rto" {
                // The hole's end is where the SACK block starts (fast-retransmit: the resent range is the hole;
                // tail-loss: the hole is the range before the probed last segment, which the SACK covers).
                let holeEnd = variant == "fast-retransmit" ? resent.sequenceText.split(separator: ":")[1] : resent.sequenceText.split(separator: ":")[0]
                let sacks = lines.filter { $0.contains("sack 1 {\(holeEnd):") }
                #expect(!sacks.isEmpty, "tcpdump shows no SACK block starting at \(holeEnd):\n\(text)")
            }
        }

        @Test func lossRefusesTheHostLoopbackInOneLine() throws {
            let outcome = try TCPLabProcess.run(["scenario", "loss", "--host-loopback"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("drops segments with nft"), "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "stderr: \(outcome.stderr)")
        }

        @Test func theTimelineShowsTheDropRuleAndTheFlags() throws {
            let outcome = try TCPLabProcess.run(["scenario", "loss", "--variant", "fast-retransmit"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            for expected in ["drop: nft add rule inet tcplab input tcp dport", "[TCP Dup ACK", "[TCP Fast Retransmission]", "gso_max_segs 1", "sent 2 times"] {
                #expect(outcome.stdout.contains(expected), "missing \(expected) in:\n\(outcome.stdout)")
            }
        }
    }
}

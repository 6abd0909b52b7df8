import Foundation
import Testing

/// flow-control runs for real: every claim holds on this kernel, three runs in a row give the
/// same verdicts in under 3 s each, nothing is left running, and tcpdump, reading the run's
/// `--pcap` on its own, finds the zero windows and the zero-window probes; as nobody in a user
/// namespace it runs the same.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct FlowControlLiveTests {
        static let expectedClaims: [String: [String]] = [
            "blocking": ["window-shrinks", "send-blocked", "queues-full", "persist-probes", "window-update", "data-flows", "states-match-capture"],
            "nonblocking": ["window-shrinks", "eagain", "queues-full", "persist-probes", "window-update", "data-flows", "states-match-capture"],
        ]

        @Test(arguments: ["blocking", "nonblocking"])
        func threeRunsHoldAndTcpdumpSeesTheZeroWindow(_ variant: String) throws {
            try RepeatedRuns(scenario: "flow-control", variant: variant, times: 3, expectedClaims: Self.expectedClaims[variant], secondsPerRun: 3)
                .check(capturesIn: "tcplab-flow", eachCapture: Self.tcpdumpSeesZeroWindowAndProbes)
        }

        /// tcpdump's own reading: segments from port 7777 whose window field (bytes 14–15 of the
        /// TCP header) is 0; and client segments whose sequence number is one below the first
        /// byte the zero window refused (ISN + 1 + 4096 − 1): the probes, at growing gaps.
        static func tcpdumpSeesZeroWindowAndProbes(_ pcap: String) throws {
            let tcpdump = IndependentTcpdump(pcap: pcap)
            let zero = try tcpdump.lines("tcp src port 7777 and tcp[14:2] = 0 and tcp[tcpflags] & (tcp-rst|tcp-syn) = 0")
            #expect(!zero.isEmpty && zero.allSatisfy { $0.contains("win 0") }, "zero windows by tcpdump: \(zero)")
            let isn = try tcpdump.clientISN(serverPort: 7777)
            let probes = try tcpdump.lines("tcp dst port 7777 and tcp[4:4] = \(isn &+ 4096) and tcp[tcpflags] = tcp-ack", deltas: true)
            #expect(probes.count >= 2, "zero-window probes by tcpdump (seq \(isn &+ 4096)): \(probes)")
            #expect(probes.allSatisfy { $0.hasSuffix("length 0") }, "probes carry no data: \(probes)")
            let gaps = IndependentTcpdump.deltas(probes)
            #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $1 > $0 } && gaps.first.map { $0 >= 0.3 } == true,
                    "probe gaps by tcpdump should grow, the second ≥ 0.3 s: \(gaps)")
        }

        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"), arguments: ["blocking", "nonblocking"])
        func nobodyRunsItInAUserNamespace(_ variant: String) throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            let outcome = try sandbox.runAsNobody(["scenario", "flow-control", "--variant", variant])
            #expect(outcome.status == 0, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("net: private user + network namespace"))
            #expect(outcome.stdout.contains("7 claims hold"), "stdout: \(outcome.stdout)")
        }

        @Test func theTimelineShowsTheWindowInBytes() throws {
            let outcome = try TCPLabProcess.run(["scenario", "flow-control", "--ladder"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for expected in ["[TCP ZeroWindow]", "[TCP Window Update]", "Send-Q", "timer:(persist,", "win 4096", "win 65536"] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            #expect(CallLines("client", "send(16384 bytes)", " = 16384").shown(in: text), "no send(16384 bytes) = 16384 in:\n\(text)")
        }
    }
}

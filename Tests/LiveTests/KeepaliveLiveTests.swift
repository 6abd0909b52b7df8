import Foundation
import Testing

/// keepalive runs for real: every claim holds, three runs in a row give the same verdicts in under
/// 6 s each, nothing is left running, and tcpdump, reading the run's `--pcap` on its own, finds
/// the probes (client segments with seq = ISN: one below the next, no data was ever sent) a
/// second apart, answered or not; as nobody in a user namespace (nft included) it runs the same.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct KeepaliveLiveTests {
        static let expectedClaims: [String: [String]] = [
            "peer-vanished": ["probes", "probe-intervals", "unanswered", "etimedout", "proc", "states-match-capture"],
            "peer-alive": ["probes", "probe-intervals", "answered", "stays", "states-match-capture"],
        ]

        @Test(arguments: ["peer-vanished", "peer-alive"])
        func threeRunsHoldAndTcpdumpSeesTheProbes(_ variant: String) throws {
            try RepeatedRuns(scenario: "keepalive", variant: variant, times: 3, expectedClaims: Self.expectedClaims[variant], secondsPerRun: 6)
                .check(capturesIn: "tcplab-keepalive") { try Self.tcpdumpSeesTheProbes($0, answered: variant == "peer-alive") }
        }

        /// tcpdump's reading: 3 client segments with seq = ISN (snd_nxt − 1) and no data, about a
        /// second apart; ACKs of ISN + 1 from the server only when the peer is alive; a client
        /// RST only when it vanished.
        static func tcpdumpSeesTheProbes(_ pcap: String, answered: Bool) throws {
            let tcpdump = IndependentTcpdump(pcap: pcap)
            let isn = try tcpdump.clientISN(serverPort: 7777)
            let probes = try tcpdump.lines("tcp dst port 7777 and tcp[4:4] = \(isn) and tcp[tcpflags] = tcp-ack", deltas: true)
            #expect(probes.count == 3, "keep-alive probes by tcpdump (seq \(isn)): \(probes)")
            #expect(probes.allSatisfy { $0.hasSuffix("length 0") }, "probes carry no data: \(probes)")
            let gaps = IndependentTcpdump.deltas(probes)
            #expect(gaps.allSatisfy { (0.95...2.2).contains($0) }, "probe gaps by tcpdump, about 1 s (2 s when answered: idle after each answer): \(gaps)")
            let answers = try tcpdump.lines("tcp src port 7777 and tcp[8:4] = \(isn &+ 1) and tcp[tcpflags] = tcp-ack")
            let resets = try tcpdump.lines("tcp dst port 7777 and tcp[tcpflags] & tcp-rst != 0")
            if answered {
                #expect(answers.count >= 3, "the server's ACKs of the probes by tcpdump: \(answers)")
                #expect(resets.isEmpty, "no RST from the client: \(resets)")
            } else {
                #expect(resets.count == 1, "the client's RST after the last probe by tcpdump: \(resets)")
            }
        }

        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"), arguments: ["peer-vanished", "peer-alive"])
        func nobodyRunsItInAUserNamespace(_ variant: String) throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            let outcome = try sandbox.runAsNobody(["scenario", "keepalive", "--variant", variant])
            #expect(outcome.status == 0, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("net: private user + network namespace"))
            #expect(outcome.stdout.contains("\(Self.expectedClaims[variant]!.count) claims hold"), "stdout: \(outcome.stdout)")
        }

        @Test func peerVanishedRefusesTheHostLoopback() throws {
            let outcome = try TCPLabProcess.run(["scenario", "keepalive", "--host-loopback"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("only inside the run's own network namespace"), "stderr: \(outcome.stderr)")
            #expect(TCPLabProcess.runningRoles().isEmpty)
        }
    }
}

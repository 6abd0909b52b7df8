import Foundation
import Testing

/// The backlog and nagle scenarios run for real: every variant's claims hold on this kernel,
/// three runs in a row give the same verdicts, and nothing is left running.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct BacklogNagleLiveTests {
        static let expectedClaims: [String: [String]] = [
            "backlog/default": ["backlog-plus-one", "listen-recv-q", "syns-dropped", "syn-sent", "syn-retransmitted"],
            "backlog/patient": ["backlog-plus-one", "listen-recv-q", "syns-dropped", "syn-sent", "syn-retransmitted", "syn-backoff"],
            "nagle/nagle": ["echoed", "coalesced", "nagle-rule", "acks"],
            "nagle/nodelay": ["echoed", "one-per-write", "no-waiting", "acks"],
        ]

        @Test(arguments: ["backlog/default", "backlog/patient", "nagle/nagle", "nagle/nodelay"])
        func threeRunsHoldWithIdenticalVerdicts(_ scenario: String) throws {
            let parts = scenario.split(separator: "/").map(String.init)
            var verdicts: [[String]] = []
            for _ in 0..<3 {
                let started = Date()
                let outcome = try TCPLabProcess.run(["scenario", parts[0], "--variant", parts[1], "--json"])
                let seconds = Date().timeIntervalSince(started)
                let run = try RunJSON.decode(outcome.stdout)
                #expect(outcome.status == 0, "stderr: \(outcome.stderr) error: \(run.error ?? "")")
                #expect(run.network == "private network namespace")
                // nagle records no socket table, so it gets no states-match-capture.
                #expect(run.claims.map(\.id) == Self.expectedClaims[scenario].map { $0 + (parts[0] == "nagle" ? [] : RunJSON.everyScenarioClaims) })
                for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
                #expect(seconds < (parts[1] == "patient" ? 3.5 : 3), "\(scenario) took \(seconds) s")
                verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" })
            }
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
            #expect(Self.leftoverRoles().isEmpty, "role processes still running: \(Self.leftoverRoles())")
        }

        @Test func backlogShowsTheQueueAndTheRetransmissions() throws {
            let outcome = try TCPLabProcess.run(["scenario", "backlog"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for expected in [
                "= -1 EINPROGRESS", "LISTEN Recv-Q 3 (accept queue)", "SYN_SENT",
                "[TCP Retransmission] SYN", "only netlink reports it", "net.ipv4.tcp_syn_linear_timeouts",
            ] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            #expect(CallLines("server", "listen(backlog 2)", " = 0").shown(in: text), "no listen(backlog 2) = 0 in:\n\(text)")
        }

        @Test func nagleSaysTheLinkWasSlowed() throws {
            let outcome = try TCPLabProcess.run(["scenario", "nagle"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for expected in ["lo slowed to 100 kbit/s with an HTB rate limit", "tcp_autocorking = 0", "one-byte send()s ->"] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            #expect(CallLines("client", #"send("h")"#, " = 1").shown(in: text), "no send(\"h\") = 1 in:\n\(text)")
        }

        @Test func nagleRefusesTheHostLoopback() throws {
            let outcome = try TCPLabProcess.run(["scenario", "nagle", "--host-loopback"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("only inside the run's own network namespace"), "stderr: \(outcome.stderr)")
        }

        /// Role processes of this build's binary still running (other checkouts' runs are not ours to judge).
        static func leftoverRoles() -> [String] { TCPLabProcess.runningRoles().map(\.command) }
    }
}

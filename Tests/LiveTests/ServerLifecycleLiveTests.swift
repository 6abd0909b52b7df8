import Foundation
import Testing

/// The iterative, refused and reuseaddr scenarios run for real, three times each: every claim
/// holds on this kernel and the verdicts are the same every time.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct ServerLifecycleLiveTests {
        static let expectedClaims: [String: [String]] = [
            "iterative/default": ["handshake-without-accept", "data-acked-not-answered", "recv-q-in-accept-queue", "served-after-a-leaves"],
            "refused/default": ["nobody-listens", "syn-answered-by-rst", "connect-refused"],
            "reuseaddr/both": ["time-wait-holds-port", "restart-bind", "new-server-outcome"],
            "reuseaddr/old-only": ["time-wait-holds-port", "restart-bind", "new-server-outcome"],
            "reuseaddr/new-only": ["time-wait-holds-port", "restart-bind", "new-server-outcome"],
            "reuseaddr/neither": ["time-wait-holds-port", "restart-bind", "new-server-outcome"],
        ]

        /// Runs `scenario --variant variant --json` three times and returns the runs, checking each.
        static func runThrice(_ scenario: String, _ variant: String) throws -> [RunJSON] {
            var runs: [RunJSON] = []
            for _ in 0..<3 {
                let outcome = try TCPLabProcess.run(["scenario", scenario, "--variant", variant, "--json"])
                #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
                let run = try RunJSON.decode(outcome.stdout)
                #expect(run.error == nil, "\(run.error ?? "")")
                #expect(run.claims.map(\.id) == expectedClaims["\(scenario)/\(variant)"].map { $0 + RunJSON.everyScenarioClaims })
                for claim in run.claims { #expect(claim.holds, "\(scenario)/\(variant) \(claim.id): \(claim.evidence)") }
                #expect(run.passed)
                runs.append(run)
            }
            let verdicts = runs.map { $0.claims.map { "\($0.id)=\($0.holds)" } + $0.segments.map { "\($0.flags)/\($0.length)" } }
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
            return runs
        }

        @Test func iterativeServesBOnlyAfterALeaves() throws {
            let runs = try Self.runThrice("iterative", "default")
            let run = try #require(runs.first)
            #expect(Set(run.ends.map(\.role)) == ["server", "client A", "client B"])
            // Two connections, each with its handshake, data, answer and close.
            #expect(run.segments.filter { $0.flags == "S" }.count == 2)
            let waiting = try #require(run.claims.first { $0.id == "recv-q-in-accept-queue" })
            #expect(waiting.evidence.contains("ESTABLISHED Recv-Q 12"), "\(waiting.evidence)")
        }

        @Test func iterativeTextShowsTheWaitingConnection() throws {
            let outcome = try TCPLabProcess.run(["scenario", "iterative"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            for expected in ["C2 > S", "server side of B (not accepted: no process holds it)", "ESTABLISHED Recv-Q 12",
                             "listener (accept queue 1)", "5 claims hold"] {
                #expect(outcome.stdout.contains(expected), "missing \(expected) in:\n\(outcome.stdout)")
            }
        }

        @Test func refusedConnectGetsRstAck() throws {
            let runs = try Self.runThrice("refused", "default")
            let run = try #require(runs.first)
            #expect(run.segments.map(\.flags) == ["S", "R."])
            #expect(run.ends.map(\.role) == ["client"])
        }

        @Test(arguments: ["both", "old-only", "new-only", "neither"])
        func reuseaddrFollowsTheKernelRule(variant: String) throws {
            let runs = try Self.runThrice("reuseaddr", variant)
            let run = try #require(runs.first)
            let bind = try #require(run.claims.first { $0.id == "restart-bind" })
            // The claim compares with the rule; this pins down what the kernel did for each combination.
            let expected = variant == "both" ? "the kernel did: bind succeeded" : "the kernel did: bind failed with EADDRINUSE"
            #expect(bind.evidence.hasPrefix(expected), "\(bind.evidence)")
            #expect(Set(run.ends.map(\.role)) == ["old server", "client", "new server"])
        }

        @Test func noRoleProcessIsLeftBehind() throws {
            for arguments in [["iterative"], ["refused"], ["reuseaddr", "--variant", "neither"]] {
                _ = try TCPLabProcess.run(["scenario"] + arguments)
            }
            let leftovers = TCPLabProcess.runningRoles().map(\.command)
            #expect(leftovers.isEmpty, "role processes still running: \(leftovers)")
        }
    }
}

import Foundation
import Testing

/// The close-states scenario run for real: every variant three times, every claim holding,
/// with the same verdicts and the same segments each time.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct CloseStatesLiveTests {
        static let expectedClaims: [String: [String]] = [
            "server-first": ["server-fin", "fin-wait2-close-wait", "last-ack", "time-wait-first-closer"],
            "client-first": ["client-fin", "fin-wait2-close-wait", "server-eof", "last-ack", "time-wait-first-closer"],
            "simultaneous": ["fins-crossed", "both-closing", "both-time-wait"],
            "half-close": ["shutdown-fin", "fin-wait2-close-wait", "answer-after-eof", "data-after-fin", "answer-received",
                           "time-wait-first-closer"],
            "listener": ["listen-seen", "listener-gone", "listener-silent"],
        ]

        @Test(arguments: ["server-first", "client-first", "simultaneous", "half-close", "listener"])
        func threeRunsHoldWithIdenticalVerdicts(variant: String) throws {
            let verdicts = try Live.runThreeTimes("close-states", variant: variant, expectedClaims: Self.expectedClaims[variant])
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
        }

        @Test func listOrdersTheVariants() throws {
            let outcome = try TCPLabProcess.run(["list", "--json"])
            struct Entry: Decodable { struct Variant: Decodable { var name: String }; var name: String; var variants: [Variant] }
            let entries = try JSONDecoder().decode([Entry].self, from: Data(outcome.stdout.utf8))
            let closeStates = try #require(entries.first { $0.name == "close-states" })
            #expect(closeStates.variants.map(\.name) == ["server-first", "client-first", "simultaneous", "half-close", "listener"])
            let unreadClose = try #require(entries.first { $0.name == "unread-close" })
            #expect(unreadClose.variants.map(\.name) == ["unread", "linger-zero"])
        }

        @Test func serverFirstShowsTheStatesWithTimers() throws {
            let outcome = try TCPLabProcess.run(["scenario", "close-states"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for expected in ["stops the server with SIGINT", "FIN_WAIT2 timer:(timewait,", "CLOSE_WAIT", "TIME_WAIT timer:(timewait,",
                             "LAST_ACK"] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            #expect(CallLines("client", "close()", " = 0").shown(in: text), "no client close() = 0 in:\n\(text)")
        }

        @Test func simultaneousSaysDelayWasAdded() throws {
            let outcome = try TCPLabProcess.run(["scenario", "close-states", "--variant", "simultaneous"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("delay added"), "output:\n\(outcome.stdout)")
            #expect(outcome.stdout.contains("CLOSING"))
        }

        @Test func simultaneousRefusesTheHostLoopback() throws {
            let outcome = try TCPLabProcess.run(["scenario", "close-states", "--variant", "simultaneous", "--host-loopback"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("private network namespace"), "stderr: \(outcome.stderr)")
        }
    }

    /// Runs a scenario variant three times and checks each run: exit 0, the expected claims, all
    /// holding, both roles reaped, no role process left. Returns each run's verdicts and segments.
    static func runThreeTimes(_ scenario: String, variant: String, expectedClaims: [String]?) throws -> [[String]] {
        var verdicts: [[String]] = []
        for _ in 0..<3 {
            let started = Date()
            let outcome = try TCPLabProcess.run(["scenario", scenario, "--variant", variant, "--json"])
            let elapsed = Date().timeIntervalSince(started)
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(run.claims.map(\.id) == expectedClaims.map { $0 + RunJSON.everyScenarioClaims })
            for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
            #expect(run.passed)
            #expect(elapsed < 3, "\(scenario) \(variant) took \(elapsed) s")
            #expect(leftoverRoles().isEmpty, "role processes still running: \(leftoverRoles())")
            verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" } + run.segments.map { "\($0.flags)/\($0.length)" })
        }
        return verdicts
    }

    static func leftoverRoles() -> [String] { TCPLabProcess.runningRoles().map(\.command) }
}

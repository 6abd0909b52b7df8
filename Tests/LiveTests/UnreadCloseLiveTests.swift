import Foundation
import Testing

/// The unread-close scenario run for real: both variants three times, every claim holding.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct UnreadCloseLiveTests {
        static let expectedClaims: [String: [String]] = [
            "unread": ["bytes-unread", "rst-not-fin", "recv-econnreset", "no-time-wait"],
            "linger-zero": ["nothing-unread", "linger-set", "rst-not-fin", "recv-econnreset", "no-time-wait"],
        ]

        @Test(arguments: ["unread", "linger-zero"])
        func threeRunsHoldWithIdenticalVerdicts(variant: String) throws {
            let verdicts = try Live.runThreeTimes("unread-close", variant: variant, expectedClaims: Self.expectedClaims[variant])
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
            #expect(verdicts[0].contains("R./0"), "no RST-ACK in \(verdicts[0])")
            #expect(!verdicts[0].contains { $0.hasPrefix("F") }, "a FIN in \(verdicts[0])")
        }

        @Test func unreadShowsTheResetAndTheError() throws {
            let outcome = try TCPLabProcess.run(["scenario", "unread-close"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("Recv-Q 5"), "missing Recv-Q 5 in:\n\(outcome.stdout)")
            for call in [CallLines("server", "close()", " = 0"), CallLines("client", "recv()", " = -1 ECONNRESET")] {
                #expect(call.shown(in: outcome.stdout), "missing \(call.role)\(call.call)\(call.outcome) in:\n\(outcome.stdout)")
            }
        }
    }
}

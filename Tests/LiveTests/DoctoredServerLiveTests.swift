import Foundation
import Testing

/// A server role made to misbehave (`tcplab scenario … --doctor SETTING`, `RoleMisbehaviour`):
/// the run must end with the claims about what the server skipped FAILED, each saying what was
/// seen instead, exit 1 — never a timeout (exit 2) — and leave nothing running.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct DoctoredServerLiveTests {
        /// One doctored run and what its claims must say.
        struct Case: CustomTestStringConvertible, Sendable {
            var arguments: [String]
            /// For each claim that must FAIL: a part of its text, and a part of its "seen instead".
            var failing: [(claim: String, seen: String)]
            var testDescription: String { arguments.joined(separator: " ") }
        }

        static let cases: [Case] = [
            Case(arguments: ["concurrency", "--variant", "epoll", "--doctor", "server-never-answers"],
                 failing: [("every client got every line it sent back", "seen instead: client 1 sent 1 line(s)"),
                           ("the server answered every other client", "seen instead: no answer to client 1's line 1 in the capture")]),
            Case(arguments: ["close-states", "--variant", "half-close", "--doctor", "server-never-answers"],
                 failing: [("could still send its answer", "seen instead: no successful send after the EOF"),
                           ("the client received the answer after its own shutdown", "seen instead: client recv() = 0 (EOF)")]),
            Case(arguments: ["close-states", "--variant", "client-first", "--doctor", "server-never-closes"],
                 failing: [("TIME_WAIT is on the side that closed first", "seen instead: client FIN_WAIT2"),
                           ("the server closed from CLOSE_WAIT", "seen instead: the server made no close() before its FIN")]),
            Case(arguments: ["broken-pipe", "--doctor", "server-never-closes"],
                 failing: [("the server's FIN followed its close()", "seen instead: the server never called close()"),
                           ("its side is FIN_WAIT2 and the client's CLOSE_WAIT", "seen instead: server ESTABLISHED, client ESTABLISHED"),
                           ("answered it with an RST", "seen instead: no RST from the server after hehe"),
                           ("raised SIGPIPE", "seen instead: the client killed by SIGTERM")]),
        ]

        @Test(arguments: cases)
        func claimsFailWithWhatWasSeen(_ doctored: Case) throws {
            let run = try SessionRun(["scenario"] + doctored.arguments)
            let started = ContinuousClock.now
            let ending = run.wait(timeout: 30)
            let seconds = run.seconds(since: started) ?? 0
            let text = run.stdout + run.stderr
            #expect(ending == .exited(1), "\(doctored): \(ending?.description ?? "still running")\n\(text)")
            #expect(!text.contains("timed out"), "\(doctored) waited for what it should have judged:\n\(text)")
            #expect(text.contains("doctored for a test (--doctor "), "the skipped call is not on the timeline:\n\(text)")
            let failures = text.split(separator: "\n").filter { $0.hasPrefix("  FAIL ") }
            for (claim, seen) in doctored.failing {
                let line = failures.first { $0.contains(claim) }
                #expect(line?.contains(seen) == true, "\(doctored): no FAIL '\(claim)' with '\(seen)' in:\n\(failures.joined(separator: "\n"))")
            }
            // Bounded windows of about a second where something is missing, not the 3 s timeout per wait.
            #expect(seconds < 10, "\(doctored) took \(seconds) s")
            run.expectNothingLeft(doctored.testDescription)
        }
    }
}

import Foundation
import Testing

/// `--ladder` on a live run and on a decoded capture, and `tcplab report`'s errors, from the CLI.
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct LadderLiveTests {
        @Test func scenarioDrawsItsLadderAfterTheTimeline() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--ladder"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex(of: "ladder"))
            let ladder = lines[start...].prefix { !$0.isEmpty }
            #expect(ladder.filter { $0.contains("▶│") || $0.contains("│◀") }.count == 11)
            #expect(ladder.contains { $0.contains("CLOSE_WAIT") && $0.contains("FIN_WAIT2") })
            #expect(CallLines("client", #"send("hehe")"#, " = 4").shown(inLadder: Array(ladder)))
            #expect(ladder.dropFirst().allSatisfy { $0.count == 100 })
        }

        @Test func decodeDrawsAnASCIILadder() throws {
            let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("captures/broken-pipe.pcap").path
            let outcome = try TCPLabProcess.run(["decode", capture, "--ladder", "--ascii"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(outcome.stdout.contains("|<-- RST after the sender's FIN"))
        }

        @Test func reportErrorsAreOneLine() throws {
            let missing = try TCPLabProcess.run(["report", "/nonexistent/run.json", "--html", "/tmp/x.html"])
            #expect(missing.status == 2)
            #expect(missing.stderr == "tcplab: /nonexistent/run.json: no such file (save a run with `tcplab scenario NAME --json > /nonexistent/run.json`)\n")
        }
    }
}

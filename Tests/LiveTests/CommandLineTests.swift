import Foundation
import Testing

/// The other commands, and the one-line errors bad input gets.
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct CommandLineTests {
        struct ListedScenario: Decodable {
            struct Variant: Decodable { var name: String; var summary: String }
            var name: String
            var summary: String
            var variants: [Variant]
        }

        @Test func listJSONNamesTheBrokenPipeVariants() throws {
            let outcome = try TCPLabProcess.run(["list", "--json"])
            #expect(outcome.status == 0)
            let scenarios = try JSONDecoder().decode([ListedScenario].self, from: Data(outcome.stdout.utf8))
            let brokenPipe = try #require(scenarios.first { $0.name == "broken-pipe" })
            #expect(brokenPipe.variants.map(\.name) == ["default", "sigpipe-ignored", "msg-nosignal", "fixed-client"])
            #expect(!brokenPipe.summary.isEmpty)
            let text = try TCPLabProcess.run(["list"]).stdout
            #expect(text.contains("broken-pipe") && text.contains("--variant fixed-client"))
        }

        @Test(arguments: [
            (["scenario", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
            (["scenario", "broken-pipe", "--variant", "nope"], "has no variant 'nope'"),
            (["decode", "/nonexistent/file.pcap"], "cannot open: no such file"),
            (["scenario", "broken-pipe", "--timeout", "-1"], "--timeout"),
        ])
        func badInputGetsOneLineError(arguments: [String], message: String) throws {
            let outcome = try TCPLabProcess.run(arguments)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Backtrac"))
        }

        /// A `--pcap` in no directory is refused before the run prints anything (its header
        /// included), for a scenario and for an exercise, with exit 2.
        @Test(arguments: [["scenario", "broken-pipe"], ["exercise", "broken-pipe"]])
        func aPcapInNoDirectoryIsRefusedBeforeAnythingIsPrinted(_ command: [String]) throws {
            let missing = "/missing-\(UUID().uuidString)/x.pcap"
            let outcome = try TCPLabProcess.run(command + ["--pcap", missing])
            #expect(outcome.status == 2, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "printed before the error: \(outcome.stdout)")
            #expect(outcome.stderr.contains("--pcap \(missing): no directory"), "stderr: \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: (missing as NSString).deletingLastPathComponent))
        }

        @Test func decodeRefusesAFileThatIsNotACapture() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-pcap-\(UUID().uuidString).pcap").path
            try String(repeating: "this is not a capture\n", count: 4).write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let outcome = try TCPLabProcess.run(["decode", path])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("unknown file format"), "stderr: \(outcome.stderr)")
        }

        @Test func truncatedCaptureDecodesWhatItCanThenFailsWithTheOffset() throws {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("captures/broken-pipe.pcap"))
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).pcap").path
            try bytes.prefix(500).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let outcome = try TCPLabProcess.run(["decode", path])
            #expect(outcome.status == 2)
            #expect(outcome.stdout.contains("handshake done"), "the frames before the cut are still shown")
            #expect(outcome.stderr.contains("at byte 500: the file is truncated"), "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
        }

        @Test func statesShowsAListenerWithItsOwner() throws {
            let listener = try LoopbackListener(backlog: 3)
            let port = listener.port
            let outcome = try TCPLabProcess.run(["states", "--port", String(port)])
            #expect(outcome.status == 0)
            let line = try #require(outcome.stdout.split(separator: "\n").first { $0.contains("127.0.0.1:\(port)") })
            #expect(line.contains("LISTEN"))
            #expect(line.contains("pid=\(getpid())"), "line: \(line)")
        }

        @Test func doctorSaysLiveRunsWorkHere() throws {
            let outcome = try TCPLabProcess.run(["doctor"])
            #expect(outcome.status == 0, "\(outcome.stdout)")
            #expect(outcome.stdout.contains("network namespace"))
            #expect(outcome.stdout.contains("live scenarios can run here"))
        }
    }
}

import Foundation
import Glibc
import Testing

/// The package's `captures/reference/`, found from this file's path.
let referenceDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("captures/reference")

/// The shipped reference JSON files, as (scenario, variant, path).
func shippedReferences() throws -> [(scenario: String, variant: String, path: String)] {
    try FileManager.default.contentsOfDirectory(atPath: referenceDirectory.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
        let path = referenceDirectory.appendingPathComponent(name).path
        let run = try RunJSON.decode(try String(contentsOfFile: path, encoding: .utf8))
        return (run.scenario, run.variant, path)
    }
}

/// `tcplab scenario … --replay`, and a reference regenerated live against the shipped one.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct ReplayLiveTests {
        @Test func aLiveRunMatchesTheShippedReference() throws {
            let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-reference-\(UUID().uuidString).pcap").path
            defer { try? FileManager.default.removeItem(atPath: pcap) }
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--variant", "default", "--json", "--pcap", pcap])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let live = try RunJSON.decode(outcome.stdout)
            let shipped = try RunJSON.decode(try String(
                contentsOf: referenceDirectory.appendingPathComponent("broken-pipe-default.json"), encoding: .utf8))
            // The shipped recordings predate the claims every scenario gets (states-match-capture).
            #expect(live.claims.filter { !RunJSON.everyScenarioClaims.contains($0.id) }.map { "\($0.id)=\($0.holds)" }
                    == shipped.claims.map { "\($0.id)=\($0.holds)" })
            #expect(live.segments.map { "\($0.flags)/\($0.length)" } == shipped.segments.map { "\($0.flags)/\($0.length)" })
            #expect(FileManager.default.fileExists(atPath: pcap))
        }

        /// `tcplab exercise … --replay` from a directory that holds no recordings (captures/): the
        /// recordings are found from the binary, each marked question says why when wrong.
        @Test func anExerciseReplaysFromAnotherDirectory() throws {
            let answers = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-answers-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: answers) }
            try "server-state: FIN-WAIT-2\nclient-state: close wait\nhehe-send: 4\nrst-segment: #10\nclient-ending: SIGPIPE\n"
                .write(to: answers, atomically: true, encoding: .utf8)
            let captures = referenceDirectory.deletingLastPathComponent()
            let outcome = try TCPLabProcess.run(["exercise", "broken-pipe", "--replay", "--answers", answers.path], directory: captures)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            // What the student typed, and how it was read.
            #expect(outcome.stdout.contains("you said #10 (10); segment #11 carried the RST"), "stdout: \(outcome.stdout)")
            #expect(outcome.stdout.contains("you said FIN-WAIT-2 (FIN_WAIT2); the run showed FIN_WAIT2"), "stdout: \(outcome.stdout)")
            #expect(outcome.stdout.contains("score: 4/5"))
            let scenario = try TCPLabProcess.run(["scenario", "broken-pipe", "--replay"], directory: captures)
            #expect(scenario.status == 0 && scenario.stdout.contains("7 claims hold"), "stderr: \(scenario.stderr)")
        }

        /// `--replay --from DIR` for an exercise, and bad answers files refused with exit 2.
        @Test func anExerciseReplaysFromAGivenRecordingAndRefusesBadAnswers() throws {
            let json = try TCPLabProcess.run(["exercise", "broken-pipe", "--replay", "--from", referenceDirectory.path, "--json",
                                              "--answers", LabSheet.packageRoot.appendingPathComponent("Labs/answers/broken-pipe.txt").path])
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(result["score"] as? Int == 5 && (result["replayedFrom"] as? String)?.hasSuffix("broken-pipe-default.json") == true)
            let bad = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-bad-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: bad) }
            for text in ["client-ending: 7\n", "hehe-send: 4\nhehe-send: 4\n", "", "nope: 1\n"] {
                try text.write(to: bad, atomically: true, encoding: .utf8)
                let outcome = try TCPLabProcess.run(["exercise", "broken-pipe", "--replay", "--answers", bad.path])
                #expect(outcome.status == 2 && outcome.stdout.isEmpty, "\(text.debugDescription): exit \(outcome.status)")
                #expect(outcome.stderr.hasPrefix("tcplab: answers file ") && outcome.stderr.split(separator: "\n").count == 1,
                        "\(text.debugDescription): \(outcome.stderr)")
            }
        }

        @Test func everyShippedReferenceReplays() throws {
            let references = try shippedReferences()
            #expect(references.count >= 35)
            for reference in references {
                let outcome = try TCPLabProcess.run(["scenario", reference.scenario, "--variant", reference.variant, "--replay", "--json"])
                #expect(outcome.status == 0, "\(reference.scenario) \(reference.variant): \(outcome.stderr)")
                let replayed = try RunJSON.decode(outcome.stdout)
                let recorded = try RunJSON.decode(try String(contentsOfFile: reference.path, encoding: .utf8))
                #expect(replayed.passed)
                #expect(!replayed.claims.isEmpty)
                for claim in replayed.claims { #expect(claim.holds, "\(reference.scenario) \(reference.variant) \(claim.id): \(claim.evidence)") }
                // Older recordings predate the claims every scenario gets; newer ones carry them, and
                // states-match-capture is made only where the run recorded a socket table: the
                // scenario's own claims come back the same, each claim once.
                let own = recorded.claims.map(\.id).filter { !RunJSON.everyScenarioClaims.contains($0) }
                #expect(replayed.claims.map(\.id).filter { !RunJSON.everyScenarioClaims.contains($0) } == own)
                #expect(Set(replayed.claims.map(\.id)).count == replayed.claims.count, "a claim judged twice")
                #expect(replayed.segments.count == recorded.segments.count, "\(reference.scenario) \(reference.variant)")
                #expect(replayed.segments == recorded.segments, "\(reference.scenario) \(reference.variant)")
            }
        }

        @Test func replayPrintsTheTimelineAndMarksTheClaims() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--replay"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            for expected in [
                "replayed from", "SYN  mss 65495", "client  send(\"hehe\") ...", "client  ... send = 4", "RST: data for a socket nobody holds",
                "sockets  after the server's close()", "client  send(\"wawa\") -> killed by SIGPIPE (signal 13)",
                "claims (replayed from ", "captures/reference/broken-pipe-default.json)", "7 claims hold",
            ] {
                #expect(outcome.stdout.contains(expected), "missing \(expected) in:\n\(outcome.stdout)")
            }
            #expect(!outcome.stdout.contains("capture saved"))
        }

        /// Issue 10's example: connect()'s result below the SYN and the RST that caused it, in the
        /// timeline and in the ladder `--ladder` draws after it.
        @Test func replayShowsTheResultWhereTheCallReturned() throws {
            let outcome = try TCPLabProcess.run(["scenario", "refused", "--replay", "--ladder", "--ascii"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            let ladder = try #require(lines.firstIndex(of: "ladder"), "no ladder in:\n\(outcome.stdout)")
            func index(_ part: ArraySlice<String>, _ predicate: (String) -> Bool) throws -> Int {
                let found = part.firstIndex(where: predicate)
                return try #require(found, "not found in:\n\(outcome.stdout)")
            }
            let timeline = lines[..<ladder]
            let start = try index(timeline) { $0 == "        client  connect(127.0.0.1:7777) ..." }
            let rst = try index(timeline) { $0.hasPrefix("   2 ") && $0.contains("RST-ACK") }
            let result = try index(timeline) { $0 == "        client  ... connect = -1 ECONNREFUSED (Connection refused)" }
            #expect(start < rst && rst < result)
            #expect(!timeline.contains { $0.contains("connect(127.0.0.1:7777) = -1") })
            let drawn = lines[ladder...]
            let drawnStart = try index(drawn) { $0.contains("| connect(127.0.0.1:7777) ... ") }
            let drawnRST = try index(drawn) { $0.hasPrefix("   2 |<--") }
            let drawnResult = try index(drawn) { $0.contains("| ... connect = -1 ECONNREFUSED (Connection refused) ") }
            #expect(drawnStart < drawnRST && drawnRST < drawnResult)
        }

        @Test func replayOfAnUnknownVariantIsAUsageError() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--variant", "nope", "--replay"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("has no variant 'nope'"))
        }
    }
}

import Foundation
import Testing

/// `tcplab scenario NAME --replay --from DIR`: a teacher edits a copy of a recording the way
/// another kernel would have left it, and the claims judge the edited evidence.
extension Live {
    @Suite struct ReplayFromLiveTests {
        @Test func anEditedRecordingFailsTheClaimItContradicts() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-from-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for ext in ["json", "pcap"] {
                try FileManager.default.copyItem(at: referenceDirectory.appendingPathComponent("broken-pipe-default.\(ext)"),
                                                 to: directory.appendingPathComponent("broken-pipe-default.\(ext)"))
            }
            let json = directory.appendingPathComponent("broken-pipe-default.json")
            let text = try String(contentsOf: json, encoding: .utf8)
            #expect(text.contains("\"FIN_WAIT2\""))
            try text.replacingOccurrences(of: "\"FIN_WAIT2\"", with: "\"ESTABLISHED\"").write(to: json, atomically: true, encoding: .utf8)

            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--replay", "--from", directory.path])
            #expect(outcome.status == 1, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("FAIL after the server's close, its side is FIN_WAIT2 and the client's CLOSE_WAIT  (seen instead: server ESTABLISHED, client CLOSE_WAIT)"),
                    "\(outcome.stdout)")
            #expect(outcome.stdout.contains("note: half-closed-states held when recorded"))

            let missing = try TCPLabProcess.run(["scenario", "broken-pipe", "--replay", "--from", directory.appendingPathComponent("nope").path])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("no such file or directory"))
        }
    }
}

import Foundation
import Testing

/// Ctrl-C in the middle of a run: roles are stopped and reaped, the capture file is closed.
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct InterruptLiveTests {
        @Test func interruptMidRunLeavesNothingBehind() throws {
            let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-interrupt-\(UUID().uuidString).pcap").path
            defer { try? FileManager.default.removeItem(atPath: pcap) }
            // --step waits for Enter before the first message: a point in the middle of the run
            // that does not depend on timing.
            let run = try PausedRun("broken-pipe", ["--pcap", pcap])
            #expect(run.printed.contains("handshake done"), "output so far: \(run.printed)")
            let pids = run.rolePIDs
            #expect(pids.count == 2, "expected a server and a client running, found \(pids)")

            let stderr = run.interrupt()
            #expect(run.process.terminationReason == .exit && run.process.terminationStatus == 130)
            #expect(stderr.contains("interrupted by SIGINT"), "stderr: \(stderr)")
            #expect(TCPLabProcess.runningRoles().isEmpty, "role processes left: \(TCPLabProcess.runningRoles())")
            for pid in pids { #expect(kill(pid, 0) == -1, "role \(pid) still exists (zombie or alive)") }
            let decoded = try TCPLabProcess.run(["decode", pcap])
            #expect(decoded.status == 0, "the capture file was not closed properly: \(decoded.stderr)")
            // The handshake is there; the kernel's FINs as it closes the killed roles' sockets may follow.
            #expect(decoded.stdout.contains("handshake done"), "decode: \(decoded.stdout)")
            #expect(!decoded.stdout.contains("\"haha\""), "the run went past the pause: \(decoded.stdout)")
        }
    }
}

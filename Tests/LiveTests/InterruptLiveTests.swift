import Foundation
import Testing

/// Ctrl-C in the middle of a run: roles are stopped and reaped, the capture file is closed.
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct InterruptLiveTests {
        @Test func interruptMidRunLeavesNothingBehind() throws {
            let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-interrupt-\(UUID().uuidString).pcap").path
            defer { try? FileManager.default.removeItem(atPath: pcap) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TCPLabProcess.binary)
            // --step waits for Enter before the first message: a point in the middle of the run
            // that does not depend on timing.
            process.arguments = ["scenario", "broken-pipe", "--step", "--pcap", pcap]
            let input = Pipe(), output = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()

            var seen = ""
            while !seen.contains("-- next:") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            #expect(seen.contains("handshake done"), "output so far: \(seen)")
            let pids = rolePIDs()
            #expect(pids.count == 2, "expected a server and a client running, found \(pids)")

            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit && process.terminationStatus == 130)
            #expect(stderr.contains("interrupted by SIGINT"), "stderr: \(stderr)")
            #expect(rolePIDs().isEmpty, "role processes left: \(rolePIDs())")
            for pid in pids { #expect(kill(pid, 0) == -1, "role \(pid) still exists (zombie or alive)") }
            let decoded = try TCPLabProcess.run(["decode", pcap])
            #expect(decoded.status == 0, "the capture file was not closed properly: \(decoded.stderr)")
            // The handshake is there; the kernel's FINs as it closes the killed roles' sockets may follow.
            #expect(decoded.stdout.contains("handshake done"), "decode: \(decoded.stdout)")
            #expect(!decoded.stdout.contains("\"haha\""), "the run went past the pause: \(decoded.stdout)")
        }

        /// Pids of this build's `tcplab role …` processes (children of `parent` if given).
        private func rolePIDs(parent: Int32? = nil) -> [Int32] {
            TCPLabProcess.runningRoles().map(\.pid).filter { pid in
                guard let parent else { return true }
                // /proc/PID/stat: "pid (comm) state ppid …"; comm has no spaces here.
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                return stat.split(separator: " ").dropFirst(3).first == Substring(String(parent))
            }
        }
    }
}

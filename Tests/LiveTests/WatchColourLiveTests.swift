import Foundation
import Testing

/// `tcplab watch` on a terminal (script(1) gives it one) colours the SYN lines; `--no-color`
/// gives none, as `tcplab scenario` and `tcplab check` do.
extension Live {
    @Suite(.timeLimit(.minutes(1)),
           .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) (bsdutils) gives tcplab a terminal"))
    struct WatchColourLiveTests {
        static func onTerminal(_ extra: [String], program: String) throws -> PackageLiveTests.Outcome {
            let command = ([TCPLabProcess.binary, "watch"] + extra + ["--", "python3", program])
                .map { "'" + $0 + "'" }.joined(separator: " ")
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = nil
            environment["TERM"] = "xterm"
            environment["SHELL"] = "/bin/sh"
            var outcome = try PackageLiveTests.run("/usr/bin/script", ["-qec", command, "/dev/null"],
                                                   in: FileManager.default.temporaryDirectory, environment: environment, timeout: 30)
            outcome.stdout = outcome.stdout.replacingOccurrences(of: "\r\n", with: "\n")
            return outcome
        }

        @Test func aTerminalSeesColourAndNoColorGivesNone() throws {
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("coloured-\(UUID().uuidString).py").path
            try WatchLiveTests.program.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let coloured = try Self.onTerminal([], program: script)
            #expect(coloured.status == 0 && coloured.stdout.contains(" segments"), "\(coloured.description)")
            #expect(coloured.stdout.contains("\u{1B}["), "\(coloured.description)")
            let plain = try Self.onTerminal(["--no-color"], program: script)
            #expect(plain.status == 0 && plain.stdout.contains(" segments"), "\(plain.description)")
            #expect(!plain.stdout.contains("\u{1B}["), "\(plain.description)")
        }
    }
}

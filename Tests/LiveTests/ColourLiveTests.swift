import Foundation
import Glibc
import Testing

/// Colour as a user sees it: the replay on a terminal (script(1) gives it a pseudo-terminal) has
/// a red RST and a green `ok`; `--no-color`, `NO_COLOR` and a pipe give none.
extension Live {
    @Suite(.timeLimit(.minutes(1)),
           .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) (bsdutils) gives tcplab a terminal"))
    struct ColourLiveTests {
        /// `tcplab scenario broken-pipe --replay extra…` on a pseudo-terminal, with `environment` added.
        static func onTerminal(_ extra: [String], environment: [String: String] = [:]) throws -> PackageLiveTests.Outcome {
            let command = ([TCPLabProcess.binary, "scenario", "broken-pipe", "--replay"] + extra)
                .map { "'" + $0 + "'" }.joined(separator: " ")
            var merged = ProcessInfo.processInfo.environment
            merged["NO_COLOR"] = nil
            merged["TERM"] = "xterm"
            merged["SHELL"] = "/bin/sh"
            merged.merge(environment) { $1 }
            var outcome = try PackageLiveTests.run("/usr/bin/script", ["-qec", command, "/dev/null"],
                                                   in: FileManager.default.temporaryDirectory, environment: merged, timeout: 30)
            // The terminal turns each newline into CR LF (onlcr), which Swift keeps as one Character.
            outcome.stdout = outcome.stdout.replacingOccurrences(of: "\r\n", with: "\n")
            return outcome
        }

        @Test func aTerminalSeesColour() throws {
            let outcome = try Self.onTerminal([])
            #expect(outcome.status == 0, "\(outcome.description)")
            let rst = outcome.stdout.split(separator: "\n").first { $0.contains("RST: data for a socket nobody holds") }
            #expect(rst?.hasPrefix("\u{1B}[31m") == true, "RST line: \(rst.map(String.init) ?? "none")")
            #expect(outcome.stdout.contains("\u{1B}[32mok\u{1B}[0m"), "\(outcome.description)")
        }

        @Test func noColorFlagAndVariableGiveNone() throws {
            let flag = try Self.onTerminal(["--no-color"])
            #expect(flag.status == 0 && flag.stdout.contains("claims hold"), "\(flag.description)")
            #expect(!flag.stdout.contains("\u{1B}["), "\(flag.description)")
            let variable = try Self.onTerminal([], environment: ["NO_COLOR": "1"])
            #expect(variable.status == 0 && variable.stdout.contains("claims hold"), "\(variable.description)")
            #expect(!variable.stdout.contains("\u{1B}["), "\(variable.description)")
        }

        @Test func aFileGetsNone() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--replay"])
            #expect(outcome.status == 0 && outcome.stdout.contains("claims hold"), "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(!outcome.stdout.contains("\u{1B}["))
        }
    }
}

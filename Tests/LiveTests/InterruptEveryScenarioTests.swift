import Foundation
import Testing

extension Live {
    /// Ctrl-C at several points of every scenario: whatever the moment, every role and child is
    /// gone afterwards, no zombie of ours remains, no named namespace is left, and the pcap
    /// written so far is a valid capture.
    @Suite(.timeLimit(.minutes(5)))
    struct InterruptEveryScenarioTests {
        static let scenarios = ["broken-pipe", "close-states", "zombie", "iterative", "concurrency", "refused",
                                "reuseaddr", "backlog", "unread-close", "nagle"]

        @Test(arguments: scenarios)
        func interruptAtSeveralPoints(scenario: String) throws {
            var interrupted = 0
            // Ctrl-C (SIGINT) at two points, and SIGTERM (what `kill` and service managers send) at one.
            for (lines, signal) in [(1, SIGINT), (6, SIGTERM), (14, SIGINT)] {
                let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("int-\(UUID().uuidString).pcap").path
                defer { try? FileManager.default.removeItem(atPath: pcap) }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: TCPLabProcess.binary)
                process.arguments = ["scenario", scenario, "--pcap", pcap]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = Pipe()
                try process.run()
                // Interrupt once the run has printed `lines` lines: a point in the run that moves
                // with what it has done, not with the clock.
                var seen = 0
                while seen < lines {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    seen += chunk.filter { $0 == UInt8(ascii: "\n") }.count
                }
                kill(process.processIdentifier, signal)
                process.waitUntilExit()
                if process.terminationStatus == 128 + signal { interrupted += 1 }
                #expect([0, 1, 128 + signal].contains(process.terminationStatus),
                        "\(scenario) after \(lines) lines: status \(process.terminationStatus)")
                #expect(TCPLabProcess.runningRoles().isEmpty, "\(scenario) after \(lines) lines left \(TCPLabProcess.runningRoles().map(\.command))")
                #expect(Self.zombiesOf(process.processIdentifier).isEmpty)
                if FileManager.default.fileExists(atPath: pcap) {
                    let decoded = try TCPLabProcess.run(["decode", pcap])
                    #expect(decoded.status == 0, "\(scenario) after \(lines) lines: pcap not valid: \(decoded.stderr)")
                }
            }
            #expect(interrupted > 0, "\(scenario) finished before every interrupt: no point was mid-run")
            #expect(Self.namedNamespaces().isEmpty)
        }

        /// Zombies whose parent is the (finished) lab process or that are this build's roles.
        static func zombiesOf(_ pid: Int32) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
                guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")")
                else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.first == "Z" && fields.dropFirst().first == Substring(String(pid)) ? stat : nil
            }
        }

        /// `ip netns list`: tcplab never names its namespaces, so this must stay empty.
        static func namedNamespaces() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
        }
    }
}

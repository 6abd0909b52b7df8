import Foundation
import Glibc
import Testing

/// tcplab without root: a live run as user `nobody` in a user + network namespace of its own,
/// the replay as `nobody`, and the error (offering `--replay`) where user namespaces are refused.
/// Each test copies the binary to a directory `nobody` can read and gives it one it may write.
extension Live {
    @Suite(.timeLimit(.minutes(1)), .enabled(if: getuid() == 0, "switching to nobody needs root"))
    struct UnprivilegedLiveTests {
        /// A scratch directory with a copy of tcplab, readable by all, and `out/` owned by nobody.
        struct Sandbox {
            let directory: URL
            var binary: String { directory.appendingPathComponent("tcplab").path }
            var out: URL { directory.appendingPathComponent("out") }

            init() throws {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-nobody-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
                try FileManager.default.copyItem(atPath: TCPLabProcess.binary, toPath: directory.appendingPathComponent("tcplab").path)
                try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: false)
                #expect(chown(directory.appendingPathComponent("out").path, 65534, 65534) == 0)
            }

            func remove() { try? FileManager.default.removeItem(at: directory) }

            /// Runs `setpriv … [prefix…] tcplab arguments…` as nobody, in `out/`.
            func runAsNobody(_ arguments: [String], prefix: [String] = [], environment: [String: String] = [:],
                             binary: String? = nil) throws -> TCPLabProcess.Outcome {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + prefix + [binary ?? self.binary] + arguments
                process.currentDirectoryURL = out
                process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
                let stdout = out.appendingPathComponent("stdout-\(UUID().uuidString)"), stderr = out.appendingPathComponent("stderr-\(UUID().uuidString)")
                _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
                _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
                process.standardOutput = try FileHandle(forWritingTo: stdout)
                process.standardError = try FileHandle(forWritingTo: stderr)
                process.standardInput = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                return TCPLabProcess.Outcome(
                    status: process.terminationStatus,
                    stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
                    stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
            }
        }

        @Test func nobodyRunsAScenarioInAUserNamespace() throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let pcap = sandbox.out.appendingPathComponent("run.pcap").path
            let outcome = try sandbox.runAsNobody(["scenario", "broken-pipe", "--pcap", pcap])
            #expect(outcome.status == 0, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            let network = outcome.stdout.split(separator: "\n").first { $0.contains("net: ") }
            #expect(network?.hasSuffix("net: private user + network namespace") == true, "network line: \(network ?? "none")")
            #expect(outcome.stdout.contains("7 claims hold"))
            let attributes = try FileManager.default.attributesOfItem(atPath: pcap)
            #expect((attributes[.ownerAccountID] as? Int) == 65534, "the capture was written by nobody")
        }

        @Test func nobodyReplaysWithoutAnyNamespace() throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let outcome = try sandbox.runAsNobody(
                ["scenario", "zombie", "--variant", "no-reap", "--replay"], environment: ["TCPLAB_REFERENCES": referenceDirectory.path])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("claims (replayed from \(referenceDirectory.path)/zombie-no-reap.json)"))
        }

        /// The build's own binary (not a copy), as nobody, from the sandbox: the recordings are found
        /// next to the binary's real path, with no TCPLAB_REFERENCES, and the key (given by its
        /// absolute path) is marked and scored.
        @Test func nobodyMarksAnExerciseAgainstTheRecordingFromAnyDirectory() throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let key = sandbox.directory.appendingPathComponent("broken-pipe.txt")
            try FileManager.default.copyItem(at: LabSheet.packageRoot.appendingPathComponent("Labs/answers/broken-pipe.txt"), to: key)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key.path)
            let outcome = try sandbox.runAsNobody(["exercise", "broken-pipe", "--replay", "--answers", key.path],
                                                  binary: TCPLabProcess.binary)
            #expect(outcome.status == 0, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("your predictions, marked against the recorded run"))
            #expect(outcome.stdout.contains("score: 5/5"), "stdout: \(outcome.stdout)")
        }

        /// The zombie key leaves a question out: nobody's JSON scores it 4 of 5 and names it.
        @Test func nobodysJSONCountsAQuestionLeftOut() throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let key = sandbox.directory.appendingPathComponent("zombie.txt")
            try FileManager.default.copyItem(at: LabSheet.packageRoot.appendingPathComponent("Labs/answers/zombie.txt"), to: key)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key.path)
            let outcome = try sandbox.runAsNobody(["exercise", "zombie", "--replay", "--answers", key.path, "--json"],
                                                  environment: ["TCPLAB_REFERENCES": referenceDirectory.path])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            #expect(result["score"] as? Int == 4 && result["total"] as? Int == 5, "\(result["score"] ?? "none")/\(result["total"] ?? "none")")
            #expect(result["unanswered"] as? [String] == ["new-parent-pid"])
        }

        /// `unshare --user` without an id map leaves nobody in a user namespace where it has no
        /// capabilities and, being unmapped, may not create another: exactly what a kernel that
        /// forbids unprivileged user namespaces looks like to tcplab.
        @Test func whereUserNamespacesAreRefusedTheErrorOffersReplay() throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let outcome = try sandbox.runAsNobody(
                ["scenario", "broken-pipe", "--pcap", sandbox.out.appendingPathComponent("run.pcap").path], prefix: ["/usr/bin/unshare", "--user"])
            #expect(outcome.status == 2, "stdout: \(outcome.stdout)\nstderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains("this kernel does not allow unprivileged user namespaces"), "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains("tcplab scenario broken-pipe --variant default --replay"), "stderr: \(outcome.stderr)")
            #expect(TCPLabProcess.runningRoles().isEmpty)
        }
    }
}

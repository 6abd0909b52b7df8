import Foundation
import Testing

extension Live {
    /// `tcplab watch` started through a launcher (a shell script that forks a few times and
    /// tries execve(2) along a PATH of missing directories before it execs python3, as a pyenv
    /// shim does) shows none of the launcher's calls: the program's own from its exec on.
    @Suite(.timeLimit(.minutes(1)))
    struct WatchLauncherLiveTests {
        struct Result: Decodable {
            struct Call: Decodable { var role: String; var call: String; var text: String; var errno: Int32? }
            var calls: [Call]
            var ended: String?
        }

        static let launcher = """
            #!/bin/sh
            here=$(dirname "$0")
            a=$(echo one); b=$(echo two)
            /bin/true
            PATH=/nonexistent-tcplab-1:/nonexistent-tcplab-2:/usr/bin
            exec python3 "$here/program.py"
            """

        @Test func aLaunchersForksWaitsAndFailedExecsAreNotShown() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launcher-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: directory) }
            try WatchLiveTests.program.write(to: directory.appendingPathComponent("program.py"), atomically: true, encoding: .utf8)
            let script = directory.appendingPathComponent("launch.sh").path
            try Self.launcher.write(toFile: script, atomically: true, encoding: .utf8)
            let outcome = try TCPLabProcess.run(["watch", "--json", "--", "sh", script])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let result = try JSONDecoder().decode(Result.self, from: Data(outcome.stdout.utf8))
            let shown = result.calls.map { "\($0.role) \($0.text)" }
            #expect(result.ended == "your program exited with status 0")
            // The program's exec is the first call shown, and the only exec.
            #expect(result.calls.first?.call == "execve" && result.calls.first?.text.contains("/usr/bin/python3") == true, "\(shown)")
            #expect(result.calls.filter { $0.call == "execve" }.count == 1, "\(shown)")
            #expect(!result.calls.contains { ["fork", "wait4", "waitid"].contains($0.call) }, "\(shown)")
            #expect(!result.calls.contains { $0.errno == ENOENT }, "\(shown)")
            #expect(result.calls.contains { $0.call == "listen" } && result.calls.contains { $0.call == "connect" }, "\(shown)")
        }
    }
}

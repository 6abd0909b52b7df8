import Foundation
import Testing

extension Live {
    /// `tcplab watch` runs a student's own program (here a small Python one that talks to itself)
    /// and shows its segments, socket states and process tree.
    @Suite(.timeLimit(.minutes(1)))
    struct WatchLiveTests {
        struct Result: Decodable {
            struct Segment: Decodable { var flags: String; var length: Int }
            struct Processes: Decodable { var rows: [Row] }
            struct Row: Decodable { var role: String }
            var segments: [Segment]
            var processes: [Processes]
            var ended: String?
        }

        static let program = """
            import socket, threading
            listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
            port = listener.getsockname()[1]
            def serve():
                connection, _ = listener.accept(); connection.send(connection.recv(64).upper()); connection.close()
            server = threading.Thread(target=serve); server.start()
            client = socket.create_connection(("127.0.0.1", port)); client.send(b"haha")
            assert client.recv(64) == b"HAHA"; client.close(); server.join()
            """

        @Test func watchesAProgramFromStartToExit() throws {
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("watched-\(UUID().uuidString).py").path
            try Self.program.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let outcome = try TCPLabProcess.run(["watch", "--json", "--", "python3", script])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let result = try JSONDecoder().decode(Result.self, from: Data(outcome.stdout.utf8))
            #expect(result.ended == "your program exited with status 0")
            let flags = result.segments.map(\.flags)
            #expect(flags.prefix(3) == ["S", "S.", "."], "segments: \(flags)")
            #expect(result.segments.contains { $0.length == 4 } && flags.contains { $0.contains("F") })
            // Seen gone at the end (a program this short may live between two readings of /proc:
            // seeing it running is the next test's, which keeps it alive until it was seen).
            #expect(result.processes.last?.rows.isEmpty == true)
        }

        /// The program talks to itself, then waits for its standard input to end: the test ends
        /// it once the watch has shown it running, and the watch then shows it gone.
        @Test func showsTheProgramRunningThenGone() throws {
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("watched-\(UUID().uuidString).py").path
            try (Self.program + "\nimport sys; sys.stdin.read()\n").write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let watch = Process()
            watch.executableURL = URL(fileURLWithPath: TCPLabProcess.binary)
            watch.arguments = ["watch", "--", "/usr/bin/python3", script]
            let input = Pipe(), output = Pipe()
            watch.standardInput = input
            watch.standardOutput = output
            watch.standardError = FileHandle.nullDevice
            try watch.run()
            var seen = ""
            while !seen.split(separator: "\n").contains(where: { $0.contains("processes") && $0.contains("python3") }) {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
            }
            try input.fileHandleForWriting.close()
            seen += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watch.waitUntilExit()
            #expect(watch.terminationStatus == 0, "\(seen)")
            let lines = seen.split(separator: "\n").map(String.init)
            let running = try #require(lines.firstIndex { $0.contains("processes") && $0.contains("python3") }, "\(seen)")
            let gone = try #require(lines.lastIndex { $0.contains("processes the program has exited") }, "\(seen)")
            #expect(running < gone, "\(seen)")
        }

        @Test func withoutProgramOrPortItSaysWhatToGive() throws {
            let outcome = try TCPLabProcess.run(["watch"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("give a program to run after `--`"))
        }
    }
}

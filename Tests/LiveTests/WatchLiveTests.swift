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
            // The program was seen running, and then seen gone.
            #expect(result.processes.first?.rows.map(\.role).contains("your program") == true)
            #expect(result.processes.last?.rows.isEmpty == true)
        }

        @Test func withoutProgramOrPortItSaysWhatToGive() throws {
            let outcome = try TCPLabProcess.run(["watch"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("give a program to run after `--`"))
        }
    }
}

import Foundation
import Testing

extension Live {
    /// What the watched program prints sits on the timeline where its write(2) returned: after the
    /// segments and the calls that came before it (the program's lines no longer reach the
    /// terminal ahead of the segments they follow, nor below the calls that came after them).
    @Suite(.timeLimit(.minutes(1)))
    struct WatchOutputLiveTests {
        static let program = """
            import socket, threading
            listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
            print("listening", flush=True)
            def serve():
                connection, _ = listener.accept(); connection.send(connection.recv(64).upper()); connection.close()
            server = threading.Thread(target=serve); server.start()
            client = socket.create_connection(("127.0.0.1", listener.getsockname()[1])); client.send(b"haha")
            print("got", client.recv(64).decode(), flush=True); client.close(); server.join()
            """

        @Test func printedLinesFollowWhatHappenedBeforeThem() throws {
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("printing-\(UUID().uuidString).py").path
            try Self.program.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let outcome = try TCPLabProcess.run(["watch", "--", "/usr/bin/python3", script])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            let context = Comment(rawValue: outcome.stdout)
            // Where listen() returned: whole (`listen(1) = 0`), or its result line when a reading split it.
            let listen = try #require(lines.firstIndex { $0.contains("listen") && $0.contains("= 0") }, context)
            let listening = try #require(lines.firstIndex { $0.contains("output") && $0.hasSuffix("listening") }, context)
            let upper = try #require(lines.firstIndex { $0.contains("P.") && $0.contains("\"HAHA\"") }, context)
            let received = try #require(lines.firstIndex { $0.contains("recv = 4 \"HAHA\"") || $0.contains("recv() = 4 \"HAHA\"") }, context)
            let got = try #require(lines.firstIndex { $0.contains("output") && $0.hasSuffix("got HAHA") }, context)
            // Printed before the server thread's accept() began: the write places it, not the read.
            let accept = try #require(lines.firstIndex { $0.contains("accept") }, context)
            #expect(listen < listening && listening < accept, context)
            #expect(upper < got && received < got, context)
            // Only on the timeline, not also straight from the program.
            #expect(!lines.contains("got HAHA") && !lines.contains("listening"), context)
        }
    }
}

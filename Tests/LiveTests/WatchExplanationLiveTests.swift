import Foundation
import Glibc
import Testing

extension Live {
    /// `tcplab watch` says why when the story differs from the textbook: a Python server that
    /// closes a connection whose bytes it never read sends an RST, not a FIN, and the watch
    /// prints the `why` line naming the close() call and the segments, after the RST.
    @Suite(.timeLimit(.minutes(1)), .enabled(if: getuid() == 0, "CI runs the live tests as root"))
    struct WatchExplanationLiveTests {
        /// The server never reads "hehe": it waits with select() until the bytes are there, then
        /// close()s. The client's recv() is then reset.
        static let program = """
            import select, socket
            listener = socket.socket(); listener.bind(("127.0.0.1", 7777)); listener.listen(1)
            client = socket.create_connection(("127.0.0.1", 7777)); connection, _ = listener.accept()
            client.send(b"hehe")
            select.select([connection], [], [])
            connection.close()
            try:
                client.recv(64)
            except ConnectionResetError:
                print("client: ECONNRESET", flush=True)
            client.close(); listener.close()
            """

        @Test func aCloseWithUnreadDataIsExplained() throws {
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("unread-\(UUID().uuidString).py").path
            try Self.program.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let outcome = try TCPLabProcess.run(["watch", "--port", "7777", "--", "python3", script])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            let context = Comment(rawValue: outcome.stdout)
            try #require(outcome.stdout.contains("client: ECONNRESET"), context)
            let reset = try #require(lines.firstIndex { $0.contains(" R.") && $0.contains("RST") }, context)
            let number = try #require(lines[reset].split(separator: " ").first.flatMap { Int($0) }, context)
            let why = try #require(lines.firstIndex { $0.contains("why") && $0.contains("sent RST #\(number) instead of a FIN") }, context)
            #expect(lines[why].contains("close(") && lines[why].contains("were never read"), context)
            #expect(reset < why, context)
            let reads = try #require(lines.firstIndex { $0.contains("why") && $0.contains("recv() failed with ECONNRESET: RST #\(number)") }, context)
            #expect(why < reads, context)
        }
    }
}

import Foundation
import Glibc
import Testing

/// The canonical lesson under `tcplab watch`, with two terminals: the plain once-server a student
/// writes first (accept, recv, send the reply, close, exit) watched in one, Labs' line_client.py
/// joined from another, typing haha, hehe, wawa. The server exits after its close; the watch goes
/// on while the joined client runs and shows the rest of the story: hehe, the RST, the client's
/// EPIPE and SIGPIPE; the client's terminal gets no strace "Broken pipe" noise. As root and as
/// `nobody` (a user + network namespace of the watch's own). (Labs' once_server.py serves one
/// connection after another until Ctrl-C, so the server that exits is written here.)
extension Live {
    @Suite(.timeLimit(.minutes(2)), .enabled(if: getuid() == 0, "switching to nobody needs root"))
    struct WatchOnceServerLiveTests {
        static let server = """
            import socket
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", 7777)); listener.listen(1)
            print("listening", flush=True)
            conn, peer = listener.accept()
            data = conn.recv(1024)
            conn.send(data.upper())
            conn.close()
            """

        /// Reads `pipe` into `text` until `marker` is in it; fails loudly when the pipe ends first.
        static func read(_ pipe: Pipe, into text: inout String, until marker: String) throws {
            while !text.contains(marker) {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            try #require(text.contains(marker), "never saw \(marker): \(text)")
        }

        func onceServerAndLineClient(asNobody: Bool) throws {
            let client = try String(contentsOf: LabSheet.packageRoot.appendingPathComponent("Labs/programs/line_client.py"), encoding: .utf8)
            let scratch = try WatchJoinLiveTests.Scratch(scripts: ["server.py": Self.server, "line_client.py": client])
            defer { scratch.remove() }
            let watch = try scratch.start(["watch", "--", "python3", scratch.path("server.py")], asNobody: asNobody)
            var watched = ""
            try Self.read(watch.stdout, into: &watched, until: "listening")
            let typed = Pipe()
            let join = try scratch.start(["watch", "--join", "--", "python3", scratch.path("line_client.py")],
                                         asNobody: asNobody, input: typed)
            var said = ""
            func type(_ line: String) { typed.fileHandleForWriting.write(Data((line + "\n").utf8)) }
            type("haha")
            try Self.read(join.stdout, into: &said, until: "response from server: HAHA")
            // hehe only once the server has exited (its close() then sent a FIN, not an RST).
            try Self.read(watch.stdout, into: &watched, until: "processes the program has exited")
            type("hehe")
            try Self.read(join.stdout, into: &said, until: "other side has closed")
            type("wawa")
            try typed.fileHandleForWriting.close()
            join.process.waitUntilExit()
            said += String(decoding: join.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let joinErrors = String(decoding: join.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watched += String(decoding: watch.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watch.process.waitUntilExit()
            let context = Comment(rawValue: watched + "\n--- joined client's terminal:\n" + said + joinErrors)

            #expect(join.process.terminationStatus == 0, context)
            #expect(said.contains("Broken pipe"), context)  // Python's BrokenPipeError, printed by the client
            #expect(!joinErrors.contains("Broken pipe") && !joinErrors.contains("strace"), context)
            #expect(watch.process.terminationStatus == 0, context)

            let lines = watched.split(separator: "\n").map(String.init)
            let exited = try #require(lines.firstIndex { $0.contains("server") && $0.contains("exited with status 0") }, context)
            let hehe = try #require(WatchJoinLiveTests.line(lines, "P.", "\"hehe\""), context)
            let reset = try #require(lines.firstIndex { $0.contains(" R ") && $0.contains("RST") }, context)
            // Whole, or split by a line that came while it ran (`... send = -1 EPIPE`).
            let wawa = try #require(WatchJoinLiveTests.line(lines, "client", "send(\"wawa\")"), context)
            let epipe = try #require(lines.firstIndex { $0.contains("client") && $0.contains("send") && $0.contains("= -1 EPIPE") }, context)
            #expect(wawa <= epipe, context)
            let sigpipe = try #require(WatchJoinLiveTests.line(lines, "client", "received SIGPIPE"), context)
            let end = try #require(lines.firstIndex { $0.contains("segments; your program exited with status 0") }, context)
            #expect(exited < hehe && hehe < reset && reset < epipe && epipe < sigpipe && sigpipe < end, context)
            #expect(!lines.contains { $0.contains("pid ") && ($0.contains("send(") || $0.contains("accept(")) }, context)
        }

        @Test func rootWatchesTheOnceServerAndTheJoinedLineClient() throws { try onceServerAndLineClient(asNobody: false) }

        @Test func nobodyWatchesTheOnceServerAndTheJoinedLineClient() throws { try onceServerAndLineClient(asNobody: true) }

        @Test func portZeroIsRefusedInOneLine() throws {
            let outcome = try TCPLabProcess.run(["watch", "--port", "0", "--", "true"])
            #expect(outcome.status == 2, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("--port must be between 1 and 65535"), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        }

        /// The directory of watches ($XDG_RUNTIME_DIR/tcplab here, so that no other watch shares
        /// it) is removed once empty, after a watch and after a join that found none.
        @Test(arguments: [false, true]) func theDirectoryOfWatchesIsNotLeftBehind(asNobody: Bool) throws {
            let scratch = try WatchJoinLiveTests.Scratch(scripts: [:])
            defer { scratch.remove() }
            let runtime = scratch.directory.appendingPathComponent("out").path
            for arguments in [["watch", "--", "true"], ["watch", "--join", "--", "true"]] {
                let run = try scratch.start(arguments, asNobody: asNobody, environment: ["XDG_RUNTIME_DIR": runtime])
                run.process.waitUntilExit()
                let errors = String(decoding: run.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(run.process.terminationStatus == (arguments.contains("--join") ? 2 : 0), "\(arguments): \(errors)")
                #expect(!FileManager.default.fileExists(atPath: runtime + "/tcplab"), "\(arguments) left \(runtime)/tcplab")
            }
        }
    }
}

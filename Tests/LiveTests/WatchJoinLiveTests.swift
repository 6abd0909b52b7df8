import Foundation
import Glibc
import Testing

/// `tcplab watch` with a second terminal: a Python server watched in one, a Python client run
/// with `tcplab watch --join` in another, as root and as `nobody` (a user + network namespace of
/// the watch's own); the timeline holds both programs' calls among the segments, in causal order.
/// Also: a fork server whose parent exits first is followed to its last child, and watch's exit
/// status is the program's.
extension Live {
    @Suite(.timeLimit(.minutes(1)), .enabled(if: getuid() == 0, "switching to nobody needs root"))
    struct WatchJoinLiveTests {
        static let server = """
            import socket
            listener = socket.socket(); listener.bind(("127.0.0.1", 7777)); listener.listen(1)
            print("listening", flush=True)
            connection, _ = listener.accept(); data = connection.recv(64); connection.send(data.upper()); connection.close()
            """
        static let client = """
            import socket
            client = socket.create_connection(("127.0.0.1", 7777)); client.send(b"hehe")
            assert client.recv(64) == b"HEHE"; client.close()
            """

        /// A directory everyone can read (the scripts and a copy of tcplab), `out/` nobody's.
        struct Scratch {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-watch-\(UUID().uuidString)")
            var binary: String { directory.appendingPathComponent("tcplab").path }
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

            init(scripts: [String: String]) throws {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
                #expect(chown(directory.appendingPathComponent("out").path, 65534, 65534) == 0)
                try FileManager.default.copyItem(atPath: TCPLabProcess.binary, toPath: binary)
                for (name, text) in scripts {
                    try text.write(toFile: path(name), atomically: true, encoding: .utf8)
                    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(name))
                }
            }

            func remove() { try? FileManager.default.removeItem(at: directory) }

            /// `tcplab arguments…`, as nobody (through setpriv) or as root, with its stdout on a pipe.
            /// `input` becomes its stdin (else /dev/null); `environment` is added to PATH.
            func start(_ arguments: [String], asNobody: Bool, input: Pipe? = nil, environment: [String: String] = [:]) throws
                -> (process: Process, stdout: Pipe, stderr: Pipe) {
                let process = Process()
                let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                let argv = (asNobody ? nobody : []) + [binary] + arguments
                process.executableURL = URL(fileURLWithPath: argv[0])
                process.arguments = Array(argv.dropFirst())
                process.currentDirectoryURL = directory.appendingPathComponent("out")
                process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
                let stdout = Pipe(), stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                if let input { process.standardInput = input } else { process.standardInput = FileHandle.nullDevice }
                try process.run()
                return (process, stdout, stderr)
            }
        }

        /// Reads `pipe` until `marker` has been read or it ends (the watch's program prints
        /// `marker` once it listens); the text read so far.
        static func read(_ pipe: Pipe, until marker: String) -> String {
            var text = ""
            while !text.contains(marker) {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }

        /// The index of the first line containing every one of `parts`.
        static func line(_ lines: [String], _ parts: String...) -> Int? {
            lines.firstIndex { line in parts.allSatisfy(line.contains) }
        }

        func serverAndJoinedClient(asNobody: Bool) throws {
            let scratch = try Scratch(scripts: ["server.py": Self.server, "client.py": Self.client])
            defer { scratch.remove() }
            let watch = try scratch.start(["watch", "--port", "7777", "--", "python3", scratch.path("server.py")], asNobody: asNobody)
            let before = Self.read(watch.stdout, until: "listening")
            try #require(before.contains("listening"), "the server never listened: \(before)")
            let join = try scratch.start(["watch", "--join", "--", "python3", scratch.path("client.py")], asNobody: asNobody)
            join.process.waitUntilExit()
            let joinErrors = String(decoding: join.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(join.process.terminationStatus == 0, "join: \(joinErrors)")
            let output = before + String(decoding: watch.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watch.process.waitUntilExit()
            #expect(watch.process.terminationStatus == 0, "watch: \(output)")
            if asNobody { #expect(output.contains("in a private user + network namespace"), "\(output)") }

            let lines = output.split(separator: "\n").map(String.init)
            let context = Comment(rawValue: output)
            let bind = try #require(Self.line(lines, "bind(127.0.0.1:7777) = 0"), context)
            let server = String(lines[bind].split(separator: " ", omittingEmptySubsequences: true).first ?? "")
            let connect = try #require(Self.line(lines, "connect(127.0.0.1:7777)"), context)
            let client = String(lines[connect].split(separator: " ", omittingEmptySubsequences: true).first ?? "")
            #expect(server == "server" && client == "client", context)

            // The server printed "listening" after listen() and before accept(): its write(2)
            // places the line, not the moment the watch read it.
            let listen = try #require(lines.firstIndex { $0.contains(server) && $0.contains("listen") && $0.contains("= 0") }, context)
            let printed = try #require(Self.line(lines, "output", "listening"), context)
            let acceptBegan = try #require(lines.firstIndex { $0.contains(server) && $0.contains("accept") }, context)
            #expect(listen < printed && printed < acceptBegan, context)
            let syn = try #require(Self.line(lines, "SYN  mss"), context)
            let accepted = try #require(lines.lastIndex { $0.contains(server) && $0.contains("accept") && $0.contains("= 4") }, context)
            let hehe = try #require(Self.line(lines, "P.", "\"hehe\""), context)
            let clientSend = try #require(Self.line(lines, client, "send(\"hehe\")"), context)
            let serverRecv = try #require(lines.lastIndex { $0.contains(server) && $0.contains("recv") && $0.contains("= 4 \"hehe\"") }, context)
            let serverSend = try #require(Self.line(lines, server, "send(\"HEHE\")"), context)
            let upper = try #require(Self.line(lines, "P.", "\"HEHE\""), context)
            let serverClose = try #require(Self.line(lines, server, "close(4)"), context)
            let fin = try #require(Self.line(lines, "FIN: server closes its side"), context)
            #expect(syn < accepted, context)
            #expect(clientSend < hehe && hehe < serverRecv, context)
            #expect(accepted <= serverRecv && serverRecv < serverSend, context)
            // Under load strace reports a call well after the segment it caused: the view waits
            // for it (`StraceTrace.Reader.caughtUp()`).
            #expect(serverSend < upper, context)
            #expect(serverClose < fin, context)
            // On lo a send's segment leaves inside the call: its result (whole, or `... send = 4`)
            // sits below that segment, never above it (strace's -T alone would put it above).
            let clientSent = try #require(lines.firstIndex { $0.contains(client) && $0.contains("send") && $0.contains("= 4") }, context)
            let serverSent = try #require(lines.firstIndex { $0.contains(server) && $0.contains("send") && $0.contains("= 4") }, context)
            #expect(hehe < clientSent && upper < serverSent, context)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/tcplab-\(asNobody ? 65534 : 0)/watch-\(watch.process.processIdentifier)"))
        }

        @Test func rootWatchesAServerAndAJoinedClient() throws { try serverAndJoinedClient(asNobody: false) }

        @Test func nobodyWatchesAServerAndAJoinedClient() throws { try serverAndJoinedClient(asNobody: true) }

        static let talkingServer = """
            import socket
            listener = socket.socket(); listener.bind(("127.0.0.1", 7777)); listener.listen(1)
            print("listening", flush=True)
            connection, _ = listener.accept()
            while connection.recv(64): pass
            """
        static let talkingClient = """
            import socket, time
            client = socket.create_connection(("127.0.0.1", 7777))
            for _ in range(40):
                client.send(b"x"); time.sleep(0.05)  # allowed: a client that keeps talking while the watch is stopped
            """

        /// Ctrl-C stops the watch while a joined client still runs: the client's strace goes on
        /// quietly (its FIFO drained) instead of printing "Broken pipe" on every line in the
        /// joined terminal; the client meets the stopped server as it would without a watch.
        @Test(arguments: [false, true]) func stoppingTheWatchLeavesAJoinedProgramsTerminalQuiet(asNobody: Bool) throws {
            let scratch = try Scratch(scripts: ["server.py": Self.talkingServer, "client.py": Self.talkingClient])
            defer { scratch.remove() }
            let watch = try scratch.start(["watch", "--port", "7777", "--", "python3", scratch.path("server.py")], asNobody: asNobody)
            let before = Self.read(watch.stdout, until: "listening")
            try #require(before.contains("listening"), "the server never listened: \(before)")
            let join = try scratch.start(["watch", "--join", "--", "python3", scratch.path("client.py")], asNobody: asNobody)
            let talking = Self.read(watch.stdout, until: "\"x\"")
            try #require(talking.contains("\"x\""), "no data segment: \(before + talking)")
            kill(watch.process.processIdentifier, SIGINT)
            watch.process.waitUntilExit()
            #expect(watch.process.terminationStatus == 130)
            join.process.waitUntilExit()
            let errors = String(decoding: join.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(!errors.contains("strace"), "\(errors)")
            #expect(errors.isEmpty || errors.contains("BrokenPipeError") || errors.contains("ConnectionResetError"), "\(errors)")
        }

        @Test func joinWithoutAWatchSaysSoInOneLine() throws {
            let scratch = try Scratch(scripts: [:])
            defer { scratch.remove() }
            // nobody's own directory of watches: none of them runs now (a stale one is removed).
            let join = try scratch.start(["watch", "--join", "--", "true"], asNobody: true)
            join.process.waitUntilExit()
            let errors = String(decoding: join.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(join.process.terminationStatus == 2)
            #expect(errors.contains("no tcplab watch is running for you to join") && errors.split(separator: "\n").count == 1, "\(errors)")
        }

        /// The parent forks and exits at once; the child, told by its pipe's EOF that the parent
        /// is gone, makes a connection to itself and exits: the watch follows it to its end.
        static let forkServer = """
            import os, socket
            r, w = os.pipe()
            if os.fork() > 0:
                os._exit(0)
            os.close(w); os.read(r, 1)
            listener = socket.socket(); listener.bind(("127.0.0.1", 7777)); listener.listen(1)
            client = socket.create_connection(("127.0.0.1", 7777)); connection, _ = listener.accept()
            client.send(b"late"); assert connection.recv(64) == b"late"; client.close(); connection.close()
            print("child done", flush=True)
            """

        @Test(arguments: [false, true]) func aForkServerIsFollowedToItsLastChild(asNobody: Bool) throws {
            let scratch = try Scratch(scripts: ["fork.py": Self.forkServer])
            defer { scratch.remove() }
            let watch = try scratch.start(["watch", "--", "python3", scratch.path("fork.py")], asNobody: asNobody)
            let output = String(decoding: watch.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watch.process.waitUntilExit()
            #expect(watch.process.terminationStatus == 0, "\(output)")
            let lines = output.split(separator: "\n").map(String.init)
            // The parent is `server` once its child listens (the child `server child PID`).
            let exits = lines.indices.filter { lines[$0].contains("exited with status 0") && lines[$0].contains("server") }
            #expect(exits.count == 2, "\(output)")
            #expect(lines.contains { $0.contains("server child ") && $0.contains("listen") && $0.contains("= 0") }, "\(output)")
            #expect(!lines.contains { $0.contains("pid ") && $0.contains("listen(") }, "\(output)")
            let late = try #require(Self.line(lines, "\"late\""), Comment(rawValue: output))
            #expect(exits.first.map { $0 < late } == true, "the parent exited before the child's segment: \(output)")
            #expect(output.contains("child done"))
            #expect(lines.last { $0.contains("processes") }?.contains("the program has exited") == true, "\(output)")
        }

        @Test(arguments: [("import sys; sys.exit(0)", Int32(0)), ("import sys; sys.exit(3)", 3), ("import os; os.kill(os.getpid(), 9)", 137)])
        func watchExitsWithTheProgramsStatus(program: String, status: Int32) throws {
            let outcome = try TCPLabProcess.run(["watch", "--", "python3", "-c", program])
            #expect(outcome.status == status, "stdout: \(outcome.stdout) stderr: \(outcome.stderr)")
        }
    }
}

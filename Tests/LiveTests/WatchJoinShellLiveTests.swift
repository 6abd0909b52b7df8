import Foundation
import Glibc
import Testing

extension Live.WatchJoinLiveTests {
    /// `tcplab watch --join` without a command runs a shell (here /bin/sh, reading its commands
    /// from a pipe as a student types them) under strace: the client started from it shows its
    /// calls in the watch's timeline from its first socket call, and the shell's own calls (its
    /// fork, wait4, SIGCHLD) do not.
    @Test(arguments: [false, true]) func aJoinedShellsProgramsAreTraced(asNobody: Bool) throws {
        let scratch = try Scratch(scripts: ["server.py": Self.server, "client.py": Self.client])
        defer { scratch.remove() }
        let watch = try scratch.start(["watch", "--port", "7777", "--", "python3", scratch.path("server.py")], asNobody: asNobody)
        let before = Self.read(watch.stdout, until: "listening")
        try #require(before.contains("listening"), "the server never listened: \(before)")

        let shell = Process()
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let argv = (asNobody ? nobody : []) + [scratch.binary, "watch", "--join"]
        shell.executableURL = URL(fileURLWithPath: argv[0])
        shell.arguments = Array(argv.dropFirst())
        shell.currentDirectoryURL = scratch.directory.appendingPathComponent("out")
        shell.environment = ["PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"]
        let input = Pipe(), errors = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = errors
        try shell.run()
        input.fileHandleForWriting.write(Data("python3 \(scratch.path("client.py"))\nexit\n".utf8))
        try input.fileHandleForWriting.close()
        shell.waitUntilExit()
        let joinErrors = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(shell.terminationStatus == 0, "join: \(joinErrors)")
        #expect(joinErrors.contains("the calls of the programs you start from it are shown in the watch"), "\(joinErrors)")

        let output = before + String(decoding: watch.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        watch.process.waitUntilExit()
        #expect(watch.process.terminationStatus == 0, "watch: \(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let context = Comment(rawValue: output)
        let connect = try #require(Self.line(lines, "connect(127.0.0.1:7777)"), context)
        let client = String(lines[connect].split(separator: " ", omittingEmptySubsequences: true).first ?? "")
        #expect(client == "client", context)
        #expect(Self.line(lines, "client  send(\"hehe\")") != nil, context)
        // The shell forked the client and waited for it; neither python program forks or waits.
        #expect(Self.line(lines, "fork()") == nil && Self.line(lines, "wait4(") == nil && Self.line(lines, "received SIGCHLD") == nil,
                "the shell's own calls are shown: \(output)")
    }
}

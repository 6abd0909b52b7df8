import Foundation
import Testing

/// The other commands, and the one-line errors bad input gets.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CommandLineTests {
    struct ListedScenario: Decodable {
        struct Variant: Decodable { var name: String; var summary: String }
        var name: String
        var summary: String
        var variants: [Variant]
    }

    @Test func listJSONNamesTheBrokenPipeVariants() throws {
        let outcome = try TCPLabProcess.run(["list", "--json"])
        #expect(outcome.status == 0)
        let scenarios = try JSONDecoder().decode([ListedScenario].self, from: Data(outcome.stdout.utf8))
        let brokenPipe = try #require(scenarios.first { $0.name == "broken-pipe" })
        #expect(brokenPipe.variants.map(\.name) == ["default", "sigpipe-ignored", "msg-nosignal", "fixed-client"])
        #expect(!brokenPipe.summary.isEmpty)
        let text = try TCPLabProcess.run(["list"]).stdout
        #expect(text.contains("broken-pipe") && text.contains("--variant fixed-client"))
    }

    @Test(arguments: [
        (["scenario", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
        (["scenario", "broken-pipe", "--variant", "nope"], "has no variant 'nope'"),
        (["decode", "/nonexistent/file.pcap"], "not a capture file"),
        (["scenario", "broken-pipe", "--timeout", "-1"], "--timeout"),
    ])
    func badInputGetsOneLineError(arguments: [String], message: String) throws {
        let outcome = try TCPLabProcess.run(arguments)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Backtrac"))
    }

    @Test func decodeRefusesAFileThatIsNotACapture() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-pcap-\(UUID().uuidString).pcap").path
        try "this is not a capture\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try TCPLabProcess.run(["decode", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown file format"), "stderr: \(outcome.stderr)")
    }

    @Test func statesShowsAListenerWithItsOwner() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(listen(listener, 3) == 0)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: bound.sin_port)
        let outcome = try TCPLabProcess.run(["states", "--port", String(port)])
        #expect(outcome.status == 0)
        let line = try #require(outcome.stdout.split(separator: "\n").first { $0.contains("127.0.0.1:\(port)") })
        #expect(line.contains("LISTEN"))
        #expect(line.contains("pid=\(getpid())"), "line: \(line)")
    }

    @Test func doctorSaysLiveRunsWorkHere() throws {
        let outcome = try TCPLabProcess.run(["doctor"])
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("network namespace"))
        #expect(outcome.stdout.contains("live scenarios can run here"))
    }
}

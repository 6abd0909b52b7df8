import Foundation
import Testing

/// Runs the built `tcplab` binary as a user would, and collects what it printed and how it ended.
struct TCPLabProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The tcplab binary next to the test bundle (`swift test` builds it: LiveTests depends on it).
    static var binary: String {
        let tests = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: tests).deletingLastPathComponent()
        // The test runner may sit inside tcplabPackageTests.xctest/ on some toolchains.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("tcplab").path),
              directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("tcplab").path
    }

    /// `tcplab role …` processes of this build still alive, as (pid, command line); other checkouts
    /// on the same machine may be running tests of their own, so only this binary's roles count.
    static func runningRoles() -> [(pid: Int32, command: String)] {
        let prefix = binary + "\u{0}role\u{0}"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry),
                  let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  command.hasPrefix(prefix)
            else { return nil }
            return (pid, command.replacingOccurrences(of: "\u{0}", with: " "))
        }
    }

    /// Runs `tcplab arguments…` in a fresh temporary directory, or in `directory` when given (the
    /// lab sheets' commands name files relative to the package root); kills it and fails the test
    /// if it takes longer than `timeout` seconds.
    static func run(_ arguments: [String], directory workingDirectory: URL? = nil, timeout: Double = 30) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory ?? directory
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
            Issue.record("tcplab \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// The parts of `tcplab scenario --json` the tests read.
struct RunJSON: Decodable {
    struct Claim: Decodable, Equatable {
        var id: String
        var holds: Bool
        var evidence: String
    }
    struct Segment: Decodable, Equatable {
        var number: Int
        var flags: String
        var sequenceText: String
        var acknowledgment: UInt32?
        var length: Int
        var window: UInt16
        var annotation: String
    }
    struct End: Decodable { var role: String }
    struct Capture: Decodable { var received: UInt64; var dropped: UInt64 }
    var scenario: String
    var variant: String
    var network: String
    var pcap: String?
    var claims: [Claim]
    var passed: Bool
    var error: String?
    var segments: [Segment]
    var ends: [End]
    var capture: Capture?

    static func decode(_ text: String) throws -> RunJSON {
        try JSONDecoder().decode(RunJSON.self, from: Data(text.utf8))
    }
}

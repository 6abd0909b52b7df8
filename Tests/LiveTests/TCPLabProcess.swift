import Foundation
import Glibc
import Synchronization
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

    /// The sessions of the runs this test process started (each run is a session leader, see
    /// `SessionRun`): what "left behind" is looked for in, so another tcplab run on the machine,
    /// even of the same build, never counts.
    static let startedSessions = Mutex<Set<pid_t>>([])

    /// `tcplab role …` processes still alive in the sessions of the runs this test process started.
    static func runningRoles() -> [(pid: Int32, command: String)] {
        let ours = startedSessions.withLock { $0 }
        return roleProcesses().filter { ours.contains(session(of: $0.pid) ?? 0) }
    }

    /// Every `tcplab role …` process of this build, whoever started it (for a run a test started
    /// with Foundation's Process, whose roles it then picks out by parent).
    static func roleProcesses() -> [(pid: Int32, command: String)] {
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

    /// The session id of `pid`, from /proc/PID/stat ("pid (comm) state ppid pgrp session …").
    static func session(of pid: Int32) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 3 ? pid_t(fields[3]) : nil
    }

    /// Runs `tcplab arguments…` in a session of its own (`SessionRun`), in a fresh temporary
    /// directory or in `directory` when given (the lab sheets' commands name files relative to
    /// the package root); kills it and fails the test if it takes longer than `timeout` seconds.
    static func run(_ arguments: [String], directory workingDirectory: URL? = nil, timeout: Double = 30) throws -> Outcome {
        let run = try SessionRun(arguments, directory: workingDirectory)
        var ending = run.wait(timeout: timeout)
        if ending == nil {
            _ = run.send(SIGKILL)
            ending = run.wait(timeout: 10)
            Issue.record("tcplab \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        let status: Int32
        switch ending {
        case .exited(let code)?: status = code
        case .signaled(let signal)?: status = 128 + signal
        case nil: status = -1
        }
        return Outcome(status: status, stdout: run.stdout, stderr: run.stderr)
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

    /// The claims every scenario has after its own (`StateAgreement`), last in `claims`.
    static let everyScenarioClaims = ["states-match-capture"]

    static func decode(_ text: String) throws -> RunJSON {
        try JSONDecoder().decode(RunJSON.self, from: Data(text.utf8))
    }
}

import Foundation

/// A live run held at its first `--step` pause: a point in the middle of a scenario that does not
/// depend on timing, where a test can look at the processes and then let go or interrupt.
final class PausedRun {
    let process = Process()
    let input = Pipe(), output = Pipe(), errors = Pipe()
    /// Everything printed up to the pause.
    private(set) var printed = ""

    /// Starts `tcplab scenario NAME --step ARGS…` and returns once it prints its first pause.
    init(_ scenario: String, _ arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: TCPLabProcess.binary)
        process.arguments = ["scenario", scenario, "--step"] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        while !printed.contains("-- next:") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
    }

    /// The role processes this run started (its children running `tcplab role`).
    var rolePIDs: [Int32] {
        TCPLabProcess.roleProcesses().map(\.pid).filter { pid in
            // /proc/PID/stat: "pid (comm) state ppid …"; comm has no spaces here.
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: " ").dropFirst(3).first == Substring(String(process.processIdentifier))
        }
    }

    /// Sends `signal` and waits for the run to end; returns its standard error.
    func interrupt(_ signal: Int32 = SIGINT) -> String {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

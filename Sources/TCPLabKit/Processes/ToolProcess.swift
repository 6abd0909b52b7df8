import Foundation
import Glibc

/// Runs a system tool (`tc`) to completion and collects what it printed on stderr.
///
/// Used for the few setup steps the kernel offers only through a tool's netlink dialogue; the
/// tool runs inside the lab's own network namespace, since it inherits it.
enum ToolProcess {
    /// The outcome: how the tool ended and its error output.
    struct Outcome {
        var termination: Termination
        var errorOutput: String
        var succeeded: Bool { termination == .exited(0) }
    }

    /// Finds `name` in the PATH and the sbin directories root's tools live in.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Held while a tool runs: Ctrl-C's teardown (`LabRun.abort`) takes it to let a running tool
    /// finish (a `tc` call takes milliseconds), and once interrupted no tool starts, so none is
    /// left running under PID 1 when the lab exits.
    private static let running = NSLock()

    /// Returns once no tool is running; called by the teardown after an interrupt was taken.
    static func waitForRunningTool() {
        running.lock()
        running.unlock()
    }

    /// Spawns `executable arguments…` with `input` on its standard input (`nft -f -` reads its
    /// ruleset there; empty: /dev/null), reads its stderr to the end, and reaps it.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws(LabError) -> Outcome {
        running.lock()
        defer { running.unlock() }
        if let signal = Interruption.shared.received { throw LabError.interrupted(signal) }
        let errors: (read: Int32, write: Int32)
        do { errors = try FileDescriptorIO.makePipe() } catch { throw LabError.system(call: "pipe", errno: error) }
        // A ruleset is a few hundred bytes, far below a pipe's 64 KiB: written whole before the
        // tool starts, it never blocks.
        var standardInput: (read: Int32, write: Int32)?
        if !input.isEmpty {
            do { standardInput = try FileDescriptorIO.makePipe() } catch { throw LabError.system(call: "pipe", errno: error) }
            _ = try? FileDescriptorIO.writeAll(standardInput!.write, input)
            close(standardInput!.write)
        }
        defer { if let standardInput { close(standardInput.read) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        close(errors.write)
        guard status == 0 else {
            close(errors.read)
            throw LabError.system(call: "posix_spawn \(executable)", errno: Errno(rawValue: status))
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = (try? systemCall { read(errors.read, &chunk, chunk.count) }) ?? 0
            if count <= 0 { break }
            output += chunk[..<count]
        }
        close(errors.read)
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 && errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Outcome(termination: Termination(waitStatus: waitStatus), errorOutput: text)
    }
}

import Foundation
import Glibc

/// A student's own program taking a role's place in `tcplab check`: its command line, and how it
/// is started inside the run.
///
/// It runs as a role of the run (`LabRun.spawn`): its own process group, stopped and reaped by
/// the lab's teardown, in the run's network namespace, its end recorded as the role's end. It
/// finds the server's address in `TCPLAB_HOST` and `TCPLAB_PORT` (127.0.0.1 and 7777 in a
/// private namespace), reads the lines the lab's role would be told (haha, hehe, wawa) on its
/// standard input, and its standard output and error become `stderr:` notes of the role. With
/// strace installed it runs under `strace -f` (strace(1)), whose lines come back on the role's
/// descriptor 3 and become the role's steps (`TracedCalls`); strace exits with the program's
/// status, or kills itself with the signal that killed it, so the role's end is the program's.
public struct StudentProgram: Sendable {
    /// The command and its arguments, as given after `--`.
    public var command: [String]
    /// Whether to run it under strace when strace is installed.
    public var traced: Bool

    public init(command: [String], traced: Bool = true) {
        self.command = command
        self.traced = traced
    }

    /// `python3 myserver.py`.
    public var display: String { command.joined(separator: " ") }

    /// The program's path: `command[0]` itself when it names a path, else found on PATH; a
    /// one-line usage error when there is nothing to run.
    func executable() throws(LabError) -> String {
        guard let name = command.first, !name.isEmpty else {
            throw LabError.usage("give your program after `--`, e.g. `-- python3 myserver.py`")
        }
        if name.contains("/") {
            guard access(name, X_OK) == 0 else {
                throw LabError.usage("cannot run \(name): " + (access(name, F_OK) == 0 ? "it is not executable (chmod +x)" : "no such file"))
            }
            return name.hasPrefix("/") ? name : FileManager.default.currentDirectoryPath + "/" + name
        }
        guard let found = ToolProcess.find(name) else { throw LabError.usage("cannot run \(name): not found on PATH") }
        return found
    }
}

/// A student's program started in a run: the role process (strace's, when traced) and its calls.
public final class StudentRole: @unchecked Sendable {
    public let role: CheckRole
    public let process: RoleProcess
    /// Whether its calls are traced (strace was found and wanted).
    public let traced: Bool
    let calls: TracedCalls?

    init(role: CheckRole, process: RoleProcess, calls: TracedCalls?) {
        self.role = role
        self.process = process
        self.traced = calls != nil
        self.calls = calls
    }

    /// The pid of the student's program itself: the role's process, or, under strace, strace's
    /// child running the program (nil while strace has not started it yet).
    public var programPID: Int32? {
        guard traced else { return process.pid }
        if let seen = calls?.programPID { return seen }
        return ProcessTable.family(of: process.pid).first { $0.parentPID == process.pid }?.pid
    }
}

extension LabRun {
    /// Starts `program` as `role`, with TCPLAB_HOST and TCPLAB_PORT naming the run's server
    /// address, under strace when it is installed and `program.traced`. `label` names a second
    /// start of the same program on the timeline (reuseaddr's restart); nil: the role's label.
    public func spawnStudent(_ program: StudentProgram, as role: CheckRole, label: String? = nil) throws(LabError) -> StudentRole {
        let path = try program.executable()
        let label = label ?? role.label
        let environment = ["TCPLAB_HOST=\(server.address)", "TCPLAB_PORT=\(server.port)", "PYTHONUNBUFFERED=1"]
        guard program.traced, let strace = StraceTrace.find() else {
            let process = try spawn(label, Array(program.command.dropFirst()), executable: path, environment: environment)
            return StudentRole(role: role, process: process, calls: nil)
        }
        let calls = TracedCalls(label: label, log: log)
        let tracer = StraceTrace.arguments(strace: strace, output: "/dev/fd/3", readiness: true)
        let process = try spawn(label, Array(tracer.dropFirst()) + [path] + program.command.dropFirst(), executable: strace,
                                environment: environment, trace: calls)
        calls.follow(tracer: process.pid)
        return StudentRole(role: role, process: process, calls: calls)
    }
}

import Foundation

/// Files a student's program's system calls, as strace(1) writes them (`StraceTrace.arguments`,
/// `-o /dev/fd/3`: the role's report pipe), into the run's log as steps of its role: the program
/// itself under the role's label (`server`), a process it forked as `server child PID`, a thread
/// as `server thread N` (the order it was started in), as the lab's own roles report them
/// (`Worker`). `StraceSteps` turns the lines into steps; this keeps each step's place in the log.
///
/// One reader thread calls `feed`; the log's lock orders it with everything else.
final class TracedCalls: @unchecked Sendable {
    private let label: String
    private let log: EventLog
    private let lock = NSLock()
    private var decoder = StraceSteps()
    /// Index in `decoder.steps` -> index in the observation's steps.
    private var placed: [Int: Int] = [:]
    private var program: Int32?
    private var threads: [Int32: Int] = [:]

    init(label: String, log: EventLog) {
        self.label = label
        self.log = log
    }

    /// The pid of the program strace started (the first pid in its output), once seen.
    var programPID: Int32? { lock.withLock { program } }

    /// Parses one line of strace output and adds or completes the steps it makes.
    ///
    /// What a launcher does before the program itself runs (a pyenv or shell shim: its execve
    /// attempts along PATH, its forks and waits) is not the student's: `LauncherFilter` holds steps
    /// back until the program's first socket call, and only those from its last successful execve(2) on are filed.
    func feed(_ text: String) {
        guard let line = StraceLine.parse(Substring(text)) else { return }
        lock.withLock {
            if program == nil { program = line.pid }
            for index in decoder.feed(line) {
                let step = decoder.steps[index]
                if step.call == "thread", let tid = step.returnValue, tid > 0, threads[Int32(tid)] == nil {
                    threads[Int32(tid)] = threads.count + 1
                }
                for shown in launcher.admit(index, step, isProgram: role(of: step.role) == label) {
                    var filed = decoder.steps[shown]
                    filed.role = role(of: filed.role)
                    file(filed, shown)
                }
            }
        }
    }

    /// What of the calls is the launcher's, left out (`LauncherFilter`).
    private var launcher = LauncherFilter()

    /// Adds the step at `index` of the decoder to the log, or replaces it there once completed.
    private func file(_ step: RoleStep, _ index: Int) {
        let existing = placed[index]
        var position = 0
        log.record { observation in
            if let existing {
                observation.steps[existing] = step
                position = existing
            } else {
                observation.steps.append(step)
                position = observation.steps.count - 1
            }
        }
        placed[index] = position
    }

    /// `pid 1234` (StraceSteps' name) as the timeline names it.
    private func role(of name: String) -> String {
        guard let pid = Int32(name.dropFirst(4)) else { return name }
        if pid == program { return label }
        if let index = threads[pid] { return Worker.thread(index: index).label(under: label) }
        return Worker.child(pid: pid).label(under: label)
    }
}

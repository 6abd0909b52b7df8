import Foundation

/// Files a student's program's system calls, as strace(1) writes them (`StraceTrace.arguments`,
/// `-o /dev/fd/3`: the role's report pipe), into the run's log as steps of its role: the program
/// itself under the role's label (`server`), a process it forked as `server child PID`, a thread
/// as `server thread N` (the order it was started in), as the lab's own roles report them
/// (`Worker`). `StraceSteps` turns the lines into steps; this keeps each step's place in the log.
///
/// It is the role's `RoleTrace`: strace's bytes come in chunks (`StraceStream`, so that a call the
/// program is blocked in is filed as begun when the lab cuts the log), and what the program
/// prints is filed where the write(2) that printed it returned (`WrittenOutput`), not where the
/// lab read it.
///
/// One reader thread calls `take`, another `printed`; the log's lock orders them with everything else.
final class TracedCalls: RoleTrace, @unchecked Sendable {
    private let label: String
    private let log: EventLog
    private let lock = NSLock()
    private var decoder = StraceSteps()
    private var stream = StraceStream()
    /// A leaf lock (never held while taking another) for what `reached` reads: `reached` runs
    /// under the log's lock (`EventLog.poll`), and `lock` is held while steps are filed in the log.
    private let progressLock = NSLock()
    private var tracer: Int32?
    /// How far strace's stamps reached, and when it was last seen waiting with all read.
    private var stamped: Int64?
    private var idleSeen: Int64?
    private var written = WrittenOutput()
    /// The program's output lines: their place in the log, when read, how far the output reached
    /// with them, and whether their write was found.
    private var outputs: [(position: Int, read: Int64, end: Int, placed: Bool)] = []
    private var outputBytes = 0
    /// Index in `decoder.steps` -> index in the observation's steps.
    private var placed: [Int: Int] = [:]
    /// The program's pid: written holding `lock` and `progressLock`, so read under either.
    private var program: Int32?
    private var threads: [Int32: Int] = [:]

    init(label: String, log: EventLog) {
        self.label = label
        self.log = log
    }

    /// The pid of the program strace started (the first pid in its output), once seen.
    /// (Read under the leaf lock: plans ask for it inside `EventLog.poll`.)
    var programPID: Int32? { progressLock.withLock { program } }

    /// Says which process is strace (the role's), whose waiting `reached` looks at.
    func follow(tracer pid: Int32) { progressLock.withLock { tracer = pid } }

    func take(_ bytes: ArraySlice<UInt8>, at time: Int64) {
        lock.withLock {
            let lines = stream.read(bytes, at: time)
            for line in lines { feed(line) }
            placeOutput()
            let reached = stream.progress.reached
            progressLock.withLock { stamped = reached }
        }
    }

    func printed(_ line: String, at time: Int64) {
        lock.withLock {
            outputBytes += line.utf8.count + 1
            written.received(line, through: outputBytes)
            let position = log.append(standardError: line, from: label, at: time, merged: true)
            outputs.append((position, time, outputBytes, false))
            placeOutput()
        }
    }

    func reached(_ time: Int64, drained: () -> Bool) -> Bool {
        let checked = WallClock.nowMicroseconds()
        let idle = progressLock.withLock { tracer }.map(StraceProgress.isIdle) ?? false
        guard drained() else { return false }
        return progressLock.withLock {
            if idle { idleSeen = max(idleSeen ?? checked, checked) }
            return max(stamped ?? .min, idleSeen ?? .min) >= time
        }
    }

    func settle() {
        lock.withLock {
            if let unfinished = stream.unfinished() { feed(unfinished) }
        }
    }

    /// Moves each output line not yet placed to where its write returned, once strace reported
    /// it (never later than it was read). Call with `lock` held.
    private func placeOutput() {
        written.match(decoder.terminalWrites)
        for index in outputs.indices where !outputs[index].placed {
            guard let returned = written.returned(through: outputs[index].end) else { continue }
            outputs[index].placed = true
            let (position, time) = (outputs[index].position, min(returned, outputs[index].read))
            log.record { observation in
                observation.steps[position].began = time
                observation.steps[position].ended = time
            }
        }
    }

    /// Adds or completes the steps one line of strace output makes (call with `lock` held).
    ///
    /// What a launcher does before the program itself runs (a pyenv or shell shim: its execve
    /// attempts along PATH, its forks and waits) is not the student's: `LauncherFilter` holds steps
    /// back until the program's first socket call, and only those from its last successful execve(2) on are filed.
    private func feed(_ line: StraceLine) {
        if program == nil { progressLock.withLock { program = line.pid } }
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

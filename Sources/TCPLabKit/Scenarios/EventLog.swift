import Foundation

/// The shared, thread-safe record of a run: the capture thread, the role reader threads and the
/// reaper threads append to it; the scenario waits on it for the events it needs next.
///
/// Waiting is on a condition variable signalled by every append, with a deadline that fails
/// loudly, never on fixed sleeps.
public final class EventLog: @unchecked Sendable {
    private let condition = NSCondition()
    private var observation = Observation()
    private var openCalls: [String: [Int: Int]] = [:]  // role -> report id -> index in steps
    private var undecodable: [String] = []
    /// Ends reaped while the role's report or stderr pipe still had lines in flight.
    private var pendingEnds: [String: RoleEnd] = [:]
    /// Which of each role's pipes reached end of file, and when the first did.
    private var pipesClosed: [String: Set<RolePipe>] = [:]
    private var firstPipeClosed: [String: Int64] = [:]

    public init() {}

    /// A copy of everything seen so far.
    public var snapshot: Observation {
        condition.lock()
        defer { condition.unlock() }
        return observation
    }

    func roleStarted(label: String, pid: Int32) {
        update { $0.pids[label] = pid }
    }

    /// Adds a decoded segment; numbering follows the order of arrival from the capture.
    public func append(segment: TCPSegment, time: Int64) {
        update { observation in
            let number = observation.segments.count + 1
            observation.segments.append(CapturedSegment(number: number, time: time, segment: segment))
        }
    }

    /// Adds a note of the lab's own.
    public func note(_ text: String, at time: Int64 = WallClock.nowMicroseconds(), processes: ProcessSnapshot? = nil) {
        update { $0.notes.append(LabNote(time: time, text: text, processes: processes)) }
    }

    /// Adds a system call the lab made on a process of the run (kill, waitpid), as data.
    func append(labCall: LabProcessCall) {
        update { $0.labCalls.append(labCall) }
    }

    /// Wakes every waiter to look again (a source outside the log changed, e.g. a role's report
    /// reader caught up).
    func wake() { update { _ in } }

    /// Keeps the capture's final counts, which tell whether the segments are complete.
    func recordCapture(_ statistics: CaptureStatistics) {
        update { $0.capture = statistics }
    }

    /// Sets a typed field of the observation (a kernel setting the claims judge against).
    func record(_ change: (inout Observation) -> Void) {
        update(change)
    }

    /// Adds a socket table snapshot.
    public func append(snapshot: SocketSnapshot) {
        update { $0.snapshots.append(snapshot) }
    }

    /// Adds a /proc census of a server.
    func append(census: ProcessCensus) {
        update { $0.censuses.append(census) }
    }

    /// Decodes one JSON report line from a role and files it as a step.
    func append(report line: String, from label: String) {
        guard let report = try? JSONDecoder().decode(RoleReport.self, from: Data(line.utf8)) else {
            update { _ in undecodable.append("\(label): \(line)") }
            return
        }
        // A process the role forked or a thread it started reports on the same pipe, under a label of its own.
        let role = Worker(report)?.label(under: label) ?? label
        update { observation in
            switch report.phase {
            case .begin, .note:
                let step = RoleStep(
                    role: role, call: report.call, text: report.text, isNote: report.phase == .note,
                    began: report.time, ended: report.phase == .note ? report.time : nil,
                    returnValue: report.returnValue, errno: report.errno, data: report.data,
                    local: report.local, peer: report.peer)
                observation.steps.append(step)
                if report.phase == .begin { openCalls[role, default: [:]][report.id] = observation.steps.count - 1 }
            case .end:
                guard let index = openCalls[role]?.removeValue(forKey: report.id) else { return }
                observation.steps[index].ended = report.time
                observation.steps[index].returnValue = report.returnValue
                observation.steps[index].errno = report.errno
                observation.steps[index].data = report.data ?? observation.steps[index].data
                observation.steps[index].local = report.local ?? observation.steps[index].local
                observation.steps[index].peer = report.peer ?? observation.steps[index].peer
            }
        }
    }

    /// Files one line the role wrote on its standard error as a note step of the role,
    /// `stderr: *** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated`, at `time`: when
    /// the lab read it, an upper bound on when it was written (the role does not say). The lab
    /// cannot tell which of the role's processes wrote it, so it is filed under the role itself.
    /// `merged`: the pipe carries the role's standard output too (a student's program, one pipe
    /// for both), so the line is labelled `output: ` instead: it may be either.
    /// Returns the line's index in the observation's steps.
    @discardableResult
    func append(standardError line: String, from label: String, at time: Int64, merged: Bool = false) -> Int {
        var position = 0
        update { observation in
            observation.steps.append(RoleStep(
                role: label, call: RoleStep.standardErrorCall, text: (merged ? RoleStep.outputPrefix : RoleStep.standardErrorPrefix) + line, isNote: true,
                began: time, ended: time))
            position = observation.steps.count - 1
        }
        return position
    }

    /// Records a role's end. It is published once the role's report and stderr pipes are both
    /// read to their end too, so that the call it died in and every line it wrote are known: the
    /// reaper and the pipe readers are separate threads.
    func recordTermination(label: String, _ termination: Termination, at time: Int64) {
        update { observation in
            pendingEnds[label] = RoleEnd(role: label, termination: termination, time: time)
            publishEnd(of: label, in: &observation)
        }
    }

    /// Notes that one of a role's pipes reached end of file at `time` (when the lab read it):
    /// every process holding it, the role's own included, was gone by then.
    func pipeEnded(_ pipe: RolePipe, of label: String, at time: Int64) {
        update { observation in
            pipesClosed[label, default: []].insert(pipe)
            firstPipeClosed[label] = min(firstPipeClosed[label] ?? time, time)
            publishEnd(of: label, in: &observation)
        }
    }

    private func publishEnd(of label: String, in observation: inout Observation) {
        guard pipesClosed[label] == Set(RolePipe.allCases), var end = pendingEnds.removeValue(forKey: label) else { return }
        if let closed = firstPipeClosed[label], closed < end.time { end.pipeClosed = closed }
        // A call that started and never returned is the one the signal killed the role in.
        if case .signaled = end.termination, let open = openCalls[label]?.values.max() {
            observation.steps[open].killedBy = end.termination
            observation.steps[open].killedAt = end.time
        }
        openCalls[label] = nil
        // Every stderr line was written before the writer died: no later than the first pipe's end
        // of file (every writer holds both pipes), nor, when the role forked no child that could
        // have written it, than the role's own end as seen.
        let forked = observation.steps.contains { $0.role.hasPrefix("\(label) child ") }
        let bound = forked ? firstPipeClosed[label] : end.diedBy
        if let bound {
            for index in observation.steps.indices where observation.steps[index].role == label
                && observation.steps[index].call == RoleStep.standardErrorCall && observation.steps[index].began > bound {
                observation.steps[index].began = bound
                observation.steps[index].ended = bound
            }
        }
        observation.ends.append(end)
    }

    /// Waits until `check` finds what it looks for in the observation, or fails after `timeout` seconds
    /// with a message saying what was awaited and what was seen instead.
    @discardableResult
    public func wait<T>(
        for what: String, timeout: Double = 3, seen: (Observation) -> String = EventLog.lastEvents,
        _ check: (Observation) -> T?
    ) throws(LabError) -> T {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let found = check(observation) { return found }
            if !condition.wait(until: deadline) {
                if let found = check(observation) { return found }
                throw LabError.timedOut(waitingFor: what, seconds: timeout, seen: seen(observation))
            }
        }
    }

    /// Like `wait`, for conditions that live outside the log (a state in /proc/net/tcp): re-checks
    /// whenever the log changes and at least every `interval` seconds, since /proc has no change events.
    @discardableResult
    public func poll<T>(
        for what: String, timeout: Double = 3, interval: Double = 0.002, _ check: () -> T?
    ) throws(LabError) -> T {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let found = check() { return found }
            if Date() >= deadline {
                throw LabError.timedOut(waitingFor: what, seconds: timeout, seen: EventLog.lastEvents(observation))
            }
            _ = condition.wait(until: min(deadline, Date(timeIntervalSinceNow: interval)))
        }
    }

    /// A short summary of the newest events, for timeout messages.
    public static func lastEvents(_ observation: Observation) -> String {
        var parts: [String] = []
        if let last = observation.segments.last {
            parts.append("last segment #\(last.number) [\(last.segment.flags.tcpdumpNotation)]")
        }
        if let step = observation.steps.last { parts.append("last step \(step.role) \(step.display)") }
        for end in observation.ends { parts.append("\(end.role) \(end.termination)") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    private func update(_ change: (inout Observation) -> Void) {
        condition.lock()
        change(&observation)
        condition.broadcast()
        condition.unlock()
    }
}

/// The pipes the lab reads from each role: its reports (descriptor 3) and its standard error.
enum RolePipe: CaseIterable, Sendable {
    case reports
    case standardError
}

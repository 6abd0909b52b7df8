import Foundation
import Testing
@testable import TCPLabKit

/// The event log files a role's JSON report lines as steps, pairs each call's begin with its end,
/// and marks the call a role died in once both its end and its last report are in.
@Suite struct EventLogTests {
    // Report lines as a role writes them on descriptor 3 (RoleReporter's JSONEncoder output).
    static let sendBegin = #"{"phase":"begin","id":1,"call":"send","text":"send(\"haha\")","data":"haha","time":1000}"#
    static let sendEnd = #"{"phase":"end","id":1,"call":"send","text":"send(\"haha\")","returnValue":4,"time":1010}"#
    static let recvBegin = #"{"phase":"begin","id":2,"call":"recv","text":"recv()","time":1020}"#
    static let recvEnd = #"{"phase":"end","id":2,"call":"recv","text":"recv()","returnValue":4,"data":"HAHA","time":1500}"#
    static let failedBegin = #"{"phase":"begin","id":3,"call":"send","text":"send(\"wawa\")","data":"wawa","time":2000}"#
    static let failedEnd = #"{"phase":"end","id":3,"call":"send","text":"send(\"wawa\")","returnValue":-1,"errno":32,"time":2001}"#

    @Test func beginAndEndMakeOneStep() throws {
        let log = EventLog()
        for line in [Self.sendBegin, Self.recvBegin, Self.sendEnd, Self.recvEnd] { log.append(report: line, from: "client") }
        let steps = log.snapshot.steps
        try #require(steps.count == 2)
        #expect(steps[0].began == 1000)
        #expect(steps[0].ended == 1010)
        #expect(steps[0].returnValue == 4)
        #expect(steps[0].data == "haha", "the begin's data stays when the end has none")
        #expect(steps[0].display == #"send("haha") = 4"#)
        #expect(steps[1].ended == 1500)
        #expect(steps[1].data == "HAHA")
        #expect(steps[1].returned == 1500, "a recv's result sits on the timeline where it returned")
        #expect(steps[1].display == #"recv() = 4 "HAHA""#)
    }

    @Test func failedCallKeepsItsErrno() throws {
        let log = EventLog()
        log.append(report: Self.failedBegin, from: "client")
        log.append(report: Self.failedEnd, from: "client")
        let step = try #require(log.snapshot.steps.first)
        #expect(step.returnValue == -1)
        #expect(step.errno == 32)
        #expect(step.failure == .brokenPipe)
        #expect(step.display == #"send("wawa") = -1 EPIPE (Broken pipe)"#)
    }

    @Test func endsPairWithinTheirOwnRole() {
        let log = EventLog()
        log.append(report: Self.sendBegin, from: "client")
        log.append(report: Self.sendBegin, from: "server")
        log.append(report: Self.sendEnd, from: "server")
        let steps = log.snapshot.steps
        #expect(steps.map(\.role) == ["client", "server"])
        #expect(steps[0].ended == nil)
        #expect(steps[1].ended == 1010)
    }

    @Test func unreadableLineIsNotAStep() {
        let log = EventLog()
        log.append(report: "not json", from: "client")
        log.append(report: Self.sendEnd, from: "client")  // an end with no begin
        #expect(log.snapshot.steps.isEmpty)
    }

    @Test(arguments: [false, true])
    func callARoleDiedInIsMarkedKilled(reportsEndFirst: Bool) throws {
        let log = EventLog()
        log.append(report: Self.sendBegin, from: "client")
        log.append(report: Self.sendEnd, from: "client")
        log.append(report: Self.failedBegin, from: "client")  // never returns
        if reportsEndFirst {
            log.pipesEnded(of: "client", at: 4000)
        } else {
            log.recordTermination(label: "client", .signaled(13), at: 3000)
        }
        #expect(log.snapshot.ends.isEmpty, "published only once both the end and the reports are in")
        #expect(log.snapshot.steps[1].killedBy == nil)
        if reportsEndFirst {
            log.recordTermination(label: "client", .signaled(13), at: 3000)
        } else {
            log.pipesEnded(of: "client", at: 4000)
        }
        let observation = log.snapshot
        #expect(observation.ends == [RoleEnd(role: "client", termination: .signaled(13), time: 3000)])
        #expect(observation.end(of: "client")?.termination == .signaled(13))
        #expect(observation.steps[0].killedBy == nil, "the send that returned was not where it died")
        let killed = try #require(observation.steps.last)
        #expect(killed.killedBy == .signaled(13))
        #expect(killed.display == #"send("wawa") -> killed by SIGPIPE (signal 13)"#)
    }

    @Test func normalExitMarksNothing() {
        let log = EventLog()
        log.append(report: Self.recvBegin, from: "server")
        log.recordTermination(label: "server", .exited(0), at: 3000)
        log.pipesEnded(of: "server", at: 4000)
        #expect(log.snapshot.steps[0].killedBy == nil)
        #expect(log.snapshot.ends.map(\.termination) == [.exited(0)])
    }

    @Test(.timeLimit(.minutes(1)))
    func waitTimesOutNamingWhatItAwaited() {
        let log = EventLog()
        let error = #expect(throws: LabError.self) {
            try log.wait(for: "the client's FIN", timeout: 0.05) { $0.segments.first }
        }
        guard case let .timedOut(what, seconds, seen)? = error else {
            Issue.record("expected .timedOut, got \(String(describing: error))")
            return
        }
        #expect(what == "the client's FIN")
        #expect(seconds == 0.05)
        #expect(seen == "nothing")
        #expect(error?.description == "timed out after 50 ms waiting for the client's FIN; seen instead: nothing")
    }

    @Test(.timeLimit(.minutes(1)))
    func waitWakesOnAppend() throws {
        let log = EventLog()
        let writer = Thread { log.note("arrived", at: 42) }
        writer.start()
        let note = try log.wait(for: "a note", timeout: 10) { $0.notes.first }
        #expect(note == LabNote(time: 42, text: "arrived"))
    }
}

extension EventLog {
    /// Both of a role's pipes (reports, stderr) at end of file at `time`, as the readers report them.
    func pipesEnded(of label: String, at time: Int64) {
        for pipe in RolePipe.allCases { pipeEnded(pipe, of: label, at: time) }
    }
}

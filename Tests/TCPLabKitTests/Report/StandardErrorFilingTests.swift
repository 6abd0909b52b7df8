import Glibc
import Testing
@testable import TCPLabKit

/// A role's stderr lines are filed as notes of the role at the time the lab read them, its end
/// waits for its stderr pipe as for its report pipe, and a death outside any call is placed at the
/// earliest sign of it (a pipe's end of file before the reap), after every line the role wrote.
@Suite struct StandardErrorFilingTests {
    static let acceptBegin = #"{"phase":"begin","id":1,"call":"accept","text":"accept()","time":1000}"#
    static let acceptEnd = #"{"phase":"end","id":1,"call":"accept","text":"accept()","returnValue":1024,"time":1100}"#
    static let glibc = "*** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated"

    static func printed(_ observation: Observation) -> [String] {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        printer.flush(observation)
        return Array(lines.dropFirst())  // the segment header
    }

    @Test func lineIsANoteAfterTheCallThatCausedItAndBeforeTheDeath() throws {
        let log = EventLog()
        log.append(report: Self.acceptBegin, from: "server")
        log.append(report: Self.acceptEnd, from: "server")
        log.append(standardError: Self.glibc, from: "server", at: 1200)
        log.pipeEnded(.reports, of: "server", at: 1300)
        log.recordTermination(label: "server", .signaled(SIGABRT), at: 1500)
        #expect(log.snapshot.ends.isEmpty, "not published while the stderr pipe may still hold lines")
        log.pipeEnded(.standardError, of: "server", at: 1400)

        let observation = log.snapshot
        let note = try #require(observation.steps.last)
        #expect(note.role == "server")
        #expect(note.call == RoleStep.standardErrorCall)
        #expect(note.isNote)
        #expect(note.began == 1200, "filed at the time the lab read it")
        #expect(observation.ends == [RoleEnd(role: "server", termination: .signaled(SIGABRT), time: 1500, pipeClosed: 1300)])
        #expect(observation.ends[0].diedBy == 1300, "the report pipe's end of file bounds the death before the reap")
        #expect(Self.printed(observation) == [
            "        server  accept() = 1024",
            "        server  stderr: \(Self.glibc)",
            "        server  killed by SIGABRT (signal 6), seen when its pipes to the lab closed (it died after its last call above)",
        ])
    }

    @Test func lineReadAfterTheDeathWasSeenStillComesBeforeIt() throws {
        let log = EventLog()
        log.append(report: Self.acceptBegin, from: "server")
        log.append(report: Self.acceptEnd, from: "server")
        log.recordTermination(label: "server", .signaled(SIGABRT), at: 1250)
        log.pipeEnded(.reports, of: "server", at: 1300)
        // The stderr reader got to the line only after the reap: the role wrote it before it died.
        log.append(standardError: Self.glibc, from: "server", at: 1600)
        log.pipeEnded(.standardError, of: "server", at: 1650)

        let observation = log.snapshot
        #expect(observation.ends[0].pipeClosed == nil, "the reap came first")
        #expect(observation.steps.last?.began == 1250, "no later than the death as seen")
        #expect(Self.printed(observation) == [
            "        server  accept() = 1024",
            "        server  stderr: \(Self.glibc)",
            "        server  killed by SIGABRT (signal 6), seen when the lab reaped it (it died after its last call above)",
        ])
    }

    @Test func lineOfARoleThatForkedIsBoundOnlyByThePipes() throws {
        let log = EventLog()
        log.append(report: #"{"phase":"note","id":1,"call":"print","text":"child here","time":900,"pid":77}"#, from: "server")
        log.recordTermination(label: "server", .signaled(SIGTERM), at: 1000)
        // Its child, which holds the same stderr, may still write after the parent's reap.
        log.append(standardError: "child's last words", from: "server", at: 1600)
        for pipe in RolePipe.allCases { log.pipeEnded(pipe, of: "server", at: 2000) }
        #expect(log.snapshot.steps.last?.began == 1600)
    }

    @Test func workersGetLabelsOfTheirOwn() {
        let log = EventLog()
        log.append(report: #"{"phase":"note","id":1,"call":"print","text":"a","time":900,"thread":2}"#, from: "server")
        log.append(report: #"{"phase":"note","id":1,"call":"print","text":"b","time":901,"pid":4711}"#, from: "server")
        log.append(report: #"{"phase":"note","id":1,"call":"print","text":"c","time":902}"#, from: "server")
        #expect(log.snapshot.steps.map(\.role) == ["server thread 2", "server child 4711", "server"])
    }

    @Test func threadReporterLabelsEveryReport() throws {
        var ends = [Int32](repeating: 0, count: 2)
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        RoleReporter(fd: ends[1]).forThread(3).note("print", "hello")
        close(ends[1])
        var reader = LineReader(fd: ends[0])
        let log = EventLog()
        let line = reader.nextLine()
        log.append(report: try #require(line), from: "server")
        #expect(log.snapshot.steps.map(\.role) == ["server thread 3"])
    }
}

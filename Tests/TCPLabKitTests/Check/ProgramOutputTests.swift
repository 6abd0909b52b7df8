import Testing
@testable import TCPLabKit

/// A student's program writes its standard output and error into one pipe: its lines are
/// labelled `output:`, a lab role's standard error stays `stderr:`.
@Suite struct ProgramOutputTests {
    @Test func mergedPipeLinesAreOutputNotStderr() throws {
        let log = EventLog()
        log.append(standardError: "listening on 127.0.0.1:7777", from: "server", at: 1000, merged: true)
        log.append(standardError: "*** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated", from: "client", at: 2000)
        let steps = log.snapshot.steps
        try #require(steps.count == 2)
        #expect(steps[0].text == "output: listening on 127.0.0.1:7777")
        #expect(steps[0].call == RoleStep.standardErrorCall)
        #expect(steps[0].printedLine == "listening on 127.0.0.1:7777")
        #expect(steps[1].text == "stderr: *** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated")
        #expect(steps[1].printedLine == "*** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated")
    }
}

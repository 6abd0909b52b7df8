import Testing
@testable import TCPLabKit

/// Raw waitpid status words (exit code in bits 8–15, signal in bits 0–6, core flag 0x80).
@Suite struct TerminationTests {
    @Test(arguments: [
        (Int32(0x0000), Termination.exited(0), "exited with status 0"),
        (Int32(0x0100), Termination.exited(1), "exited with status 1"),
        (Int32(0x0d00), Termination.exited(13), "exited with status 13"),
        (Int32(13), Termination.signaled(13), "killed by SIGPIPE (signal 13)"),
        (Int32(15), Termination.signaled(15), "killed by SIGTERM (signal 15)"),
        (Int32(0x80 | 11), Termination.signaled(11), "killed by SIGSEGV (signal 11)"),
    ])
    func decodesWaitStatus(status: Int32, expected: Termination, text: String) {
        let termination = Termination(waitStatus: status)
        #expect(termination == expected)
        #expect(termination.description == text)
    }
}
